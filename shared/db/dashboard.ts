/** Read queries of the dashboard: weekly sales and the latest analyses. */
import type { AnalysisMode } from "../agent/report.ts";
import type { AnalysisStatus } from "./analyses.ts";
import type { Database } from "./connection.ts";

export interface WeeklySales {
  /** Monday of the week, YYYY-MM-DD. */
  readonly weekStart: string;
  readonly quantity: number;
}

/** A product's sales per Monday-start week over its last `weeks` weeks of sales, weeks without sales as 0. */
export async function weeklySales(sql: Database, productId: string, weeks = 104): Promise<WeeklySales[]> {
  return sql<WeeklySales[]>`
    with totals as (
      select date_trunc('week', sale_date::timestamp)::date as week, sum(quantity)::int as quantity
      from sales where product_id = ${productId} group by 1
    ), span as (
      select greatest(min(week), max(week) - ${(weeks - 1) * 7}::int) as first_week, max(week) as last_week
      from totals
    )
    select to_char(week, 'YYYY-MM-DD') as week_start, coalesce(totals.quantity, 0)::int as quantity
    from span, generate_series(span.first_week::timestamp, span.last_week::timestamp, interval '1 week') as series,
      lateral (select series::date as week) as weeks
    left join totals using (week)
    order by week`;
}

export interface AnalysisSummary {
  readonly id: string;
  readonly status: AnalysisStatus;
  readonly mode: AnalysisMode;
  readonly productCount: number;
  readonly flaggedCount: number | null;
  readonly recommendationCount: number | null;
  readonly error: string | null;
  readonly startedAt: string;
  readonly finishedAt: string | null;
}

/** The most recently started analyses, newest first. */
export async function latestAnalyses(sql: Database, limit: number): Promise<AnalysisSummary[]> {
  return sql<AnalysisSummary[]>`
    select id, status, mode, cardinality(products)::int as product_count,
      jsonb_array_length(report -> 'flagged') as flagged_count,
      jsonb_array_length(report -> 'recommendations') as recommendation_count,
      error,
      to_char(started_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as started_at,
      to_char(finished_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as finished_at
    from analyses order by started_at desc, id limit ${limit}`;
}
