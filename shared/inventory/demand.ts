/**
 * Distributions of total demand over a span of days (the lead time, or the lead time plus a review
 * period), given by their mean and quantile function. The forecasting engine supplies them; this
 * module also builds them from a normal approximation or a table of quantiles, and inverts a quantile
 * function into a probability (for stock-out risk).
 */
import { InventoryError } from "./errors.ts";
import { normalQuantile } from "./normal.ts";

export interface DemandDistribution {
  readonly mean: number;
  /** Demand not exceeded with probability p, for p in (0, 1); non-decreasing in p and >= 0. */
  readonly quantile: (p: number) => number;
}

export interface QuantilePoint {
  readonly p: number;
  readonly value: number;
}

function requireFinite(value: number, field: string, minimum = 0): void {
  if (!Number.isFinite(value) || value < minimum) {
    throw new InventoryError(field, `must be a finite number >= ${minimum}, got ${value}`);
  }
}

/** Normal demand truncated at zero in its quantiles: quantile(p) = max(0, mean + sd * z(p)). */
export function normalDemand(mean: number, sd: number): DemandDistribution {
  requireFinite(mean, "mean");
  requireFinite(sd, "sd");
  return { mean, quantile: (p) => Math.max(0, mean + sd * normalQuantile(p)) };
}

/**
 * Total over `periods` independent periods whose demand has the given mean and standard deviation:
 * mean * periods and sd * sqrt(periods), normal. Periods may be fractional (e.g. days / 7 for weeks).
 */
export function normalDemandOver(
  periods: number,
  meanPerPeriod: number,
  sdPerPeriod: number,
): DemandDistribution {
  requireFinite(periods, "periods");
  requireFinite(meanPerPeriod, "meanPerPeriod");
  requireFinite(sdPerPeriod, "sdPerPeriod");
  return normalDemand(meanPerPeriod * periods, sdPerPeriod * Math.sqrt(periods));
}

/**
 * From a table of quantiles (at least two, p strictly increasing in (0, 1), values non-decreasing):
 * linear interpolation in normal-score space, so a normal table is reproduced exactly and levels
 * beyond the table extrapolate along the outermost segment; results are clamped at 0.
 */
export function demandFromQuantiles(mean: number, points: readonly QuantilePoint[]): DemandDistribution {
  requireFinite(mean, "mean");
  if (points.length < 2)
    throw new InventoryError("quantiles", `needs at least 2 points, got ${points.length}`);
  const scored = points.map((point, index) => {
    if (!(point.p > 0 && point.p < 1)) {
      throw new InventoryError(`quantiles[${index}].p`, `must lie in (0, 1), got ${point.p}`);
    }
    requireFinite(point.value, `quantiles[${index}].value`);
    const previous = points[index - 1];
    if (previous !== undefined && (point.p <= previous.p || point.value < previous.value)) {
      throw new InventoryError(`quantiles[${index}]`, "p must increase and values must not decrease");
    }
    return { z: normalQuantile(point.p), value: point.value };
  });
  return {
    mean,
    quantile: (p) => {
      const z = normalQuantile(p);
      const above = scored.findIndex((point) => point.z >= z);
      const upper = above === -1 ? scored.length - 1 : Math.max(above, 1);
      const low = scored[upper - 1]!;
      const high = scored[upper]!;
      const slope = high.z === low.z ? 0 : (high.value - low.value) / (high.z - low.z);
      return Math.max(0, low.value + slope * (z - low.z));
    },
  };
}

/** P(demand <= level), by bisection on the quantile function (to about 1e-12). */
export function probabilityAtMost(demand: DemandDistribution, level: number): number {
  let low = 0;
  let high = 1;
  for (let iteration = 0; iteration < 40; iteration++) {
    const middle = (low + high) / 2;
    if (demand.quantile(middle) <= level) low = middle;
    else high = middle;
  }
  return low;
}
