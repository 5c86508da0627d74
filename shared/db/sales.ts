/** Sales ingestion queries: uploads, idempotent sale rows, and the retrains an upload asked for. */
import type { SalesFormat } from "../ingest/schema.ts";
import type { Database, Transaction } from "./connection.ts";

export interface UploadRecord {
  readonly id: string;
  readonly invocationId: string;
  readonly filename: string | null;
  readonly format: SalesFormat;
}

/**
 * Records the upload. Answers "new", or — when a file with the same content is stored — "retry"
 * if the same invocation stored it (a retry after a crash) and "duplicate" otherwise.
 */
export async function openUpload(
  tx: Transaction,
  upload: UploadRecord,
): Promise<"new" | "retry" | "duplicate"> {
  const inserted = await tx`
    insert into uploads (id, filename, format, row_count, new_rows, product_count, invocation_id)
    values (${upload.id}, ${upload.filename}, ${upload.format}, 0, 0, 0, ${upload.invocationId})
    on conflict (id) do nothing
    returning id`;
  if (inserted.length === 1) return "new";
  const [existing] = await tx<
    { invocationId: string }[]
  >`select invocation_id from uploads where id = ${upload.id}`;
  return existing?.invocationId === upload.invocationId ? "retry" : "duplicate";
}

export interface StoredUpload {
  readonly rowCount: number;
  readonly newRows: number;
  readonly productIds: string[];
}

/** What an upload stored, read back for a retried invocation. */
export async function storedUpload(
  sql: Database | Transaction,
  id: string,
): Promise<StoredUpload | undefined> {
  const [upload] = await sql<{ rowCount: number; newRows: number }[]>`
    select row_count, new_rows from uploads where id = ${id}`;
  if (!upload) return undefined;
  const products = await sql<{ productId: string }[]>`
    select product_id from retrain_requests where upload_id = ${id} order by product_id`;
  return { ...upload, productIds: products.map((row) => row.productId) };
}

export async function closeUpload(
  tx: Transaction,
  id: string,
  counts: {
    readonly rowCount: number;
    readonly newRows: number;
    readonly productCount: number;
    readonly asOf: string | null;
  },
): Promise<void> {
  await tx`
    update uploads set row_count = ${counts.rowCount}, new_rows = ${counts.newRows},
      product_count = ${counts.productCount}, as_of = ${counts.asOf}
    where id = ${id}`;
}

/** Up to `limit` products of the upload whose retrain is still queued, after `after` in id order. */
export async function queuedRetrainPage(
  sql: Database,
  uploadId: string,
  after: string,
  limit: number,
): Promise<string[]> {
  const rows = await sql<{ productId: string }[]>`
    select product_id from retrain_requests
    where upload_id = ${uploadId} and status = 'queued' and product_id > ${after}
    order by product_id limit ${limit}`;
  return rows.map((row) => row.productId);
}

/** Marks every queued retrain request of the product as done or failed. */
export async function settleRetrains(
  sql: Database,
  productId: string,
  outcome: { readonly status: "done" | "failed"; readonly error?: string },
): Promise<void> {
  await sql`
    update retrain_requests set status = ${outcome.status}, error = ${outcome.error ?? null}, updated_at = now()
    where product_id = ${productId} and status = 'queued'`;
}

export interface RetrainProgress {
  readonly uploadId: string;
  readonly queued: number;
  readonly done: number;
  readonly failed: number;
}

export async function retrainProgress(sql: Database, uploadId: string): Promise<RetrainProgress | undefined> {
  const [row] = await sql<{ found: boolean; queued: number; done: number; failed: number }[]>`
    select exists (select 1 from uploads where id = ${uploadId}) as found,
      count(*) filter (where status = 'queued')::int as queued,
      count(*) filter (where status = 'done')::int as done,
      count(*) filter (where status = 'failed')::int as failed
    from retrain_requests where upload_id = ${uploadId}`;
  if (!row?.found) return undefined;
  return { uploadId, queued: row.queued, done: row.done, failed: row.failed };
}

export interface DailySales {
  readonly date: string;
  readonly quantity: number;
}

/** A product's sales summed per day, oldest first. */
export async function dailySales(sql: Database, productId: string): Promise<DailySales[]> {
  return sql<DailySales[]>`
    select to_char(sale_date, 'YYYY-MM-DD') as date, sum(quantity)::int as quantity
    from sales where product_id = ${productId}
    group by sale_date order by sale_date`;
}
