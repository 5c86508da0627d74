/**
 * What a method fitter gets besides the values: the season length, the seasonal cycles worth
 * modelling, and external regressors aligned with the values (and their future values at predict time).
 */
export interface RegressorSeries {
  readonly name: string;
  readonly values: readonly number[];
}

export interface FitContext {
  /** Integer season length for seasonal-naive (52 for weeks, 12 for months, 7 for days). */
  readonly seasonLength: number;
  /** Fourier cycles in periods (yearly, and weekly for daily data). */
  readonly cycles: readonly number[];
  readonly regressors: readonly RegressorSeries[];
}

/** Future regressor values by name, one per forecast step. */
export type FutureRegressors = Readonly<Record<string, readonly number[]>>;

export const average = (values: ArrayLike<number>, from = 0, to = values.length): number => {
  let sum = 0;
  for (let i = from; i < to; i++) sum += values[i]!;
  return to > from ? sum / (to - from) : 0;
};
