/**
 * Effect Schemas of the stored forecast model: the JSON a retrain writes and a forecast reads back.
 * Every method's parameters are plain numbers, so a decoded model predicts without the history.
 */
import { Schema } from "effect";
import { frequencies } from "./calendar.ts";

const Finite = Schema.Finite;
const Probability = Schema.Number.pipe(Schema.between(0, 1));
const IsoDate = Schema.String.pipe(Schema.pattern(/^\d{4}-\d{2}-\d{2}$/));
const Quantity = Schema.Finite.pipe(Schema.nonNegative());
export const FrequencySchema = Schema.Literal(...frequencies);

/** A dated sale (or the day's total): the input of toRegularSeries. */
export const SalesPointSchema = Schema.Struct({ date: IsoDate, quantity: Quantity });

/** One value per period from `start` (a period start date); the input of fitModel. */
export const RegularSeriesSchema = Schema.Struct({
  frequency: FrequencySchema,
  start: IsoDate,
  values: Schema.Array(Quantity),
});

export const NaiveSpec = Schema.Struct({ method: Schema.Literal("naive"), last: Finite });
export const SeasonalNaiveSpec = Schema.Struct({
  method: Schema.Literal("seasonal_naive"),
  /** The next season's values in order: step h forecasts season[(h - 1) mod length]. */
  season: Schema.NonEmptyArray(Finite),
});
export const MeanSpec = Schema.Struct({ method: Schema.Literal("mean"), level: Finite });
export const SesSpec = Schema.Struct({ method: Schema.Literal("ses"), alpha: Probability, level: Finite });
export const DampedTrendSpec = Schema.Struct({
  method: Schema.Literal("damped_trend"),
  alpha: Probability,
  beta: Probability,
  phi: Probability,
  level: Finite,
  trend: Finite,
});
export const ThetaSpec = Schema.Struct({
  method: Schema.Literal("theta"),
  alpha: Probability,
  level: Finite,
  /** Half the slope of the linear trend (theta = 2 line). */
  drift: Finite,
  /** 1/alpha - (1 - alpha)^n / alpha from Hyndman & Billah's SES-with-drift form. */
  offset: Finite,
});
export const CrostonSpec = Schema.Struct({
  method: Schema.Literal("croston", "sba"),
  alpha: Probability,
  size: Finite,
  interval: Finite,
});
export const TsbSpec = Schema.Struct({
  method: Schema.Literal("tsb"),
  alphaSize: Probability,
  alphaProbability: Probability,
  size: Finite,
  probability: Probability,
});
export const Seasonality = Schema.Struct({
  /** Cycle length in periods (e.g. 52.18 weeks per year). */
  period: Schema.Number.pipe(Schema.positive()),
  /** sin/cos pairs for orders 1..K, on the scaled target. */
  coefficients: Schema.Array(Finite),
});
export const Regressor = Schema.Struct({
  name: Schema.String,
  coefficient: Finite,
  mean: Finite,
  scale: Schema.Number.pipe(Schema.positive()),
});
export const AdditiveSpec = Schema.Struct({
  method: Schema.Literal("additive"),
  /** Training length n; period index i maps to time i / timeScale. */
  observations: Schema.Int.pipe(Schema.positive()),
  timeScale: Schema.Number.pipe(Schema.positive()),
  yScale: Schema.Number.pipe(Schema.positive()),
  intercept: Finite,
  slope: Finite,
  changepoints: Schema.Array(Finite),
  deltas: Schema.Array(Finite),
  seasonalities: Schema.Array(Seasonality),
  regressors: Schema.Array(Regressor),
});

export const SingleMethodSpec = Schema.Union(
  NaiveSpec,
  SeasonalNaiveSpec,
  MeanSpec,
  SesSpec,
  DampedTrendSpec,
  ThetaSpec,
  CrostonSpec,
  TsbSpec,
  AdditiveSpec,
);
export type SingleMethodSpec = typeof SingleMethodSpec.Type;

export const CombinationSpec = Schema.Struct({
  method: Schema.Literal("combination"),
  /** Equal-weight mean of the members' forecasts. */
  members: Schema.NonEmptyArray(SingleMethodSpec),
});

export const MethodSpec = Schema.Union(SingleMethodSpec, CombinationSpec);
export type MethodSpec = typeof MethodSpec.Type;
export type MethodName = MethodSpec["method"];

export const SpreadCalibration = Schema.Struct({
  /** Error spread at 1 step (or over 1 period's total) in units of the series. */
  scale: Schema.NonNegative,
  /** Spread at k steps = scale * k^exponent. */
  exponent: Finite,
  /** Quantiles of standardised backtest errors (actual - forecast) / spread. */
  quantiles: Schema.Array(Schema.Struct({ p: Probability, z: Finite })),
});
export type SpreadCalibration = typeof SpreadCalibration.Type;

const NullableMetric = Schema.NullOr(Finite);

export const BacktestSummary = Schema.Struct({
  horizon: Schema.Int.pipe(Schema.nonNegative()),
  origins: Schema.Int.pipe(Schema.nonNegative()),
  /** Mean absolute error scaled by the in-sample one-step naive error. */
  mase: NullableMetric,
  /** Root mean squared error scaled by the in-sample one-step naive error (M5 RMSSE). */
  rmsse: NullableMetric,
  /** Pooled bias: sum(forecast - actual) / sum(actual), in percent. */
  biasPercent: NullableMetric,
  /** Share of backtest actuals inside the calibrated 80% interval. */
  coverage80: NullableMetric,
  candidates: Schema.Array(Schema.Struct({ method: Schema.String, score: Finite })),
});
export type BacktestSummary = typeof BacktestSummary.Type;

export const ForecastModelSchema = Schema.Struct({
  version: Schema.Literal(1),
  method: Schema.String,
  spec: MethodSpec,
  frequency: FrequencySchema,
  /** Start of the first and last period used for training. */
  trainingStart: IsoDate,
  trainingEnd: IsoDate,
  observations: Schema.Int.pipe(Schema.nonNegative()),
  demand: Schema.Struct({
    demandClass: Schema.Literal("smooth", "erratic", "intermittent", "lumpy", "zero"),
    adi: Schema.NonNegative,
    cv2: Schema.NonNegative,
    zeroShare: Probability,
  }),
  backtest: BacktestSummary,
  intervals: Schema.Struct({ step: SpreadCalibration, total: SpreadCalibration }),
});
export type ForecastModel = typeof ForecastModelSchema.Type;
