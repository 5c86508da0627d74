/**
 * Stored ABC classes: each product's sales value over the year that ends at the shop's "as of"
 * date — its latest sale on or before today, so a sale dated in the future moves nothing — ranked
 * once per sales upload and kept in `product_classes`, so an advice reads one row instead of
 * aggregating every product's sales.
 */
import { classifyAbcXyz, type AbcClass as AbcSchema } from "../inventory/index.ts";
import type { Database } from "./connection.ts";

type AbcClass = typeof AbcSchema.Type;

const windowDays = 365;
/** Rows per insert: 4 parameters each, well under postgres.js's 65,534. */
const batchRows = 10_000;

export interface ClassRefresh {
  readonly windowEnd: string | null;
  readonly classified: number;
}

/** Recomputes every product's ABC class; `today` is YYYY-MM-DD. */
export async function refreshProductClasses(db: Database, today: string): Promise<ClassRefresh> {
  return db.begin(async (tx) => {
    const [asOf] = await tx<{ windowEnd: string | null }[]>`
      select to_char(max(sale_date), 'YYYY-MM-DD') as window_end from sales where sale_date <= ${today}::date`;
    const windowEnd = asOf?.windowEnd ?? null;
    await tx`delete from product_classes`;
    if (windowEnd === null) return { windowEnd, classified: 0 };
    const values = await tx<{ productId: string; value: number }[]>`
      select product_id, coalesce(sum(coalesce(revenue, quantity * unit_price, 0)), 0)::float8 as value
      from sales
      where sale_date > ${windowEnd}::date - ${windowDays}::int and sale_date <= ${windowEnd}::date
      group by product_id`;
    const classes = classifyAbcXyz(
      values.map((item) => ({
        productId: item.productId,
        annualValue: Math.max(0, item.value),
        demandCv: null,
      })),
    );
    const value = new Map(values.map((item) => [item.productId, Math.max(0, item.value)]));
    const rows = classes.map((item) => ({
      productId: item.productId,
      abc: item.abc,
      salesValue: value.get(item.productId) ?? 0,
      windowEnd,
    }));
    for (let start = 0; start < rows.length; start += batchRows) {
      await tx`
        insert into product_classes ${tx(rows.slice(start, start + batchRows), "productId", "abc", "salesValue", "windowEnd")}`;
    }
    return { windowEnd, classified: rows.length };
  });
}

/** The product's stored ABC class, null when it sold nothing in the window (or none was computed). */
export async function productClass(db: Database, productId: string): Promise<AbcClass | null> {
  const [row] = await db<
    { abc: AbcClass }[]
  >`select abc from product_classes where product_id = ${productId}`;
  return row?.abc ?? null;
}

/** Every stored ABC class, by product id. */
export async function storedClasses(db: Database): Promise<Map<string, AbcClass>> {
  const rows = await db<{ productId: string; abc: AbcClass }[]>`select product_id, abc from product_classes`;
  return new Map(rows.map((row) => [row.productId, row.abc]));
}
