/** Catalogue queries: products and their price sources. */
import type { Product } from "../catalog/product.ts";
import type { Database } from "./connection.ts";

export class DuplicateSkuError extends Error {
  override readonly name = "DuplicateSkuError";
}

const productColumns = (sql: Database) =>
  sql`id, sku, name, category, sub_category, stock, lead_time_days, unit_cost::text as unit_cost, currency,
    supplier, min_order_qty, pack_size, service_level, review_period_days`;

export async function findProduct(sql: Database, id: string): Promise<Product | undefined> {
  const [row] = await sql<Product[]>`select ${productColumns(sql)} from products where id = ${id}`;
  return row;
}

export async function saveProduct(sql: Database, product: Product): Promise<Product> {
  try {
    const [row] = await sql<Product[]>`
      insert into products (id, sku, name, category, sub_category, stock, lead_time_days, unit_cost, currency)
      values (${product.id}, ${product.sku}, ${product.name}, ${product.category}, ${product.subCategory},
              ${product.stock}, ${product.leadTimeDays}, ${product.unitCost}, ${product.currency})
      on conflict (id) do update set
        sku = excluded.sku, name = excluded.name, category = excluded.category,
        sub_category = excluded.sub_category, stock = excluded.stock,
        lead_time_days = excluded.lead_time_days, unit_cost = excluded.unit_cost,
        currency = excluded.currency, updated_at = now()
      returning ${productColumns(sql)}`;
    return row!;
  } catch (error) {
    if (isUniqueViolation(error, "products_sku_key")) {
      throw new DuplicateSkuError(`sku "${product.sku}" already belongs to another product`);
    }
    throw error;
  }
}

export async function updateStock(sql: Database, id: string, stock: number): Promise<Product | undefined> {
  const [row] = await sql<Product[]>`
    update products set stock = ${stock}, updated_at = now() where id = ${id}
    returning ${productColumns(sql)}`;
  return row;
}

function isUniqueViolation(error: unknown, constraint: string): boolean {
  return (
    typeof error === "object" &&
    error !== null &&
    "code" in error &&
    error.code === "23505" &&
    "constraint_name" in error &&
    error.constraint_name === constraint
  );
}
