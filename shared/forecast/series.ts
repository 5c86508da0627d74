/**
 * Regular demand series: turning dated sales points into one value per period (gaps are zero sales)
 * and validating series handed to the fitter.
 */
import { addPeriods, frequencies, periodStart, periodsBetween, type Frequency } from "./calendar.ts";
import { ForecastError } from "./errors.ts";
import type { RegularSeriesSchema, SalesPointSchema } from "./schema.ts";

export type SalesPoint = typeof SalesPointSchema.Type;
export type RegularSeries = typeof RegularSeriesSchema.Type;

export interface RegularSeriesOptions {
  /** Extend the series back to the period containing this date (zero sales before the first point). */
  readonly start?: string;
  /** Extend the series up to the period containing this date (zero sales after the last point). */
  readonly end?: string;
}

function assertFrequency(frequency: string): asserts frequency is Frequency {
  if (!(frequencies as readonly string[]).includes(frequency)) {
    throw new ForecastError(
      "INVALID_FREQUENCY",
      `frequency must be one of ${frequencies.join(", ")}, got "${frequency}"`,
    );
  }
}

function assertQuantity(quantity: number, where: string): void {
  if (!Number.isFinite(quantity) || quantity < 0) {
    throw new ForecastError(
      "INVALID_QUANTITY",
      `${where}: quantity must be a finite number >= 0, got ${quantity}`,
    );
  }
}

/**
 * Sums sales points per period. Points may be unsorted and share dates; periods without points are zero.
 */
export function toRegularSeries(
  points: readonly SalesPoint[],
  frequency: Frequency,
  options: RegularSeriesOptions = {},
): RegularSeries {
  assertFrequency(frequency);
  const totals = new Map<string, number>();
  for (const point of points) {
    assertQuantity(point.quantity, `sales on ${point.date}`);
    const period = periodStart(point.date, frequency);
    totals.set(period, (totals.get(period) ?? 0) + point.quantity);
  }
  const bounds = [...totals.keys()];
  if (options.start !== undefined) bounds.push(periodStart(options.start, frequency));
  if (options.end !== undefined) bounds.push(periodStart(options.end, frequency));
  if (bounds.length === 0) {
    throw new ForecastError(
      "EMPTY_HISTORY",
      "no sales points and no start/end dates: nothing to build a series from",
    );
  }
  bounds.sort();
  const first = options.start !== undefined ? periodStart(options.start, frequency) : bounds[0]!;
  const last = options.end !== undefined ? periodStart(options.end, frequency) : bounds[bounds.length - 1]!;
  const length = periodsBetween(first, last, frequency) + 1;
  if (length <= 0) {
    throw new ForecastError("INVALID_DATE", `end ${last} lies before start ${first}`);
  }
  const values = new Array<number>(length).fill(0);
  for (const [period, quantity] of totals) {
    const index = periodsBetween(first, period, frequency);
    if (index >= 0 && index < length) values[index]! += quantity;
  }
  return { frequency, start: first, values };
}

/** Checks a series handed in directly (not built by toRegularSeries). */
export function validateSeries(series: RegularSeries): void {
  assertFrequency(series.frequency);
  if (periodStart(series.start, series.frequency) !== series.start) {
    throw new ForecastError(
      "INVALID_DATE",
      `series start ${series.start} is not the start of a ${series.frequency}`,
    );
  }
  if (series.values.length === 0) {
    throw new ForecastError("EMPTY_HISTORY", "the series has no periods");
  }
  series.values.forEach((value, index) =>
    assertQuantity(value, `period ${addPeriods(series.start, series.frequency, index)}`),
  );
}
