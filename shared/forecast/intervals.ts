/**
 * Prediction-interval calibration from backtest errors. The error spread grows with the step
 * (or with the number of periods summed) as scale * k^exponent, fitted on the per-step RMS errors;
 * quantiles are the empirical quantiles of the errors standardised by that spread.
 */
import type { SpreadCalibration } from "./schema.ts";

export const calibratedLevels = [0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.975] as const;
const standardNormalQuantiles = [-1.96, -1.6449, -1.2816, -0.6745, 0, 0.6745, 1.2816, 1.6449, 1.96];

export interface ExponentRange {
  readonly min: number;
  readonly max: number;
  /** Used when the errors cannot tell (a single step, or no spread at all). */
  readonly fallback: number;
}

export const stepExponents: ExponentRange = { min: 0, max: 1, fallback: 0.5 };
export const totalExponents: ExponentRange = { min: 0.5, max: 1.5, fallback: 1 };

function empiricalQuantile(sorted: readonly number[], p: number): number {
  const position = p * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below]! + (position - below) * (sorted[above]! - sorted[below]!);
}

/**
 * errorsByStep[k - 1] holds the backtest errors (actual - forecast) at step k or of k-period totals.
 * With `normalFloor` the tails are at least as wide as a normal with the fitted spread (few backtest
 * errors understate the tails); intermittent demand keeps its skewed empirical quantiles.
 */
export function calibrateSpread(
  errorsByStep: readonly (readonly number[])[],
  range: ExponentRange,
  normalFloor: boolean,
): SpreadCalibration {
  const points = errorsByStep
    .map((errors, index) => ({
      logStep: Math.log(index + 1),
      weight: errors.length,
      rms: Math.sqrt(errors.reduce((sum, error) => sum + error * error, 0) / Math.max(errors.length, 1)),
    }))
    .filter((point) => point.weight > 0 && point.rms > 0);
  if (points.length === 0) {
    return { scale: 0, exponent: range.fallback, quantiles: calibratedLevels.map((p) => ({ p, z: 0 })) };
  }
  const totalWeight = points.reduce((sum, point) => sum + point.weight, 0);
  const meanX = points.reduce((sum, point) => sum + point.weight * point.logStep, 0) / totalWeight;
  const meanY = points.reduce((sum, point) => sum + point.weight * Math.log(point.rms), 0) / totalWeight;
  let covariance = 0;
  let variance = 0;
  for (const point of points) {
    covariance += point.weight * (point.logStep - meanX) * (Math.log(point.rms) - meanY);
    variance += point.weight * (point.logStep - meanX) ** 2;
  }
  const exponent =
    variance > 1e-9 ? Math.min(range.max, Math.max(range.min, covariance / variance)) : range.fallback;
  const scale = Math.exp(meanY - exponent * meanX);
  const standardised = errorsByStep
    .flatMap((errors, index) => errors.map((error) => error / (scale * (index + 1) ** exponent)))
    .sort((a, b) => a - b);
  return {
    scale,
    exponent,
    quantiles: calibratedLevels.map((p, i) => {
      const empirical = empiricalQuantile(standardised, p);
      const normal = standardNormalQuantiles[i]!;
      if (!normalFloor || p === 0.5) return { p, z: empirical };
      return { p, z: p < 0.5 ? Math.min(empirical, normal) : Math.max(empirical, normal) };
    }),
  };
}

/** A normal calibration for histories too short to backtest: spread from the data's own variability. */
export function fallbackCalibration(y: readonly number[], range: ExponentRange): SpreadCalibration {
  const mean = y.reduce((sum, value) => sum + value, 0) / Math.max(y.length, 1);
  const sd = Math.sqrt(y.reduce((sum, value) => sum + (value - mean) ** 2, 0) / Math.max(y.length - 1, 1));
  return {
    scale: Math.max(sd, Math.sqrt(Math.max(mean, 0))),
    exponent: range.fallback,
    quantiles: calibratedLevels.map((p, i) => ({ p, z: standardNormalQuantiles[i]! })),
  };
}

export const spreadAt = (calibration: SpreadCalibration, k: number): number =>
  calibration.scale * k ** calibration.exponent;

/** The standardised quantile at level p, interpolated between the calibrated levels. */
export function standardisedQuantile(calibration: SpreadCalibration, p: number): number {
  const levels = calibration.quantiles;
  const first = levels[0];
  const last = levels[levels.length - 1];
  if (!first || !last) return 0;
  if (p <= first.p) return first.z;
  if (p >= last.p) return last.z;
  const upper = levels.findIndex((level) => level.p >= p);
  const high = levels[upper]!;
  const low = levels[upper - 1]!;
  return low.z + ((p - low.p) / (high.p - low.p)) * (high.z - low.z);
}

/** Forecast quantile at level p for a mean forecast over k steps, never below zero. */
export const quantileOf = (calibration: SpreadCalibration, mean: number, k: number, p: number): number =>
  Math.max(0, mean + spreadAt(calibration, k) * standardisedQuantile(calibration, p));
