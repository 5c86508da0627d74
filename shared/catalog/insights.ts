/**
 * Wire types of the product object's read handlers (forecast, bestPrice, advice): plain JSON,
 * numbers and short identifiers only. The analysis workflow's tools return exactly these, so
 * no text scraped from a web page ever reaches an LLM prompt.
 */
import { Schema } from "effect";
import { DecimalAmount } from "../money/index.ts";

const Quantile = Schema.Number;

export const ForecastRequest = Schema.Struct({
  horizon: Schema.optionalWith(Schema.Number.pipe(Schema.int(), Schema.between(1, 104)), { exact: true }),
  unit: Schema.optionalWith(Schema.Literal("day", "week"), { exact: true }),
});
export type ForecastRequest = typeof ForecastRequest.Type;

export const ForecastPoint = Schema.Struct({
  periodStart: Schema.String,
  days: Schema.Number,
  mean: Schema.Number,
  p05: Quantile,
  p10: Quantile,
  p50: Quantile,
  p90: Quantile,
  p95: Quantile,
  lo80: Quantile,
  hi80: Quantile,
});
export type ForecastPoint = typeof ForecastPoint.Type;

export const ModelAccuracy = Schema.Struct({
  mase: Schema.NullOr(Schema.Number),
  rmsse: Schema.NullOr(Schema.Number),
  bias: Schema.NullOr(Schema.Number),
  coverage80: Schema.NullOr(Schema.Number),
});
export type ModelAccuracy = typeof ModelAccuracy.Type;

export const ForecastResponse = Schema.Struct({
  productId: Schema.String,
  unit: Schema.Literal("day", "week"),
  method: Schema.String,
  seriesClass: Schema.String,
  trainedAt: Schema.String,
  trainingWindow: Schema.Struct({ start: Schema.String, end: Schema.String }),
  accuracy: ModelAccuracy,
  points: Schema.Array(ForecastPoint),
  total: Schema.Struct({ mean: Schema.Number, p10: Schema.Number, p50: Schema.Number, p90: Schema.Number }),
});
export type ForecastResponse = typeof ForecastResponse.Type;

export const PriceQuote = Schema.Struct({
  sourceId: Schema.Number,
  label: Schema.String,
  amount: Schema.String,
  currency: Schema.String,
  availability: Schema.Literal("in_stock", "out_of_stock", "unknown"),
  collectedAt: Schema.String,
  ageHours: Schema.Number,
});
export type PriceQuote = typeof PriceQuote.Type;

export const BestPriceResponse = Schema.Struct({
  productId: Schema.String,
  best: Schema.NullOr(PriceQuote),
  sources: Schema.Array(
    Schema.Struct({
      sourceId: Schema.Number,
      label: Schema.String,
      active: Schema.Boolean,
      lastStatus: Schema.NullOr(Schema.String),
      lastQuote: Schema.NullOr(PriceQuote),
    }),
  ),
  history: Schema.NullOr(
    Schema.Struct({
      currency: Schema.String,
      min: Schema.String,
      max: Schema.String,
      last: Schema.String,
      observations: Schema.Number,
      since: Schema.String,
    }),
  ),
});
export type BestPriceResponse = typeof BestPriceResponse.Type;

export const AdviceRequest = Schema.Struct({
  serviceLevel: Schema.optionalWith(Schema.Number.pipe(Schema.greaterThan(0.5), Schema.lessThan(0.9999)), {
    exact: true,
  }),
  reviewPeriodDays: Schema.optionalWith(Schema.Number.pipe(Schema.int(), Schema.between(0, 365)), {
    exact: true,
  }),
  /** Fixed cost of placing one order, for the economic order quantity. */
  orderingCost: Schema.optionalWith(DecimalAmount, { exact: true }),
  /** Yearly holding cost as a fraction of the unit cost (e.g. 0.25), for the economic order quantity. */
  holdingCostRate: Schema.optionalWith(Schema.Number.pipe(Schema.between(0, 10)), { exact: true }),
});
export type AdviceRequest = typeof AdviceRequest.Type;

export const AdviceResponse = Schema.Struct({
  productId: Schema.String,
  stock: Schema.Number,
  /** Units on open purchase orders, not yet received: part of the inventory position. */
  onOrder: Schema.Number,
  leadTimeDays: Schema.Number,
  reviewPeriodDays: Schema.Number,
  serviceLevel: Schema.Number,
  averageDailyDemand: Schema.Number,
  leadTimeDemand: Schema.Struct({ mean: Schema.Number, atServiceLevel: Schema.Number }),
  safetyStock: Schema.Number,
  reorderPoint: Schema.Number,
  orderUpTo: Schema.Number,
  orderQuantity: Schema.Number,
  economicOrderQuantity: Schema.NullOr(Schema.Number),
  daysOfCover: Schema.NullOr(Schema.Number),
  stockoutRisk: Schema.Number,
  shouldReorder: Schema.Boolean,
  unitPrice: Schema.NullOr(
    Schema.Struct({
      amount: Schema.String,
      currency: Schema.String,
      sourceId: Schema.NullOr(Schema.Number),
      label: Schema.String,
    }),
  ),
  expectedCost: Schema.NullOr(Schema.Struct({ amount: Schema.String, currency: Schema.String })),
  abc: Schema.NullOr(Schema.Literal("A", "B", "C")),
  xyz: Schema.NullOr(Schema.Literal("X", "Y", "Z")),
  reasons: Schema.Array(Schema.String),
});
export type AdviceResponse = typeof AdviceResponse.Type;
