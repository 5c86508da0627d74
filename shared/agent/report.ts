/**
 * The analysis report: which products the Monitor flagged and why, one recommendation per
 * flagged product from the Analyst (buy now / wait / reduce, quantity, source, exact cost, the
 * reasons with their figures), usage against the limits, and notes. Same shape online and offline.
 */
import { Schema } from "effect";
import { ProductId, identifier } from "../ids/index.ts";
import { AnalysisLimits, AnalysisUsage } from "./budget.ts";
import { Money } from "../money/index.ts";

export const AnalysisId = identifier("an analysis id");

export const Risk = Schema.Literal("stockout", "price_drop", "overstock");
export type Risk = typeof Risk.Type;

export const Action = Schema.Literal("buy_now", "wait", "reduce");
export type Action = typeof Action.Type;

export const AnalysisMode = Schema.Literal("claude", "offline");
export type AnalysisMode = typeof AnalysisMode.Type;

export const Reason = Schema.Struct({
  text: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(400)),
  /** The numbers the reason rests on; money as decimal strings. */
  figures: Schema.Record({
    key: Schema.String.pipe(Schema.maxLength(64)),
    value: Schema.Union(Schema.Number, Schema.String.pipe(Schema.maxLength(64))),
  }),
});
export type Reason = typeof Reason.Type;

export const FlaggedProduct = Schema.Struct({
  productId: ProductId,
  risks: Schema.Array(Risk).pipe(Schema.minItems(1)),
  note: Schema.String.pipe(Schema.maxLength(400)),
});
export type FlaggedProduct = typeof FlaggedProduct.Type;

export const UnassessedProduct = Schema.Struct({
  productId: ProductId,
  reason: Schema.String.pipe(Schema.maxLength(400)),
});
export type UnassessedProduct = typeof UnassessedProduct.Type;

export const PriceSource = Schema.Struct({ sourceId: Schema.NullOr(Schema.Number), label: Schema.String });
export type PriceSource = typeof PriceSource.Type;

export const Recommendation = Schema.Struct({
  productId: Schema.String,
  action: Action,
  quantity: Schema.Number,
  source: Schema.NullOr(PriceSource),
  unitPrice: Schema.NullOr(Money),
  expectedCost: Schema.NullOr(Money),
  risks: Schema.Array(Risk),
  reasons: Schema.Array(Reason),
  decidedBy: Schema.Literal("claude", "rules"),
});
export type Recommendation = typeof Recommendation.Type;

export const AnalysisReport = Schema.Struct({
  analysisId: Schema.String,
  mode: AnalysisMode,
  model: Schema.NullOr(Schema.String),
  startedAt: Schema.String,
  finishedAt: Schema.String,
  scanned: Schema.Array(Schema.String),
  flagged: Schema.Array(FlaggedProduct),
  unassessed: Schema.Array(UnassessedProduct),
  recommendations: Schema.Array(Recommendation),
  usage: AnalysisUsage,
  limits: AnalysisLimits,
  notes: Schema.Array(Schema.String),
});
export type AnalysisReport = typeof AnalysisReport.Type;
