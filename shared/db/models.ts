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

/** The last day with any recorded sale: the "as of" date that every product's series runs up to. */
export async function latestSaleDate(sql: Database): Promise<string | undefined> {
  const [row] = await sql<
    { date: string | null }[]
  >`select to_char(max(sale_date), 'YYYY-MM-DD') as date from sales`;
  return row?.date ?? undefined;
}
