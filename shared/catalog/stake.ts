/**
 * A product's advice snapshot (pure): its stock status and the money at stake, from its purchase
 * advice, its catalogue profile and its average selling price. See docs/analysis.md, "Money at
 * stake", for the formulas:
 *
 * - expected lost units = E[(D − s)⁺] = P(D > s) × E[D − s | D > s], D the lead-time demand
 *   (normal with the advice's mean and service-level quantile), s the stock;
 * - lost margin = expected lost units × (selling price − unit cost), never below 0;
 * - overstock capital = units above the order-up-to level × unit cost;
 * - money at stake = lost margin + overstock capital.
 *
 * Amounts are exact decimal strings (4 decimals); what cannot be priced is listed in `unknown`.
 */
import { formatFixed4, parseFixed4, type Fixed4 } from "../money/index.ts";
import { normalQuantile } from "../inventory/index.ts";
import type { AdviceResponse } from "./insights.ts";
import type { Product } from "./product.ts";

/**
 * - `out_of_stock`: nothing on hand;
 * - `reorder`: stock is at or below the reorder point (the advice says order now);
 * - `ok`: enough stock for the lead time at the service level;
 * - `no_forecast`: no advice yet (no sales uploaded, or the model is still training).
 */
export type StockStatus = "out_of_stock" | "reorder" | "ok" | "no_forecast";

export function stockStatus(stock: number, advice: AdviceResponse | null): StockStatus {
  if (stock <= 0) return "out_of_stock";
  if (advice === null) return "no_forecast";
  return advice.shouldReorder ? "reorder" : "ok";
}

export type Unknown = "demand forecast" | "unit cost" | "selling price";

export interface AdviceSnapshot {
  readonly productId: string;
  readonly status: StockStatus;
  /** Why there is no advice (no model yet, ...). */
  readonly error: string | null;
  readonly stock: number;
  readonly stockoutRisk: number | null;
  readonly daysOfCover: number | null;
  readonly orderQuantity: number | null;
  readonly xyz: "X" | "Y" | "Z" | null;
  readonly currency: string;
  readonly unitCost: string | null;
  /** Where the unit cost comes from: a price source's label or "catalogue unit cost". */
  readonly unitCostSource: string | null;
  readonly sellingPrice: string | null;
  readonly orderCost: string | null;
  readonly expectedLostUnits: number | null;
  readonly lostMargin: string | null;
  readonly excessUnits: number | null;
  readonly overstockCapital: string | null;
  /** Lost margin + overstock capital (the known parts); null when neither is known. */
  readonly moneyAtStake: string | null;
  readonly unknown: readonly Unknown[];
}

function normalCdf(x: number): number {
  // Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7).
  const t = 1 / (1 + (0.3275911 * Math.abs(x)) / Math.SQRT2);
  const poly =
    t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erfc = poly * Math.exp(-(x * x) / 2);
  return x >= 0 ? 1 - erfc / 2 : erfc / 2;
}

/**
 * E[(D − stock)⁺] for D normal with the given mean and the given quantile at `level`; when the
 * quantile says nothing about the spread (it equals the mean), D is taken as certain.
 */
export function expectedShortfall(mean: number, quantile: number, level: number, stock: number): number {
  const z = normalQuantile(level);
  const sd = z > 0 ? Math.max(0, (quantile - mean) / z) : 0;
  if (sd === 0) return Math.max(0, mean - stock);
  const k = (stock - mean) / sd;
  const density = Math.exp(-(k * k) / 2) / Math.sqrt(2 * Math.PI);
  return Math.max(0, sd * (density - k * (1 - normalCdf(k))));
}

/** Ten-thousandths × a non-negative float, rounded to the nearest ten-thousandth. */
function scale(amount: Fixed4, factor: number): Fixed4 {
  return BigInt(Math.round(Number(amount) * factor));
}

export interface SnapshotInputs {
  readonly product: Product;
  /** Null when the product has no advice (see `error`). */
  readonly advice: AdviceResponse | null;
  readonly error: string | null;
  /** Average net selling price per unit over the product's recent sales, in the product's currency. */
  readonly sellingPrice: string | null;
}

export function adviceSnapshot({ product, advice, error, sellingPrice }: SnapshotInputs): AdviceSnapshot {
  const unknown: Unknown[] = [];
  const price = advice?.unitPrice ?? null;
  const unitCostText = price?.amount ?? product.unitCost;
  const currency = price?.currency ?? product.currency;
  const unitCost = unitCostText === null ? undefined : parseFixed4(unitCostText);
  const selling =
    sellingPrice === null || currency !== product.currency ? undefined : parseFixed4(sellingPrice);
  if (advice === null) unknown.push("demand forecast");
  if (unitCost === undefined) unknown.push("unit cost");
  if (selling === undefined) unknown.push("selling price");

  let expectedLostUnits: number | null = null;
  let lostMargin: Fixed4 | undefined;
  let excessUnits: number | null = null;
  let overstockCapital: Fixed4 | undefined;
  if (advice !== null) {
    expectedLostUnits = expectedShortfall(
      advice.leadTimeDemand.mean,
      advice.leadTimeDemand.atServiceLevel,
      advice.serviceLevel,
      advice.stock,
    );
    excessUnits = Math.max(0, advice.stock - Math.ceil(advice.orderUpTo));
    if (unitCost !== undefined && selling !== undefined) {
      const margin = selling > unitCost ? selling - unitCost : 0n;
      lostMargin = scale(margin, expectedLostUnits);
    }
    if (unitCost !== undefined) overstockCapital = unitCost * BigInt(excessUnits);
  }
  const parts = [lostMargin, overstockCapital].filter((part) => part !== undefined);
  const format = (value: Fixed4 | undefined) => (value === undefined ? null : formatFixed4(value));
  return {
    productId: product.id,
    status: stockStatus(product.stock, advice),
    error: advice === null ? (error ?? "no purchase advice") : null,
    stock: product.stock,
    stockoutRisk: advice?.stockoutRisk ?? null,
    daysOfCover: advice?.daysOfCover ?? null,
    orderQuantity: advice?.orderQuantity ?? null,
    xyz: advice?.xyz ?? null,
    currency,
    unitCost: format(unitCost),
    unitCostSource: unitCost === undefined ? null : (price?.label ?? "catalogue unit cost"),
    sellingPrice: format(selling),
    orderCost: advice?.expectedCost?.amount ?? null,
    expectedLostUnits: expectedLostUnits === null ? null : Number(expectedLostUnits.toFixed(4)),
    lostMargin: format(lostMargin),
    excessUnits,
    overstockCapital: format(overstockCapital),
    moneyAtStake: parts.length === 0 ? null : formatFixed4(parts.reduce((sum, part) => sum + part, 0n)),
    unknown,
  };
}
