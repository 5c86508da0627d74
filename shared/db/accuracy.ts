/**
 * Realized forecast accuracy: one row per product and model (its forecast scored on the periods
 * sold after training), the portfolio's scored models beside their backtests, and a product's
 * model history with both.
 */
import type { ModelScore } from "../accuracy/realized.ts";
import type { Database } from "./connection.ts";
import type { ModelMetrics } from "./models.ts";

export interface AccuracyRecord {
  readonly productId: string;
  readonly modelPath: string;
  readonly score: ModelScore;
  readonly scoredAt: string;
}

/** Stores (or extends, as later uploads add periods) a model's realized accuracy. */
export async function saveAccuracy(sql: Database, record: AccuracyRecord): Promise<void> {
  const { accuracy } = record.score;
  const row = {
    productId: record.productId,
    modelPath: record.modelPath,
    firstPeriod: record.score.firstPeriod,
    lastPeriod: record.score.lastPeriod,
    periods: accuracy.periods,
    sumActual: accuracy.sumActual,
    sumError: accuracy.sumError,
    sumAbsError: accuracy.sumAbsError,
    sumSquaredError: accuracy.sumSquaredError,
    inside80: accuracy.inside80,
    scaleAbsolute: record.score.scaleAbsolute,
    scaleSquared: record.score.scaleSquared,
    mase: accuracy.mase,
    rmsse: accuracy.rmsse,
    biasPercent: accuracy.biasPercent,
    coverage80: accuracy.coverage80,
    trackingSignal: accuracy.trackingSignal,
    demandCv: record.score.demandCv,
    scoredAt: record.scoredAt,
  };
  await sql`
    insert into forecast_accuracy ${sql(row)}
    on conflict (product_id, model_path) do update set
      first_period = excluded.first_period, last_period = excluded.last_period, periods = excluded.periods,
      sum_actual = excluded.sum_actual, sum_error = excluded.sum_error, sum_abs_error = excluded.sum_abs_error,
      sum_squared_error = excluded.sum_squared_error, inside80 = excluded.inside80,
      scale_absolute = excluded.scale_absolute, scale_squared = excluded.scale_squared,
      mase = excluded.mase, rmsse = excluded.rmsse, bias_percent = excluded.bias_percent,
      coverage80 = excluded.coverage80, tracking_signal = excluded.tracking_signal,
      demand_cv = excluded.demand_cv, scored_at = excluded.scored_at`;
}

export interface RealizedSummary {
  readonly firstPeriod: string;
  readonly lastPeriod: string;
  readonly periods: number;
  readonly mase: number;
  readonly rmsse: number;
  readonly biasPercent: number | null;
  readonly coverage80: number;
  readonly trackingSignal: number;
  readonly scoredAt: string;
}

const realizedColumns = (sql: Database) => sql`
  to_char(a.first_period, 'YYYY-MM-DD') as first_period, to_char(a.last_period, 'YYYY-MM-DD') as last_period,
  a.periods, a.mase, a.rmsse, a.bias_percent, a.coverage80, a.tracking_signal,
  to_char(a.scored_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as scored_at`;

/** The tracking signal of a model (undefined: not scored yet). */
export async function trackingSignalOf(sql: Database, modelPath: string): Promise<number | undefined> {
  const [row] = await sql<{ trackingSignal: number }[]>`
    select tracking_signal from forecast_accuracy where model_path = ${modelPath}`;
  return row?.trackingSignal;
}

export interface ScoredModelRow {
  readonly productId: string;
  readonly modelPath: string;
  readonly periods: number;
  readonly sumActual: number;
  readonly sumError: number;
  readonly inside80: number;
  readonly mase: number;
  readonly rmsse: number;
  readonly demandCv: number | null;
  readonly metrics: ModelMetrics;
}

/** Every scored model with its backtest metrics, for the calibration table. */
export async function scoredModels(sql: Database): Promise<ScoredModelRow[]> {
  return sql<ScoredModelRow[]>`
    select a.product_id, a.model_path, a.periods, a.sum_actual, a.sum_error, a.inside80, a.mase, a.rmsse,
      a.demand_cv, m.metrics
    from forecast_accuracy a join models m on m.path = a.model_path
    order by a.product_id, m.trained_at`;
}

export interface ModelVersion {
  /** 1 for the product's first model, counting up by training time. */
  readonly version: number;
  readonly path: string;
  readonly trainedAt: string;
  readonly method: string;
  readonly windowStart: string;
  readonly windowEnd: string;
  readonly salesRows: number;
  readonly metrics: ModelMetrics;
  readonly realized: RealizedSummary | null;
}

/** A product's models, oldest first, each with its backtest metrics and realized accuracy. */
export async function modelHistory(sql: Database, productId: string): Promise<ModelVersion[]> {
  const rows = await sql<(Omit<ModelVersion, "realized"> & Partial<RealizedSummary>)[]>`
    select row_number() over (order by m.trained_at, m.id)::int as version, m.path,
      to_char(m.trained_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as trained_at,
      m.method, to_char(m.window_start, 'YYYY-MM-DD') as window_start,
      to_char(m.window_end, 'YYYY-MM-DD') as window_end, m.sales_rows, m.metrics, ${realizedColumns(sql)}
    from models m left join forecast_accuracy a on a.model_path = m.path
    where m.product_id = ${productId}
    order by m.trained_at, m.id`;
  return rows.map(
    ({
      firstPeriod,
      lastPeriod,
      periods,
      mase,
      rmsse,
      biasPercent,
      coverage80,
      trackingSignal,
      scoredAt,
      ...model
    }) => ({
      ...model,
      realized:
        periods === undefined || periods === null
          ? null
          : {
              firstPeriod: firstPeriod!,
              lastPeriod: lastPeriod!,
              periods,
              mase: mase!,
              rmsse: rmsse!,
              biasPercent: biasPercent ?? null,
              coverage80: coverage80!,
              trackingSignal: trackingSignal!,
              scoredAt: scoredAt!,
            },
    }),
  );
}
