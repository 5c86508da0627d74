/**
 * The deterministic Monitor and Analyst: fixed rules on the numbers the tools return. The
 * Monitor flags stock-out before the lead time, a price near its historical low, and overstock;
 * the Analyst turns the flags into buy now / wait / reduce with a quantity, source and exact cost.
 */
import type { AdviceResponse, BestPriceResponse, ForecastResponse, PriceQuote } from "../catalog/insights.ts";
import { multiplyAmount, normaliseAmount, rangePosition, amountRatio, type Money } from "../money/index.ts";
import type { PriceSource, Reason, Recommendation, Risk } from "./report.ts";

export const ruleThresholds = {
  /** Flag a stock-out when the chance of running out during the lead time reaches this. */
  stockoutRisk: 0.1,
  /** A price is "near its low" in the bottom share of its observed min..max range. */
  nearLowShare: 0.1,
  /** ... and at least this far below the historical max. */
  dropFromHigh: 0.05,
  /** Price history needs this many observations before a drop means anything. */
  minPriceObservations: 3,
  /** Overstock when stock exceeds the order-up-to level times this. */
  overstockFactor: 1.5,
} as const;

export interface ProductFacts {
  readonly advice: AdviceResponse;
  readonly bestPrice: BestPriceResponse | null;
}

export interface Assessment {
  readonly risks: readonly Risk[];
  readonly reasons: readonly Reason[];
}

const round = (value: number, decimals = 2) => Number(value.toFixed(decimals));

function stockoutReasons(advice: AdviceResponse): Reason[] {
  const reasons: Reason[] = [];
  if (advice.daysOfCover !== null && advice.daysOfCover < advice.leadTimeDays) {
    reasons.push({
      text: `stock of ${advice.stock}${advice.onOrder > 0 ? ` (+${advice.onOrder} on order)` : ""} covers ${round(advice.daysOfCover, 1)} days, less than the ${advice.leadTimeDays}-day lead time`,
      figures: {
        stock: advice.stock,
        daysOfCover: round(advice.daysOfCover),
        leadTimeDays: advice.leadTimeDays,
      },
    });
  }
  if (advice.stockoutRisk >= ruleThresholds.stockoutRisk) {
    reasons.push({
      text: `${round(advice.stockoutRisk * 100, 1)}% chance of a stock-out during the lead time (threshold ${ruleThresholds.stockoutRisk * 100}%)`,
      figures: { stockoutRisk: round(advice.stockoutRisk, 4), reorderPoint: round(advice.reorderPoint) },
    });
  }
  return reasons;
}

/** The best quote that can be bought now: in stock or of unknown availability. */
export function buyableQuote(bestPrice: BestPriceResponse | null): PriceQuote | null {
  const best = bestPrice?.best ?? null;
  return best !== null && best.availability !== "out_of_stock" ? best : null;
}

function priceDropReasons(bestPrice: BestPriceResponse | null): Reason[] {
  const quote = buyableQuote(bestPrice);
  const history = bestPrice?.history ?? null;
  if (quote === null || history === null) return [];
  if (history.currency !== quote.currency || history.observations < ruleThresholds.minPriceObservations)
    return [];
  const position = rangePosition(quote.amount, history.min, history.max);
  const ofHigh = amountRatio(quote.amount, history.max);
  if (position === null || position > ruleThresholds.nearLowShare || ofHigh > 1 - ruleThresholds.dropFromHigh)
    return [];
  return [
    {
      text:
        `best price ${normaliseAmount(quote.amount)} ${quote.currency} at ${quote.label} is ${round((1 - ofHigh) * 100, 1)}% ` +
        `below the high of ${normaliseAmount(history.max)} (low ${normaliseAmount(history.min)}, ${history.observations} observations)`,
      figures: {
        bestPrice: normaliseAmount(quote.amount),
        historyMin: normaliseAmount(history.min),
        historyMax: normaliseAmount(history.max),
        dropFromHigh: round(1 - ofHigh, 4),
      },
    },
  ];
}

function overstockReasons(advice: AdviceResponse): Reason[] {
  if (advice.stock <= advice.orderUpTo * ruleThresholds.overstockFactor || advice.stock === 0) return [];
  const text =
    advice.orderUpTo > 0
      ? `stock of ${advice.stock} is ${round(advice.stock / advice.orderUpTo, 1)}× the order-up-to level of ${round(advice.orderUpTo)}`
      : `stock of ${advice.stock} with no expected demand (order-up-to level 0)`;
  return [
    {
      text,
      figures: {
        stock: advice.stock,
        orderUpTo: round(advice.orderUpTo),
        averageDailyDemand: round(advice.averageDailyDemand, 4),
      },
    },
  ];
}

/** The Monitor's rules: which risks a product runs, each with the numbers behind it. */
export function assessRisks(facts: ProductFacts): Assessment {
  const byRisk: ReadonlyArray<readonly [Risk, Reason[]]> = [
    ["stockout", stockoutReasons(facts.advice)],
    ["price_drop", priceDropReasons(facts.bestPrice)],
    ["overstock", overstockReasons(facts.advice)],
  ];
  const present = byRisk.filter(([, reasons]) => reasons.length > 0);
  return { risks: present.map(([risk]) => risk), reasons: present.flatMap(([, reasons]) => reasons) };
}

/** Where to buy and at what unit price: the best buyable quote, else the advice's unit price. */
export function chooseSource(facts: ProductFacts): { source: PriceSource; unitPrice: Money } | null {
  const quote = buyableQuote(facts.bestPrice);
  if (quote !== null)
    return {
      source: { sourceId: quote.sourceId, label: quote.label },
      unitPrice: { amount: normaliseAmount(quote.amount), currency: quote.currency },
    };
  const price = facts.advice.unitPrice;
  if (price === null) return null;
  return {
    source: { sourceId: price.sourceId, label: price.label },
    unitPrice: { amount: normaliseAmount(price.amount), currency: price.currency },
  };
}

function forecastReason(forecast: ForecastResponse): Reason {
  const periods = forecast.points.length;
  return {
    text:
      `forecast demand over the next ${periods} ${forecast.unit}${periods === 1 ? "" : "s"}: ` +
      `${round(forecast.total.mean, 1)} units (p10 ${round(forecast.total.p10, 1)}, p90 ${round(forecast.total.p90, 1)}) by ${forecast.method}`,
    figures: {
      forecastMean: round(forecast.total.mean),
      forecastP10: round(forecast.total.p10),
      forecastP90: round(forecast.total.p90),
      periods,
    },
  };
}

function plan(
  facts: ProductFacts,
  risks: readonly Risk[],
): { action: Recommendation["action"]; quantity: number; reason: Reason } {
  const { advice } = facts;
  const gap = Math.ceil(advice.orderUpTo - advice.stock);
  if (risks.includes("stockout")) {
    const quantity = Math.max(Math.ceil(advice.orderQuantity), gap);
    if (quantity > 0)
      return {
        action: "buy_now",
        quantity,
        reason: {
          text: `order ${quantity} units to bring stock of ${advice.stock} up to the order-up-to level of ${round(advice.orderUpTo)} (safety stock ${round(advice.safetyStock)})`,
          figures: { quantity, orderUpTo: round(advice.orderUpTo), safetyStock: round(advice.safetyStock) },
        },
      };
  }
  if (risks.includes("overstock")) {
    const quantity = Math.floor(advice.stock - advice.orderUpTo);
    return {
      action: "reduce",
      quantity,
      reason: {
        text: `${quantity} units above the order-up-to level of ${round(advice.orderUpTo)}: stop ordering and run the excess down`,
        figures: { excess: quantity, orderUpTo: round(advice.orderUpTo) },
      },
    };
  }
  if (risks.includes("price_drop") && gap > 0)
    return {
      action: "buy_now",
      quantity: gap,
      reason: {
        text: `buy ${gap} units ahead at the low price, up to the order-up-to level of ${round(advice.orderUpTo)}`,
        figures: { quantity: gap, orderUpTo: round(advice.orderUpTo) },
      },
    };
  return {
    action: "wait",
    quantity: 0,
    reason: {
      text: `stock of ${advice.stock} is enough until the next review (reorder point ${round(advice.reorderPoint)})`,
      figures: { stock: advice.stock, reorderPoint: round(advice.reorderPoint) },
    },
  };
}

/** The Analyst's rules: one recommendation from the product's facts, risks and forecast. */
export function recommend(
  productId: string,
  facts: ProductFacts,
  forecast: ForecastResponse | null,
): Recommendation {
  const assessment = assessRisks(facts);
  const { action, quantity, reason } = plan(facts, assessment.risks);
  const priced = action === "buy_now" ? chooseSource(facts) : null;
  return {
    productId,
    action,
    quantity,
    source: priced?.source ?? null,
    unitPrice: priced?.unitPrice ?? null,
    expectedCost:
      priced === null
        ? null
        : { amount: multiplyAmount(priced.unitPrice.amount, quantity), currency: priced.unitPrice.currency },
    risks: assessment.risks,
    reasons: [...assessment.reasons, reason, ...(forecast === null ? [] : [forecastReason(forecast)])],
    decidedBy: "rules",
  };
}
