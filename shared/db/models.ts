/** Forecast model records: one row per training run, with the model JSON and its metrics. */
import type { ForecastModel } from "../forecast/index.ts";
import type { Database } from "./connection.ts";

export type ModelMetrics = {
  readonly mase: number | null;
  readonly rmsse: number | null;
  readonly bias: number | null;
  readonly coverage80: number | null;
  readonly demandClass: string;
  readonly candidates: readonly { readonly method: string; readonly score: number }[];
};

export interface ModelRecord {
  readonly productId: string;
  readonly path: string;
  readonly trainedAt: string;
  readonly method: string;
  readonly frequency: string;
  readonly windowStart: string;
  readonly windowEnd: string;
  readonly salesRows: number;
  readonly metrics: ModelMetrics;
  readonly model: ForecastModel;
}

export async function saveModel(sql: Database, record: ModelRecord): Promise<void> {
  await sql`
    insert into models (product_id, path, trained_at, method, frequency, window_start, window_end, sales_rows, metrics, model)
    values (${record.productId}, ${record.path}, ${record.trainedAt}, ${record.method}, ${record.frequency},
            ${record.windowStart}, ${record.windowEnd}, ${record.salesRows},
            ${sql.json(record.metrics)}, ${sql.json(record.model)})
    on conflict (path) do nothing`;
}

export async function modelByPath(sql: Database, path: string): Promise<unknown> {
  const [row] = await sql<{ model: unknown }[]>`select model from models where path = ${path}`;
  return row?.model;
}

/**
 * Where the product's series ends: the latest "as of" date (last sale date of the file) of the
 * uploads that changed its sales, bounded by today, and never before its own last sale. Other
 * products' rows never move it.
 */
export async function productAsOfDate(sql: Database, productId: string): Promise<string | undefined> {
  const [row] = await sql<{ date: string | null }[]>`
    select to_char(greatest(
      (select least(max(uploads.as_of), current_date) from retrain_requests
        join uploads on uploads.id = retrain_requests.upload_id
        where retrain_requests.product_id = ${productId}),
      (select max(sale_date) from sales where product_id = ${productId})), 'YYYY-MM-DD') as date`;
  return row?.date ?? undefined;
}
