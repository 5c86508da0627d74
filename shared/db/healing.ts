/** Queries of the reconciler: retrains still queued, analyses still marked running. */
import type { Database } from "./connection.ts";

/** Products with a retrain request queued for longer than `seconds` (at most `limit`). */
export async function productsWithStaleRetrains(
  sql: Database,
  seconds: number,
  limit: number,
): Promise<string[]> {
  const rows = await sql<{ productId: string }[]>`
    select distinct product_id from retrain_requests
    where status = 'queued' and updated_at < now() - make_interval(secs => ${seconds})
    order by product_id limit ${limit}`;
  return rows.map((row) => row.productId);
}

/** Analyses marked running that started more than `seconds` ago. */
export async function analysesRunningSince(sql: Database, seconds: number): Promise<string[]> {
  const rows = await sql<{ id: string }[]>`
    select id from analyses
    where status = 'running' and started_at < now() - make_interval(secs => ${seconds})
    order by id`;
  return rows.map((row) => row.id);
}

/** Marks an analysis failed, unless it finished meanwhile. */
export async function failRunningAnalysis(sql: Database, id: string, error: string): Promise<boolean> {
  const rows = await sql`
    update analyses set status = 'failed', error = ${error}, finished_at = now()
    where id = ${id} and status = 'running'
    returning id`;
  return rows.length > 0;
}
