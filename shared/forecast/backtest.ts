/**
 * Rolling-origin backtest on a series' own history: every candidate method is refitted at each
 * origin on the data before it and scored on the following steps, by scaled absolute and
 * squared error (0.7 × MASE + 0.3 × RMSSE, both relative to the one-step naive error).
 */
import type { FitContext, FutureRegressors, SingleMethodName } from "./methods/index.ts";
import { forecastSpec, singleMethods } from "./methods/index.ts";

export interface OriginForecast {
  /** Training length at this origin: the forecast starts at index `origin`. */
  readonly origin: number;
  readonly forecast: readonly number[];
}

export interface CandidateBacktest {
  readonly method: SingleMethodName | "combination";
  readonly members: readonly SingleMethodName[];
  readonly forecasts: readonly OriginForecast[];
  readonly score: number;
}

export interface NaiveScales {
  readonly absolute: number;
  readonly squared: number;
}

export function naiveScales(y: readonly number[]): NaiveScales {
  let absolute = 0;
  let squared = 0;
  for (let t = 1; t < y.length; t++) {
    absolute += Math.abs(y[t]! - y[t - 1]!);
    squared += (y[t]! - y[t - 1]!) ** 2;
  }
  const steps = Math.max(y.length - 1, 1);
  return { absolute: absolute / steps || 1, squared: squared / steps || 1 };
}

/**
 * Training lengths of the backtest origins, latest first; each leaves at least one step to score.
 * Origins are a quarter horizon apart, spread wider on long histories so they span up to a third of it.
 */
export function backtestOrigins(
  n: number,
  horizon: number,
  count: number,
  minimumTraining: number,
): number[] {
  const stride = Math.max(1, Math.ceil(horizon / 4), Math.round(n / (3 * count)));
  const origins: number[] = [];
  for (let j = 1; j <= count && n - j * stride >= minimumTraining; j++) origins.push(n - j * stride);
  return origins;
}

export interface ErrorSummary {
  readonly mase: number;
  readonly rmsse: number;
}

export function summariseErrors(
  y: readonly number[],
  forecasts: readonly OriginForecast[],
  scales: NaiveScales,
): ErrorSummary {
  let mase = 0;
  let rmsse = 0;
  for (const { origin, forecast } of forecasts) {
    let absolute = 0;
    let squared = 0;
    forecast.forEach((value, step) => {
      const error = y[origin + step]! - Math.max(0, value);
      absolute += Math.abs(error);
      squared += error * error;
    });
    mase += absolute / forecast.length / scales.absolute;
    rmsse += Math.sqrt(squared / forecast.length / scales.squared);
  }
  return { mase: mase / forecasts.length, rmsse: rmsse / forecasts.length };
}

const selectionScore = (summary: ErrorSummary): number => 0.7 * summary.mase + 0.3 * summary.rmsse;

function futureAt(context: FitContext, origin: number, steps: number): FutureRegressors {
  return Object.fromEntries(
    context.regressors.map((regressor) => [regressor.name, regressor.values.slice(origin, origin + steps)]),
  );
}

function contextAt(context: FitContext, origin: number): FitContext {
  return {
    ...context,
    regressors: context.regressors.map((regressor) => ({
      ...regressor,
      values: regressor.values.slice(0, origin),
    })),
  };
}

/**
 * Backtests each method (skipping those that cannot fit at every origin) and, when asked, the
 * equal-weight combination of the best `combine` methods. Results are sorted best first.
 */
export function runBacktest(
  y: readonly number[],
  context: FitContext,
  methods: readonly SingleMethodName[],
  horizon: number,
  origins: readonly number[],
  combine: number,
): CandidateBacktest[] {
  const scales = naiveScales(y);
  const singles: (CandidateBacktest & { method: SingleMethodName })[] = [];
  for (const method of methods) {
    const forecasts: OriginForecast[] = [];
    for (const origin of origins) {
      const steps = Math.min(horizon, y.length - origin);
      const spec = singleMethods[method](y.slice(0, origin), contextAt(context, origin));
      if (!spec) break;
      forecasts.push({ origin, forecast: forecastSpec(spec, steps, futureAt(context, origin, steps)) });
    }
    if (forecasts.length === origins.length) {
      singles.push({
        method,
        members: [method],
        forecasts,
        score: selectionScore(summariseErrors(y, forecasts, scales)),
      });
    }
  }
  singles.sort((a, b) => a.score - b.score);
  const pool = singles.slice(0, combine);
  if (pool.length < 2 || combine < 2) return singles;
  const combined = origins.map((origin, index) => {
    const forecast = pool[0]!.forecasts[index]!.forecast.map(
      (_, step) =>
        pool.reduce((sum, candidate) => sum + candidate.forecasts[index]!.forecast[step]!, 0) / pool.length,
    );
    return { origin, forecast };
  });
  const combination: CandidateBacktest = {
    method: "combination",
    members: pool.map((candidate) => candidate.method),
    forecasts: combined,
    score: selectionScore(summariseErrors(y, combined, scales)),
  };
  return [...singles, combination].sort((a, b) => a.score - b.score);
}
