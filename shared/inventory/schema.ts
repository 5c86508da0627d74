/**
 * Wire types of purchase advice and ABC/XYZ classification as Effect Schemas: the advice parameters
 * (decoded at the boundary, defaults filled in), the advice itself and the classification rows.
 */
import { Schema } from "effect";
import { CurrencyCode, DecimalAmount } from "../money/index.ts";

const NonNegative = Schema.Finite.pipe(
  Schema.nonNegative({ message: () => "expected a finite number >= 0" }),
);
const Days = NonNegative.pipe(
  Schema.lessThanOrEqualTo(3650, { message: () => "expected at most 3650 days" }),
);
const Probability = Schema.Finite.pipe(Schema.between(0, 1));

export const AdviceParameters = Schema.Struct({
  /** Units in stock now. */
  onHand: NonNegative,
  /** Units ordered and not yet received (they arrive within the lead time). */
  onOrder: Schema.optionalWith(NonNegative, { default: () => 0 }),
  leadTimeDays: Days,
  /** Days until the next chance to order (0 = continuous review). */
  reviewPeriodDays: Schema.optionalWith(Days, { default: () => 0 }),
  serviceLevel: Schema.optionalWith(
    Schema.Finite.pipe(
      Schema.greaterThan(0, { message: () => "expected a probability strictly between 0 and 1" }),
      Schema.lessThan(1, { message: () => "expected a probability strictly between 0 and 1" }),
    ),
    { default: () => 0.95 },
  ),
  /** Mean demand per day; defaults to the protection-interval mean / (lead time + review period). */
  dailyDemandMean: Schema.optional(NonNegative),
  unitCost: Schema.optional(DecimalAmount),
  /** Fixed cost of placing one order. */
  orderingCost: Schema.optional(DecimalAmount),
  /** Cost of holding one unit for a year, as a fraction of its unit cost (e.g. 0.25). */
  holdingCostRate: Schema.optional(NonNegative),
  currency: Schema.optionalWith(CurrencyCode, { default: () => "USD" }),
  minimumOrderQuantity: Schema.optional(Schema.NonNegativeInt),
  packSize: Schema.optional(
    Schema.Int.pipe(Schema.positive({ message: () => "expected a whole number >= 1" })),
  ),
});
export type AdviceParameters = typeof AdviceParameters.Type;
export type AdviceParametersInput = typeof AdviceParameters.Encoded;

export const AdviceReason = Schema.Literal(
  /** Inventory position is at or below the reorder point: order now. */
  "BELOW_REORDER_POINT",
  /** Inventory position is below the order-up-to level: an order is suggested at this review. */
  "BELOW_ORDER_UP_TO_LEVEL",
  /** Inventory position covers the protection interval: no order. */
  "STOCK_SUFFICIENT",
  "RAISED_TO_EOQ",
  "RAISED_TO_MINIMUM_ORDER",
  "ROUNDED_TO_PACK_SIZE",
  /** Probability of running out before an order placed now arrives exceeds 1 - service level. */
  "STOCKOUT_RISK_ABOVE_TARGET",
  /** The forecast expects no demand over the protection interval. */
  "NO_DEMAND",
  /** Unit cost, ordering cost or holding cost rate missing (or zero): no EOQ or cost estimate. */
  "COSTS_UNKNOWN",
);
export type AdviceReason = typeof AdviceReason.Type;

const Money = Schema.String.pipe(Schema.pattern(/^\d+\.\d{2}$/));

const DemandSummary = Schema.Struct({
  days: NonNegative,
  mean: NonNegative,
  /** Quantile at the service level. */
  quantile: NonNegative,
});

export const PurchaseAdvice = Schema.Struct({
  serviceLevel: Probability,
  /** On hand + on order. */
  inventoryPosition: NonNegative,
  leadTimeDemand: DemandSummary,
  /** Demand over lead time + review period. */
  protectionDemand: DemandSummary,
  /** Order-up-to level minus mean protection demand (negative when the quantile lies below the mean). */
  safetyStock: Schema.Finite,
  reorderPoint: NonNegative,
  orderUpToLevel: NonNegative,
  economicOrderQuantity: Schema.NullOr(NonNegative),
  suggestedOrderQuantity: Schema.NonNegativeInt,
  /** Inventory position (on hand + on order) / daily demand mean; null when no demand is expected. */
  daysOfCover: Schema.NullOr(NonNegative),
  /** P(lead-time demand > inventory position): running out before an order placed now arrives. */
  stockoutRisk: Probability,
  /** P(protection demand > inventory position + suggested order). */
  stockoutRiskAfterOrder: Probability,
  /** Yearly cost of replenishing in batches of `batchQuantity` (purchase price excluded). */
  expectedCost: Schema.NullOr(
    Schema.Struct({
      currency: CurrencyCode,
      batchQuantity: Schema.NonNegativeInt,
      orderingPerYear: Money,
      holdingPerYear: Money,
      totalPerYear: Money,
    }),
  ),
  reasons: Schema.Array(AdviceReason),
});
export type PurchaseAdvice = typeof PurchaseAdvice.Type;

export const AbcClass = Schema.Literal("A", "B", "C");
export const XyzClass = Schema.Literal("X", "Y", "Z");

export const ClassificationItem = Schema.Struct({
  productId: Schema.String,
  /** Yearly consumption value (e.g. units sold per year * unit cost or revenue), >= 0. */
  annualValue: NonNegative,
  /** Coefficient of variation of demand per period (sd / mean); null when the mean is 0. */
  demandCv: Schema.NullOr(NonNegative),
});
export type ClassificationItem = typeof ClassificationItem.Type;

export const ClassificationThresholds = Schema.Struct({
  /** Cumulative value share closing class A and class B. */
  a: Schema.optionalWith(Probability, { default: () => 0.8 }),
  b: Schema.optionalWith(Probability, { default: () => 0.95 }),
  /** Highest CV of class X and of class Y. */
  x: Schema.optionalWith(NonNegative, { default: () => 0.5 }),
  y: Schema.optionalWith(NonNegative, { default: () => 1 }),
});
export type ClassificationThresholdsInput = typeof ClassificationThresholds.Encoded;

export const ProductClass = Schema.Struct({
  productId: Schema.String,
  abc: AbcClass,
  xyz: XyzClass,
  /** This product's share of the total value, and the cumulative share up to and including it. */
  valueShare: Probability,
  cumulativeShare: Probability,
});
export type ProductClass = typeof ProductClass.Type;
