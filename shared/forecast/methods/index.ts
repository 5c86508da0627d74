/**
 * The method registry: one fitter per single method (returning null when the history is too
 * short for it) and forecasting from any stored method spec, combinations included.
 */
import type { MethodSpec, SingleMethodSpec } from "../schema.ts";
import { fitAdditive, forecastAdditive } from "./additive.ts";
import type { FitContext, FutureRegressors } from "./context.ts";
import { fitCroston, fitTsb, forecastIntermittent } from "./intermittent.ts";
import {
  fitDampedTrend,
  fitMean,
  fitNaive,
  fitSeasonalNaive,
  fitSes,
  fitTheta,
  forecastSmoothing,
} from "./smoothing.ts";

export type SingleMethodName = SingleMethodSpec["method"];

export const singleMethods: Record<
  SingleMethodName,
  (y: readonly number[], context: FitContext) => SingleMethodSpec | null
> = {
  naive: fitNaive,
  seasonal_naive: fitSeasonalNaive,
  mean: fitMean,
  ses: fitSes,
  damped_trend: fitDampedTrend,
  theta: fitTheta,
  croston: (y) => fitCroston(y, "croston"),
  sba: (y) => fitCroston(y, "sba"),
  tsb: fitTsb,
  additive: fitAdditive,
};

export const singleMethodNames = Object.keys(singleMethods) as SingleMethodName[];

export function forecastSpec(spec: MethodSpec, horizon: number, future?: FutureRegressors): number[] {
  switch (spec.method) {
    case "additive":
      return forecastAdditive(spec, horizon, future);
    case "croston":
    case "sba":
    case "tsb":
      return forecastIntermittent(spec, horizon);
    case "combination": {
      const memberForecasts = spec.members.map((member) => forecastSpec(member, horizon, future));
      return Array.from(
        { length: horizon },
        (_, step) =>
          memberForecasts.reduce((sum, forecast) => sum + forecast[step]!, 0) / memberForecasts.length,
      );
    }
    default:
      return forecastSmoothing(spec, horizon);
  }
}

export type { FitContext, FutureRegressors, RegressorSeries } from "./context.ts";
