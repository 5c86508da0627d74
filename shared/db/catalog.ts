/**
 * Catalogue import queries: one transaction creates the products a file names for the first time
 * and changes, on the others, only the fields of the columns present (an absent or empty value
 * keeps the stored one). The rows travel as one jsonb parameter, so any file size stays within
 * postgres.js's parameter limit. A row whose values are all stored already is left alone.
 */
import type { CatalogColumn, CatalogRow } from "../catalog/import.ts";
import type { Database } from "./connection.ts";

export interface CatalogImportRecord {
  /** The Restate invocation that stores the file: a retry finds what it did. */
  readonly id: string;
  readonly sha256: string;
  readonly filename: string | null;
  readonly columns: readonly CatalogColumn[];
}

export type CatalogStoreOutcome =
  | {
      readonly ok: true;
      readonly rows: number;
      readonly createdProducts: number;
      readonly changedProducts: readonly string[];
    }
  | { readonly ok: false; readonly conflicts: readonly { readonly line: number; readonly sku: string }[] };

export async function storeCatalog(
  db: Database,
  record: CatalogImportRecord,
  rows: readonly CatalogRow[],
): Promise<CatalogStoreOutcome> {
  return db.begin(async (tx) => {
    const [done] = await tx<{ rowCount: number; createdProducts: number; changedProducts: string[] }[]>`
      select row_count, created_products, changed_products from catalog_imports where id = ${record.id}`;
    if (done !== undefined) return { ok: true, rows: done.rowCount, ...done };
    const data = tx.json(rows.map((row) => ({ ...row })));
    const input = tx`jsonb_to_recordset(${data}::jsonb) as r(
      line int, sku text, name text, category text, stock int, lead_time_days int, unit_cost numeric,
      currency text, supplier text, min_order_qty int, pack_size int, service_level float8,
      review_period_days int)`;
    const conflicts = await tx<{ line: number; sku: string }[]>`
      select r.line, r.sku from ${input}
      join products taken on taken.id = r.sku
      where not exists (select 1 from products p where p.sku = r.sku)
      order by r.line`;
    if (conflicts.length > 0) return { ok: false, conflicts };
    const created = await tx<{ id: string }[]>`
      insert into products (id, sku, name, category, stock, lead_time_days, unit_cost, currency, supplier,
        min_order_qty, pack_size, service_level, review_period_days)
      select r.sku, r.sku, coalesce(r.name, r.sku), r.category, coalesce(r.stock, 0),
        coalesce(r.lead_time_days, 7), r.unit_cost, coalesce(r.currency, 'USD'), r.supplier, r.min_order_qty,
        r.pack_size, r.service_level, r.review_period_days
      from ${input}
      where not exists (select 1 from products p where p.sku = r.sku)
      returning id`;
    const updated = await tx<{ id: string }[]>`
      update products p set
        name = coalesce(r.name, p.name), category = coalesce(r.category, p.category),
        stock = coalesce(r.stock, p.stock), lead_time_days = coalesce(r.lead_time_days, p.lead_time_days),
        unit_cost = coalesce(r.unit_cost, p.unit_cost), currency = coalesce(r.currency, p.currency),
        supplier = coalesce(r.supplier, p.supplier), min_order_qty = coalesce(r.min_order_qty, p.min_order_qty),
        pack_size = coalesce(r.pack_size, p.pack_size), service_level = coalesce(r.service_level, p.service_level),
        review_period_days = coalesce(r.review_period_days, p.review_period_days), updated_at = now()
      from ${input}
      where p.sku = r.sku
        and (p.name, p.category, p.stock, p.lead_time_days, p.unit_cost, p.currency, p.supplier,
             p.min_order_qty, p.pack_size, p.service_level, p.review_period_days)
          is distinct from
            (coalesce(r.name, p.name), coalesce(r.category, p.category), coalesce(r.stock, p.stock),
             coalesce(r.lead_time_days, p.lead_time_days), coalesce(r.unit_cost, p.unit_cost),
             coalesce(r.currency, p.currency)::char(3), coalesce(r.supplier, p.supplier),
             coalesce(r.min_order_qty, p.min_order_qty), coalesce(r.pack_size, p.pack_size),
             coalesce(r.service_level, p.service_level), coalesce(r.review_period_days, p.review_period_days))
      returning p.id`;
    const changedProducts = [...created, ...updated].map((row) => row.id).sort();
    await tx`
      insert into catalog_imports (id, sha256, filename, columns, row_count, created_products, changed_products)
      values (${record.id}, ${record.sha256}, ${record.filename}, ${[...record.columns]}, ${rows.length},
              ${created.length}, ${changedProducts})`;
    return { ok: true, rows: rows.length, createdProducts: created.length, changedProducts };
  });
}
