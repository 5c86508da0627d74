/**
 * Chooses a product's best current price: the lowest latest quote among active sources that
 * succeeded and are not out of stock, in the product's currency when any source quotes it.
 * Amounts are compared exactly (fixed-point), never as floats.
 */
import { parseFixed4 } from "../money/index.ts";
import type { PriceQuote } from "./insights.ts";

export interface SourceObservation {
  readonly sourceId: number;
  readonly label: string;
  readonly active: boolean;
  readonly status: string | null;
  readonly amount: string | null;
  readonly currency: string | null;
  readonly availability: "in_stock" | "out_of_stock" | "unknown" | null;
  readonly collectedAt: string | null;
}

const hourMs = 60 * 60 * 1000;

export function quoteOf(observation: SourceObservation, nowMs: number): PriceQuote | null {
  const { amount, currency, collectedAt } = observation;
  if (observation.status !== "ok" && observation.status !== "not_modified") return null;
  if (amount === null || currency === null || collectedAt === null) return null;
  return {
    sourceId: observation.sourceId,
    label: observation.label,
    amount,
    currency,
    availability: observation.availability ?? "unknown",
    collectedAt,
    ageHours: Math.max(0, Math.round(((nowMs - Date.parse(collectedAt)) / hourMs) * 10) / 10),
  };
}

export function bestQuote(
  observations: readonly SourceObservation[],
  productCurrency: string,
  nowMs: number,
): PriceQuote | null {
  const candidates = observations
    .filter((observation) => observation.active)
    .map((observation) => quoteOf(observation, nowMs))
    .filter((quote): quote is PriceQuote => quote !== null && quote.availability !== "out_of_stock");
  const inProductCurrency = candidates.filter((quote) => quote.currency === productCurrency);
  const pool = inProductCurrency.length > 0 ? inProductCurrency : candidates;
  const amountOf = (quote: PriceQuote) => parseFixed4(quote.amount) ?? 0n;
  // Amounts in different currencies are not compared: the first currency met wins.
  return pool.reduce<PriceQuote | null>(
    (best, quote) =>
      best === null || (quote.currency === best.currency && amountOf(quote) < amountOf(best)) ? quote : best,
    null,
  );
}
