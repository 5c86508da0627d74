/**
 * Staged uploads: the parsed lines of one upload go into a temporary table of the upload's own
 * transaction (batches of array parameters, a fixed 11 per statement whatever the batch size), are
 * checked against each other and the catalogue there, and are merged into products, sales and
 * retrain requests by set-based statements that carry no per-row parameters. A crash or a bad line
 * rolls the transaction back, so staged rows of an unfinished upload never count and leave nothing
 * behind.
 */
import postgres from "postgres";
import type { SaleRow } from "../ingest/schema.ts";
import type { Transaction } from "./connection.ts";

export async function createStaging(tx: Transaction): Promise<void> {
  await tx`
    create temporary table staged_sales (
      line          integer not null,
      product_id    text not null,
      row_key       text not null,
      sale_date     date not null,
      quantity      integer not null,
      unit_price    numeric(14, 4),
      revenue       numeric(16, 4),
      product_name  text,
      category      text,
      sub_category  text,
      unit_cost     numeric(14, 4)
    ) on commit drop`;
}

/** Appends parsed lines (base keys: see shared/ingest/parse.ts) to the upload's staging table. */
export async function stageRows(tx: Transaction, rows: readonly SaleRow[]): Promise<void> {
  if (rows.length === 0) return;
  await tx`
    insert into staged_sales (line, product_id, row_key, sale_date, quantity, unit_price, revenue,
      product_name, category, sub_category, unit_cost)
    select * from unnest(
      ${rows.map((row) => row.line)}::int[], ${rows.map((row) => row.sku)}::text[],
      ${rows.map((row) => row.rowKey)}::text[], ${rows.map((row) => row.date)}::date[],
      ${rows.map((row) => row.quantity)}::int[], ${rows.map((row) => row.unitPrice ?? null)}::numeric[],
      ${rows.map((row) => row.revenue ?? null)}::numeric[], ${rows.map((row) => row.productName ?? null)}::text[],
      ${rows.map((row) => row.category ?? null)}::text[], ${rows.map((row) => row.subCategory ?? null)}::text[],
      ${rows.map((row) => row.unitCost ?? null)}::numeric[])`;
}

export interface StagedProblem {
  readonly line: number;
  readonly field?: string;
  readonly message: string;
}

/**
 * Lines the database would refuse or that contradict another line: a Row ID used twice, and a SKU
 * that no product has as its id but another product already uses as its SKU. At most `limit` of
 * them, in line order, with the total count.
 */
export async function stagedConflicts(
  tx: Transaction,
  limit: number,
): Promise<{ readonly count: number; readonly problems: StagedProblem[] }> {
  // Temporary tables get no statistics by themselves; without them the planner guesses badly.
  await tx`analyze staged_sales`;
  const rows = await tx<{ line: number; message: string; total: number }[]>`
    with repeated_row_ids as (
      select line, format('Row ID %s repeats line %s', to_json(substr(row_key, 5)), first_line) as message
      from (
        select line, row_key, min(line) over (partition by row_key) as first_line
        from staged_sales where row_key like 'row:%'
      ) numbered
      where line > first_line
    ), taken_skus as (
      select min(staged.line) as line,
        format('SKU %s is already the SKU of product %s: use that product id or another SKU',
          to_json(staged.product_id), to_json(owner.id)) as message
      from staged_sales staged
      join products owner on owner.sku = staged.product_id and owner.id <> staged.product_id
      where not exists (select 1 from products same where same.id = staged.product_id)
      group by staged.product_id, owner.id
    ), problems as (
      select * from repeated_row_ids union all select * from taken_skus
    )
    select line, message, count(*) over ()::int as total from problems order by line limit ${limit}`;
  return {
    count: rows[0]?.total ?? 0,
    problems: rows.map((row) => ({ line: row.line, message: `line ${row.line}: ${row.message}` })),
  };
}

export interface MergeOutcome {
  /** Sale rows of the file after numbering repeated order lines and summing plain days. */
  readonly rows: number;
  /** Rows stored for the first time or with a changed date, quantity or price. */
  readonly changedRows: number;
  readonly createdProducts: number;
  /** Latest sale date of the file: the end of the series of the products it retrains. */
  readonly asOf: string | null;
}

/**
 * Creates missing products (name and categories from their first line), records the unit cost of
 * products that have none (from their first line that tells one: Superstore's Sales − Profit per unit),
 * upserts the sales (a row already stored unchanged is left alone, so re-uploads and overlapping files
 * never double-count) and queues one retrain request per product whose sales changed.
 */
export async function mergeStaged(tx: Transaction, uploadId: string): Promise<MergeOutcome> {
  const [created] = await tx<{ count: number }[]>`
    with first_lines as (
      select distinct on (product_id) product_id, product_name, category, sub_category
      from staged_sales order by product_id, line
    ), created as (
      insert into products (id, sku, name, category, sub_category)
      select product_id, product_id, coalesce(product_name, product_id), category, sub_category
      from first_lines
      on conflict do nothing
      returning 1
    )
    select count(*)::int as count from created`;
  await tx`
    update products p set unit_cost = first_costs.unit_cost, updated_at = now()
    from (
      select distinct on (product_id) product_id, unit_cost
      from staged_sales where unit_cost is not null order by product_id, line
    ) first_costs
    where p.id = first_costs.product_id and p.unit_cost is null`;
  const [merged] = await tx<{ rows: number; changedRows: number; asOf: string | null }[]>`
    with numbered as (
      select product_id, line, sale_date, quantity, unit_price, revenue,
        case when row_key like 'order:%'
          then row_key || ':' || row_number() over (partition by product_id, row_key order by line)
          else row_key end as row_key
      from staged_sales
    ), merged as (
      select product_id, row_key, min(sale_date) as sale_date, sum(quantity)::int as quantity,
        case when count(revenue) = count(*) then sum(revenue) end as revenue,
        (array_agg(unit_price order by line desc) filter (where unit_price is not null))[1] as last_price
      from numbered group by product_id, row_key
    ), changed as (
      insert into sales (product_id, row_key, sale_date, quantity, unit_price, revenue, upload_id)
      select product_id, row_key, sale_date, quantity,
        case when revenue is not null and quantity > 0 then round(revenue / quantity, 4) else last_price end,
        revenue, ${uploadId}
      from merged
      on conflict (product_id, row_key) do update set
        sale_date = excluded.sale_date, quantity = excluded.quantity,
        unit_price = excluded.unit_price, revenue = excluded.revenue, upload_id = excluded.upload_id
      where (sales.sale_date, sales.quantity, sales.unit_price, sales.revenue)
        is distinct from (excluded.sale_date, excluded.quantity, excluded.unit_price, excluded.revenue)
      returning product_id
    ), per_product as (
      select product_id, count(*)::int as rows from changed group by product_id
    ), queued as (
      insert into retrain_requests (upload_id, product_id)
      select ${uploadId}, product_id from per_product
      on conflict do nothing
    )
    select (select count(*)::int from merged) as rows,
      coalesce(sum(rows), 0)::int as changed_rows,
      (select to_char(max(sale_date), 'YYYY-MM-DD') from staged_sales) as as_of
    from per_product`;
  return {
    rows: merged?.rows ?? 0,
    changedRows: merged?.changedRows ?? 0,
    createdProducts: created?.count ?? 0,
    asOf: merged?.asOf ?? null,
  };
}

/** A data exception or check violation: the same file would fail again, so retrying is pointless. */
export function refusedData(error: unknown): error is postgres.PostgresError {
  return error instanceof postgres.PostgresError && (error.code.startsWith("22") || error.code === "23514");
}
