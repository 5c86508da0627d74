/**
 * Analysis records: one row per analysis workflow, written idempotently (a replayed step
 * rewrites the same row) — running at start, then completed with its report or failed.
 */
import type { AnalysisMode, AnalysisReport } from "../agent/report.ts";
import type { Database } from "./connection.ts";

export type AnalysisStatus = "running" | "completed" | "failed";

export interface AnalysisRecord {
  readonly id: string;
  readonly status: AnalysisStatus;
  readonly mode: AnalysisMode;
  readonly products: readonly string[];
  readonly report: AnalysisReport | null;
  readonly markdown: string | null;
  readonly error: string | null;
  readonly startedAt: string;
  readonly finishedAt: string | null;
}

interface AnalysisRow extends Omit<AnalysisRecord, "startedAt" | "finishedAt"> {
  readonly startedAt: Date;
  readonly finishedAt: Date | null;
}

export async function recordAnalysisStart(
  sql: Database,
  start: {
    readonly id: string;
    readonly mode: AnalysisMode;
    readonly products: readonly string[];
    readonly startedAt: string;
  },
): Promise<void> {
  await sql`
    insert into analyses (id, status, mode, products, started_at)
    values (${start.id}, 'running', ${start.mode}, ${sql.array([...start.products])}, ${start.startedAt})
    on conflict (id) do update set
      status = 'running', mode = excluded.mode, products = excluded.products, started_at = excluded.started_at,
      report = null, markdown = null, error = null, finished_at = null`;
}

export async function recordAnalysisReport(
  sql: Database,
  id: string,
  result: { readonly report: AnalysisReport; readonly markdown: string },
): Promise<void> {
  await sql`
    update analyses set status = 'completed', report = ${sql.json(result.report)},
      markdown = ${result.markdown}, error = null, finished_at = ${result.report.finishedAt}
    where id = ${id}`;
}

export async function recordAnalysisFailure(
  sql: Database,
  failure: { readonly id: string; readonly error: string; readonly finishedAt: string },
): Promise<void> {
  await sql`
    update analyses set status = 'failed', error = ${failure.error}, finished_at = ${failure.finishedAt}
    where id = ${failure.id}`;
}

const analysisColumns = (sql: Database) =>
  sql`id, status, mode, products, report, markdown, error, started_at, finished_at`;

function fromRow(row: AnalysisRow): AnalysisRecord {
  return {
    ...row,
    startedAt: row.startedAt.toISOString(),
    finishedAt: row.finishedAt === null ? null : row.finishedAt.toISOString(),
  };
}

export async function findAnalysis(sql: Database, id: string): Promise<AnalysisRecord | undefined> {
  const [row] = await sql<AnalysisRow[]>`select ${analysisColumns(sql)} from analyses where id = ${id}`;
  return row === undefined ? undefined : fromRow(row);
}
