/**
 * Fitting, storing and using a forecast model for one demand series: automatic method choice by
 * rolling-origin backtest, interval calibration from the backtest errors, and predictions of
 * per-period demand and of total demand over the next k periods (for safety stock).
 */
import { Either, ParseResult, Schema } from "effect";
import { addPeriods, periodStart, periodsBetween, seasonalPeriods, seasonLength } from "./calendar.ts";
import { classifyDemand, type DemandProfile } from "./classify.ts";
import {
  backtestOrigins,
  naiveScales,
  runBacktest,
  summariseErrors,
  type CandidateBacktest,
} from "./backtest.ts";
import { ForecastError } from "./errors.ts";
import {
  calibrateSpread,
  fallbackCalibration,
  quantileOf,
  stepExponents,
  totalExponents,
} from "./intervals.ts";
import {
  forecastSpec,
  singleMethods,
  type FitContext,
  type FutureRegressors,
  type RegressorSeries,
  type SingleMethodName,
} from "./methods/index.ts";
import {
  ForecastModelSchema,
  type ForecastModel,
  type MethodSpec,
  type SpreadCalibration,
} from "./schema.ts";
import { average } from "./methods/context.ts";
import { validateSeries, type RegularSeries } from "./series.ts";

export interface FitOptions {
  /** Steps scored by the backtest (default: 28 days, 13 weeks or 12 months). */
  readonly horizon?: number;
  /** Number of rolling origins (default 6). */
  readonly backtestOrigins?: number;
  /** Candidate methods (default: chosen by demand class). */
  readonly methods?: readonly SingleMethodName[];
  /** How many of the best methods the combination candidate averages (default 4; 0 or 1 disables it). */
  readonly combine?: number;
  /** External regressors (e.g. price), one value per period of the series; the additive model uses them. */
  readonly regressors?: readonly RegressorSeries[];
}

export interface PredictOptions {
  /** Future regressor values, one per returned step (required when the model uses regressors). */
  readonly regressors?: FutureRegressors;
  /** Start the forecast at the period containing this date instead of right after training. */
  readonly from?: string;
}

export interface DemandQuantiles {
  readonly mean: number;
  readonly q05: number;
  readonly q10: number;
  readonly q50: number;
  readonly q90: number;
  readonly q95: number;
  /** The central 80% interval (= q10, q90). */
  readonly lo80: number;
  readonly hi80: number;
}

export interface ForecastStep extends DemandQuantiles {
  /** Start date of the forecast period. */
  readonly period: string;
}

export interface TotalForecast extends DemandQuantiles {
  readonly periods: number;
  /** Start of the first and of the last period summed. */
  readonly from: string;
  readonly to: string;
}

const defaultHorizon = { day: 28, week: 13, month: 12 } as const;
const defaultOrigins = 6;
const defaultCombine = 4;
const minimumTraining = 4;

const regularMethods: readonly SingleMethodName[] = [
  "naive",
  "seasonal_naive",
  "mean",
  "ses",
  "damped_trend",
  "theta",
  "additive",
];
const intermittentMethods: readonly SingleMethodName[] = ["mean", "ses", "croston", "sba", "tsb"];
const structuralMethods: readonly SingleMethodName[] = ["theta", "additive"];
/**
 * Fewer sales than this identify neither a trend or seasonality in intermittent demand nor a
 * normal-like error spread (the errors are then dominated by the zero periods).
 */
const minimumSalesForStructure = 12;

const isIntermittent = (demand: DemandProfile): boolean =>
  demand.demandClass === "intermittent" || demand.demandClass === "lumpy";

/** Candidates by demand class; given regressors, the additive model (the one that uses them) always competes. */
function candidatesFor(
  demand: DemandProfile,
  sales: number,
  hasRegressors: boolean,
): readonly SingleMethodName[] {
  const byClass = !isIntermittent(demand)
    ? regularMethods
    : sales >= minimumSalesForStructure
      ? [...intermittentMethods, ...structuralMethods]
      : intermittentMethods;
  return hasRegressors && !byClass.includes("additive") ? [...byClass, "additive"] : byClass;
}

function demandQuantiles(calibration: SpreadCalibration, mean: number, k: number): DemandQuantiles {
  const at = (p: number): number => quantileOf(calibration, mean, k, p);
  return {
    mean,
    q05: at(0.05),
    q10: at(0.1),
    q50: at(0.5),
    q90: at(0.9),
    q95: at(0.95),
    lo80: at(0.1),
    hi80: at(0.9),
  };
}

function checkCount(
  value: number,
  what: string,
  minimum: number,
  code: "INVALID_HORIZON" | "INVALID_OPTION",
): void {
  if (!Number.isInteger(value) || value < minimum) {
    throw new ForecastError(code, `${what} must be an integer >= ${minimum}, got ${value}`);
  }
}

function errorsByStep(
  y: readonly number[],
  candidate: CandidateBacktest,
  horizon: number,
  total: boolean,
): number[][] {
  const byStep: number[][] = Array.from({ length: horizon }, () => []);
  for (const { origin, forecast } of candidate.forecasts) {
    let sum = 0;
    forecast.forEach((value, step) => {
      const error = y[origin + step]! - Math.max(0, value);
      sum += error;
      byStep[step]!.push(total ? sum : error);
    });
  }
  return byStep;
}

function backtestCoverage(
  y: readonly number[],
  candidate: CandidateBacktest,
  calibration: SpreadCalibration,
): number {
  let inside = 0;
  let count = 0;
  for (const { origin, forecast } of candidate.forecasts) {
    forecast.forEach((value, step) => {
      const band = demandQuantiles(calibration, Math.max(0, value), step + 1);
      const actual = y[origin + step]!;
      if (actual >= band.lo80 && actual <= band.hi80) inside++;
      count++;
    });
  }
  return inside / count;
}

function refit(candidate: CandidateBacktest, y: readonly number[], context: FitContext): MethodSpec {
  const [first, ...rest] = candidate.members
    .map((method) => singleMethods[method](y, context))
    .filter((spec) => spec !== null);
  if (!first) return { method: "mean", level: average(y) };
  return candidate.method === "combination" && rest.length > 0
    ? { method: "combination", members: [first, ...rest] }
    : first;
}

/**
 * Fits a model to a regular series, every period of it being real demand (zero periods before the
 * first sale included: the caller chooses the start). A series without any sales forecasts zero;
 * histories too short to backtest get the mean with normal intervals from the data's own variability.
 */
export function fitModel(series: RegularSeries, options: FitOptions = {}): ForecastModel {
  validateSeries(series);
  const horizon = options.horizon ?? defaultHorizon[series.frequency];
  checkCount(horizon, "horizon", 1, "INVALID_HORIZON");
  const originCount = options.backtestOrigins ?? defaultOrigins;
  checkCount(originCount, "backtestOrigins", 1, "INVALID_OPTION");
  const combine = options.combine ?? defaultCombine;
  checkCount(combine, "combine", 0, "INVALID_OPTION");
  const y = series.values;
  for (const regressor of options.regressors ?? []) {
    if (regressor.values.length !== series.values.length) {
      throw new ForecastError(
        "INVALID_REGRESSOR",
        `regressor "${regressor.name}" has ${regressor.values.length} values for ${series.values.length} periods`,
      );
    }
  }
  const cycles = seasonalPeriods[series.frequency];
  const context: FitContext = {
    seasonLength: seasonLength[series.frequency],
    cycles: cycles.weekly === undefined ? [cycles.yearly] : [cycles.weekly, cycles.yearly],
    regressors: options.regressors ?? [],
  };
  const demand = classifyDemand(y);
  const sales = y.filter((value) => value > 0).length;
  const window = {
    version: 1 as const,
    frequency: series.frequency,
    trainingStart: series.start,
    trainingEnd: addPeriods(series.start, series.frequency, series.values.length - 1),
    observations: y.length,
    demand,
  };
  const origins = backtestOrigins(y.length, horizon, originCount, minimumTraining);
  const candidates =
    demand.demandClass === "zero" || origins.length < 2
      ? []
      : runBacktest(
          y,
          context,
          options.methods ?? candidatesFor(demand, sales, context.regressors.length > 0),
          horizon,
          origins,
          combine,
        );
  const best = candidates[0];
  if (!best) {
    const level = average(y);
    return {
      ...window,
      method: "mean",
      spec: { method: "mean", level },
      backtest: {
        horizon,
        origins: 0,
        mase: null,
        rmsse: null,
        biasPercent: null,
        coverage80: null,
        candidates: [],
      },
      intervals: {
        step: fallbackCalibration(y, stepExponents),
        total: fallbackCalibration(y, totalExponents),
      },
    };
  }
  const normalFloor = sales >= minimumSalesForStructure;
  const step = calibrateSpread(errorsByStep(y, best, horizon, false), stepExponents, normalFloor);
  const total = calibrateSpread(errorsByStep(y, best, horizon, true), totalExponents, normalFloor);
  const summary = summariseErrors(y, best.forecasts, naiveScales(y));
  let actualSum = 0;
  let errorSum = 0;
  for (const { origin, forecast } of best.forecasts) {
    forecast.forEach((value, index) => {
      actualSum += y[origin + index]!;
      errorSum += Math.max(0, value) - y[origin + index]!;
    });
  }
  const spec = refit(best, y, context);
  return {
    ...window,
    method: spec.method,
    spec,
    backtest: {
      horizon,
      origins: origins.length,
      mase: summary.mase,
      rmsse: summary.rmsse,
      biasPercent: actualSum > 0 ? (100 * errorSum) / actualSum : null,
      coverage80: backtestCoverage(y, best, step),
      candidates: candidates.map((candidate) => ({
        method:
          candidate.method === "combination"
            ? `combination(${candidate.members.join("+")})`
            : candidate.method,
        score: candidate.score,
      })),
    },
    intervals: { step, total },
  };
}

function stepsSkipped(model: ForecastModel, from: string | undefined): number {
  if (from === undefined) return 0;
  const first = addPeriods(model.trainingEnd, model.frequency, 1);
  return Math.max(0, periodsBetween(first, periodStart(from, model.frequency), model.frequency));
}

function meanForecast(
  model: ForecastModel,
  horizon: number,
  options: PredictOptions,
): { skip: number; means: number[] } {
  checkCount(horizon, "horizon", 1, "INVALID_HORIZON");
  const skip = stepsSkipped(model, options.from);
  const future = Object.fromEntries(
    Object.entries(options.regressors ?? {}).map(([name, values]) => [
      name,
      [...new Array<number>(skip).fill(0), ...values],
    ]),
  );
  const raw = forecastSpec(model.spec, skip + horizon, future).slice(skip);
  return { skip, means: raw.map((value) => (Number.isFinite(value) ? Math.max(0, value) : 0)) };
}

/** Per-period forecasts: mean and quantiles, all >= 0. */
export function predict(model: ForecastModel, horizon: number, options: PredictOptions = {}): ForecastStep[] {
  const { skip, means } = meanForecast(model, horizon, options);
  return means.map((mean, index) => ({
    period: addPeriods(model.trainingEnd, model.frequency, skip + index + 1),
    ...demandQuantiles(model.intervals.step, mean, skip + index + 1),
  }));
}

/** Distribution of the total demand over the next `periods` periods (e.g. the lead time). */
export function predictTotal(
  model: ForecastModel,
  periods: number,
  options: PredictOptions = {},
): TotalForecast {
  const { skip, means } = meanForecast(model, periods, options);
  const mean = means.reduce((sum, value) => sum + value, 0);
  return {
    periods,
    from: addPeriods(model.trainingEnd, model.frequency, skip + 1),
    to: addPeriods(model.trainingEnd, model.frequency, skip + periods),
    ...demandQuantiles(model.intervals.total, mean, skip + periods),
  };
}

/** Quantile at any level p of the total demand over the next `periods` periods (e.g. a service level). */
export function totalDemandQuantile(
  model: ForecastModel,
  periods: number,
  p: number,
  options: PredictOptions = {},
): number {
  if (!(p > 0 && p < 1))
    throw new ForecastError("INVALID_OPTION", `quantile level must lie in (0, 1), got ${p}`);
  const { skip, means } = meanForecast(model, periods, options);
  return quantileOf(
    model.intervals.total,
    means.reduce((sum, value) => sum + value, 0),
    skip + periods,
    p,
  );
}

/** Names of the regressors whose future values predict needs (empty unless an additive model uses them). */
export function requiredRegressors(model: ForecastModel): string[] {
  const specs = model.spec.method === "combination" ? model.spec.members : [model.spec];
  const names = specs.flatMap((spec) =>
    spec.method === "additive" ? spec.regressors.map((regressor) => regressor.name) : [],
  );
  return [...new Set(names)];
}

/** Decodes and validates a stored model (e.g. parsed JSON); throws ForecastError("INVALID_MODEL"). */
export function decodeForecastModel(input: unknown): ForecastModel {
  const decoded = Schema.decodeUnknownEither(ForecastModelSchema)(input);
  if (Either.isLeft(decoded)) {
    throw new ForecastError("INVALID_MODEL", ParseResult.TreeFormatter.formatErrorSync(decoded.left));
  }
  return decoded.right;
}
