/**
 * Public API of the forecasting engine: build a regular series from dated sales, fit a model
 * (chosen per series by backtest), store it as JSON, decode it again and predict from it.
 */
export { addPeriods, frequencies, periodStart, periodsBetween, type Frequency } from "./calendar.ts";
export { classifyDemand, type DemandClass, type DemandProfile } from "./classify.ts";
export { ForecastError, type ForecastErrorCode } from "./errors.ts";
export {
  singleMethodNames,
  type FutureRegressors,
  type RegressorSeries,
  type SingleMethodName,
} from "./methods/index.ts";
export {
  decodeForecastModel,
  fitModel,
  predict,
  predictTotal,
  requiredRegressors,
  totalDemandQuantile,
  type DemandQuantiles,
  type FitOptions,
  type ForecastStep,
  type PredictOptions,
  type TotalForecast,
} from "./model.ts";
export {
  ForecastModelSchema,
  FrequencySchema,
  MethodSpec,
  RegularSeriesSchema,
  SalesPointSchema,
  type ForecastModel,
  type MethodName,
} from "./schema.ts";
export {
  toRegularSeries,
  validateSeries,
  type RegularSeries,
  type RegularSeriesOptions,
  type SalesPoint,
} from "./series.ts";
