/**
 * Purchase advice for one product under a periodic-review order-up-to policy with an EOQ floor
 * (formulas in docs/inventory.md): reorder point and order-up-to level are demand quantiles at the
 * service level, the order fills the gap to the order-up-to level, raised to the EOQ when costs are
 * known, then to the minimum order and a whole number of packs.
 */
import { estimateAmount } from "../money/index.ts";
import { probabilityAtMost, type DemandDistribution } from "./demand.ts";
import { decodeOrThrow } from "./decode.ts";
import { InventoryError } from "./errors.ts";
import {
  AdviceParameters,
  type AdviceParametersInput,
  type AdviceReason,
  type PurchaseAdvice,
} from "./schema.ts";

export interface AdviceDemand {
  /** Total demand over the lead time. */
  readonly leadTime: DemandDistribution;
  /** Total demand over the lead time plus the review period (the protection interval). */
  readonly protection: DemandDistribution;
}

const DAYS_PER_YEAR = 365;
/** Rounding slack for float noise: 47.0000000001 units is 47, a gap of 1e-12 units is no gap. */
const TOLERANCE = 1e-9;

function checkedMean(demand: DemandDistribution, field: string): number {
  if (!Number.isFinite(demand.mean) || demand.mean < 0) {
    throw new InventoryError(`${field}.mean`, `must be a finite number >= 0, got ${demand.mean}`);
  }
  return demand.mean;
}

function checkedQuantile(demand: DemandDistribution, p: number, field: string): number {
  const value = demand.quantile(p);
  if (!Number.isFinite(value) || value < 0) {
    throw new InventoryError(`${field}.quantile(${p})`, `must be a finite number >= 0, got ${value}`);
  }
  return value;
}

function roundTo(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

/** Whole units (at least 1), at least the minimum order, a multiple of the pack size. */
function orderable(
  quantity: number,
  minimum: number | undefined,
  packSize: number | undefined,
): { quantity: number; reasons: AdviceReason[] } {
  const reasons: AdviceReason[] = [];
  let units = Math.max(1, Math.ceil(quantity - TOLERANCE));
  if (minimum !== undefined && units < minimum) {
    units = minimum;
    reasons.push("RAISED_TO_MINIMUM_ORDER");
  }
  if (packSize !== undefined && units % packSize !== 0) {
    units = Math.ceil(units / packSize) * packSize;
    reasons.push("ROUNDED_TO_PACK_SIZE");
  }
  return { quantity: units, reasons };
}

/**
 * Advice from the demand distributions and the product's stock and cost parameters. Throws
 * InventoryError naming the field for invalid parameters or a distribution giving NaN/negative values.
 */
export function purchaseAdvice(demand: AdviceDemand, input: AdviceParametersInput): PurchaseAdvice {
  const parameters = decodeOrThrow(AdviceParameters, input, "");
  const { serviceLevel, leadTimeDays, reviewPeriodDays } = parameters;
  const leadTimeMean = checkedMean(demand.leadTime, "leadTimeDemand");
  const protectionMean = checkedMean(demand.protection, "protectionDemand");
  const reorderPoint = checkedQuantile(demand.leadTime, serviceLevel, "leadTimeDemand");
  const orderUpToLevel = Math.max(
    checkedQuantile(demand.protection, serviceLevel, "protectionDemand"),
    reorderPoint,
  );
  const protectionDays = leadTimeDays + reviewPeriodDays;
  if (parameters.dailyDemandMean === undefined && protectionDays === 0) {
    throw new InventoryError(
      "dailyDemandMean",
      "is required when the lead time and review period are both 0 days",
    );
  }
  const dailyDemand = parameters.dailyDemandMean ?? protectionMean / protectionDays;
  const annualDemand = dailyDemand * DAYS_PER_YEAR;
  const inventoryPosition = parameters.onHand + parameters.onOrder;
  const reasons: AdviceReason[] = [];
  const noDemand = protectionMean === 0 && orderUpToLevel === 0;
  if (noDemand) reasons.push("NO_DEMAND");

  const unitCost = parameters.unitCost === undefined ? 0 : Number(parameters.unitCost);
  const orderingCost = parameters.orderingCost === undefined ? 0 : Number(parameters.orderingCost);
  const holdingCost = unitCost * (parameters.holdingCostRate ?? 0);
  const costsKnown = orderingCost > 0 && holdingCost > 0;
  if (!costsKnown) reasons.push("COSTS_UNKNOWN");
  const economicOrderQuantity =
    costsKnown && annualDemand > 0 ? Math.sqrt((2 * annualDemand * orderingCost) / holdingCost) : null;

  let suggestedOrderQuantity = 0;
  if (orderUpToLevel - inventoryPosition > TOLERANCE) {
    reasons.push("BELOW_ORDER_UP_TO_LEVEL");
    if (inventoryPosition <= reorderPoint) reasons.push("BELOW_REORDER_POINT");
    const gap = orderUpToLevel - inventoryPosition;
    const raised = economicOrderQuantity !== null && economicOrderQuantity > gap;
    if (raised) reasons.push("RAISED_TO_EOQ");
    const order = orderable(
      raised ? economicOrderQuantity : gap,
      parameters.minimumOrderQuantity,
      parameters.packSize,
    );
    suggestedOrderQuantity = order.quantity;
    reasons.push(...order.reasons);
  } else {
    reasons.push("STOCK_SUFFICIENT");
  }

  const stockoutRisk = 1 - probabilityAtMost(demand.leadTime, inventoryPosition);
  if (stockoutRisk > 1 - serviceLevel + TOLERANCE) reasons.push("STOCKOUT_RISK_ABOVE_TARGET");
  const stockoutRiskAfterOrder =
    1 - probabilityAtMost(demand.protection, inventoryPosition + suggestedOrderQuantity);
  const safetyStock = orderUpToLevel - protectionMean;

  let expectedCost: PurchaseAdvice["expectedCost"] = null;
  if (economicOrderQuantity !== null) {
    const batch = orderable(
      economicOrderQuantity,
      parameters.minimumOrderQuantity,
      parameters.packSize,
    ).quantity;
    const orderingPerYear = (orderingCost * annualDemand) / batch;
    const holdingPerYear = holdingCost * (batch / 2 + Math.max(0, safetyStock));
    expectedCost = {
      currency: parameters.currency,
      batchQuantity: batch,
      orderingPerYear: estimateAmount(orderingPerYear),
      holdingPerYear: estimateAmount(holdingPerYear),
      totalPerYear: estimateAmount(orderingPerYear + holdingPerYear),
    };
  }

  return {
    serviceLevel,
    inventoryPosition,
    leadTimeDemand: {
      days: leadTimeDays,
      mean: roundTo(leadTimeMean, 2),
      quantile: roundTo(reorderPoint, 2),
    },
    protectionDemand: {
      days: protectionDays,
      mean: roundTo(protectionMean, 2),
      quantile: roundTo(orderUpToLevel, 2),
    },
    safetyStock: roundTo(safetyStock, 2),
    reorderPoint: roundTo(reorderPoint, 2),
    orderUpToLevel: roundTo(orderUpToLevel, 2),
    economicOrderQuantity: economicOrderQuantity === null ? null : roundTo(economicOrderQuantity, 2),
    suggestedOrderQuantity,
    daysOfCover: dailyDemand > 0 ? roundTo(inventoryPosition / dailyDemand, 1) : null,
    stockoutRisk: roundTo(stockoutRisk, 6),
    stockoutRiskAfterOrder: roundTo(stockoutRiskAfterOrder, 6),
    expectedCost,
    reasons,
  };
}
