/**
 * Forecasts held to account: a stored model's forecast scored against the periods that were sold
 * after it was trained, with the benchmark scorer's definitions (../shared/bench/forecast/scripts/
 * score.mjs): forecasts and interval bounds clipped at 0, e = forecast − actual,
 * MASE = mean|e| / scale, RMSSE = √(mean e² / scale²), pooled bias = Σe / Σy, coverage = share of
 * actuals inside [lo80, hi80]. The scales are the model's own: the in-sample one-step naive errors
 * of its training series (what its backtest was scaled by). The tracking signal Σ(y − ŷ) / mean|e|
 * measures drift: it grows by one per period the model misses in the same direction.
 */
import { naiveScales, type NaiveScales } from "../forecast/backtest.ts";

export { naiveScales, type NaiveScales };

export interface PeriodForecast {
  readonly mean: number;
  readonly lo80: number;
  readonly hi80: number;
}

export interface RealizedAccuracy {
  readonly periods: number;
  readonly sumActual: number;
  /** Σ(forecast − actual). */
  readonly sumError: number;
  readonly sumAbsError: number;
  readonly sumSquaredError: number;
  readonly inside80: number;
  readonly mase: number;
  readonly rmsse: number;
  /** 100 · Σe / Σy; null when nothing was sold. */
  readonly biasPercent: number | null;
  readonly coverage80: number;
  /** Σ(actual − forecast) / mean|e| (0 when every period was exact); positive = demand above forecast. */
  readonly trackingSignal: number;
}

export function scoreRealized(
  forecasts: readonly PeriodForecast[],
  actuals: readonly number[],
  scales: NaiveScales,
): RealizedAccuracy {
  if (forecasts.length !== actuals.length || actuals.length === 0) {
    throw new RangeError(
      `need one forecast per actual period, got ${forecasts.length} for ${actuals.length}`,
    );
  }
  let sumActual = 0;
  let sumError = 0;
  let sumAbsError = 0;
  let sumSquaredError = 0;
  let inside80 = 0;
  actuals.forEach((actual, index) => {
    const forecast = forecasts[index]!;
    const error = Math.max(0, forecast.mean) - actual;
    sumActual += actual;
    sumError += error;
    sumAbsError += Math.abs(error);
    sumSquaredError += error * error;
    if (actual >= Math.max(0, forecast.lo80) && actual <= Math.max(0, forecast.hi80)) inside80++;
  });
  const periods = actuals.length;
  const meanAbsError = sumAbsError / periods;
  return {
    periods,
    sumActual,
    sumError,
    sumAbsError,
    sumSquaredError,
    inside80,
    mase: meanAbsError / scales.absolute,
    rmsse: Math.sqrt(sumSquaredError / periods / scales.squared),
    biasPercent: sumActual > 0 ? (100 * sumError) / sumActual : null,
    coverage80: inside80 / periods,
    trackingSignal: meanAbsError > 0 ? -sumError / meanAbsError : 0,
  };
}

/** One scored model, with what its backtest promised and the product's ABC/XYZ class. */
export interface ScoredModel {
  readonly abc: "A" | "B" | "C";
  readonly xyz: "X" | "Y" | "Z";
  readonly realized: Pick<
    RealizedAccuracy,
    "periods" | "sumActual" | "sumError" | "inside80" | "mase" | "rmsse"
  >;
  readonly backtest: {
    readonly mase: number | null;
    readonly rmsse: number | null;
    readonly coverage80: number | null;
  };
}

/** Realized accuracy of a group of models beside what their backtests promised. */
export interface CalibrationRow {
  /** "all", an ABC class, an XYZ class, or both ("AX"). */
  readonly group: string;
  readonly models: number;
  readonly periods: number;
  /** Unweighted means over the models (as score.mjs averages over series). */
  readonly mase: number;
  readonly rmsse: number;
  /** Pooled: 100 · Σe / Σy over every period (null when nothing was sold). */
  readonly biasPercent: number | null;
  /** Pooled: share of every period's actual inside its 80% interval. */
  readonly coverage80: number;
  readonly backtestMase: number | null;
  readonly backtestRmsse: number | null;
  readonly backtestCoverage80: number | null;
  /** The interval's nominal coverage: a calibrated model's realized coverage is near it. */
  readonly nominalCoverage80: 0.8;
}

function meanOf(values: readonly (number | null)[]): number | null {
  const present = values.filter((value): value is number => value !== null);
  return present.length === 0 ? null : present.reduce((sum, value) => sum + value, 0) / present.length;
}

function calibrationRow(group: string, models: readonly ScoredModel[]): CalibrationRow {
  const sum = (pick: (model: ScoredModel) => number) =>
    models.reduce((total, model) => total + pick(model), 0);
  const periods = sum((model) => model.realized.periods);
  const sumActual = sum((model) => model.realized.sumActual);
  return {
    group,
    models: models.length,
    periods,
    mase: sum((model) => model.realized.mase) / models.length,
    rmsse: sum((model) => model.realized.rmsse) / models.length,
    biasPercent: sumActual > 0 ? (100 * sum((model) => model.realized.sumError)) / sumActual : null,
    coverage80: sum((model) => model.realized.inside80) / periods,
    backtestMase: meanOf(models.map((model) => model.backtest.mase)),
    backtestRmsse: meanOf(models.map((model) => model.backtest.rmsse)),
    backtestCoverage80: meanOf(models.map((model) => model.backtest.coverage80)),
    nominalCoverage80: 0.8,
  };
}

/** The calibration table: every model, then by ABC class, by XYZ class and by both (groups with models only). */
export function calibrationTable(models: readonly ScoredModel[]): CalibrationRow[] {
  if (models.length === 0) return [];
  const groups = new Map<string, ScoredModel[]>();
  const add = (group: string, model: ScoredModel) => groups.set(group, [...(groups.get(group) ?? []), model]);
  for (const model of models) {
    add(model.abc, model);
    add(model.xyz, model);
    add(`${model.abc}${model.xyz}`, model);
  }
  const order = (group: string) => (group.length === 1 ? ("ABC".includes(group) ? 0 : 1) : 2);
  const named = [...groups.keys()].sort(
    (left, right) => order(left) - order(right) || left.localeCompare(right),
  );
  return [calibrationRow("all", models), ...named.map((group) => calibrationRow(group, groups.get(group)!))];
}
