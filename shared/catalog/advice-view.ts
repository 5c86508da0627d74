/**
 * Purchase advice as the product object serves it: the inventory maths applied to the model's
 * lead-time demand, the product's stock and the best current price, plus its ABC/XYZ class.
 */
import type { ForecastModel } from "../forecast/index.ts";
import type { RegularSeries } from "../forecast/index.ts";
import { formatFixed4, multiplyFixed4, parseFixed4 } from "../money/index.ts";
import { classifyAbcXyz, purchaseAdvice } from "../inventory/index.ts";
import { demandOverDays } from "./forecast-view.ts";
import type { AdviceRequest, AdviceResponse, PriceQuote } from "./insights.ts";
import type { Product } from "./product.ts";

const defaultServiceLevel = 0.95;
const defaultReviewPeriodDays = 7;
const rateWindowDays = 28;

/** Coefficient of variation of demand per period (null when nothing was sold). */
export function demandCv(series: RegularSeries): number | null {
  const values = series.values;
  if (values.length < 2) return null;
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  if (mean <= 0) return null;
  const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (values.length - 1);
  return Math.sqrt(variance) / mean;
}

export interface AdviceInputs {
  readonly product: Product;
  readonly model: ForecastModel;
  readonly request: AdviceRequest;
  readonly bestPrice: PriceQuote | null;
  /** Recent sales value of every product (for ABC) and this product's demand CV (for XYZ). */
  readonly salesValues: readonly { readonly productId: string; readonly value: number }[];
  readonly demandCv: number | null;
  /** Units on open purchase orders, not yet received. */
  readonly onOrder: number;
}

export function adviceResponse(inputs: AdviceInputs): AdviceResponse {
  const { product, model, request, bestPrice } = inputs;
  const serviceLevel = request.serviceLevel ?? defaultServiceLevel;
  const reviewPeriodDays = request.reviewPeriodDays ?? defaultReviewPeriodDays;
  const unitPrice = bestPrice
    ? {
        amount: bestPrice.amount,
        currency: bestPrice.currency,
        sourceId: bestPrice.sourceId,
        label: bestPrice.label,
      }
    : product.unitCost !== null
      ? { amount: product.unitCost, currency: product.currency, sourceId: null, label: "catalogue unit cost" }
      : null;
  const averageDailyDemand = demandOverDays(model, rateWindowDays).mean / rateWindowDays;
  const advice = purchaseAdvice(
    {
      leadTime: demandOverDays(model, product.leadTimeDays),
      protection: demandOverDays(model, product.leadTimeDays + reviewPeriodDays),
    },
    {
      onHand: product.stock,
      onOrder: inputs.onOrder,
      leadTimeDays: product.leadTimeDays,
      reviewPeriodDays,
      serviceLevel,
      dailyDemandMean: averageDailyDemand,
      currency: unitPrice?.currency ?? product.currency,
      ...(unitPrice && { unitCost: unitPrice.amount }),
      ...(request.orderingCost !== undefined && { orderingCost: request.orderingCost }),
      ...(request.holdingCostRate !== undefined && { holdingCostRate: request.holdingCostRate }),
    },
  );
  const classes = classifyAbcXyz(
    inputs.salesValues.map((item) => ({
      productId: item.productId,
      annualValue: Math.max(0, item.value),
      demandCv: item.productId === product.id ? inputs.demandCv : null,
    })),
  );
  const own = classes.find((item) => item.productId === product.id);
  const unitAmount = unitPrice ? parseFixed4(unitPrice.amount) : undefined;
  return {
    productId: product.id,
    stock: product.stock,
    onOrder: inputs.onOrder,
    leadTimeDays: product.leadTimeDays,
    reviewPeriodDays,
    serviceLevel,
    averageDailyDemand,
    leadTimeDemand: { mean: advice.leadTimeDemand.mean, atServiceLevel: advice.leadTimeDemand.quantile },
    safetyStock: advice.safetyStock,
    reorderPoint: advice.reorderPoint,
    orderUpTo: advice.orderUpToLevel,
    orderQuantity: advice.suggestedOrderQuantity,
    economicOrderQuantity: advice.economicOrderQuantity,
    daysOfCover: advice.daysOfCover,
    stockoutRisk: advice.stockoutRisk,
    shouldReorder: advice.suggestedOrderQuantity > 0,
    unitPrice,
    expectedCost:
      unitPrice && unitAmount !== undefined
        ? {
            amount: formatFixed4(multiplyFixed4(unitAmount, advice.suggestedOrderQuantity)),
            currency: unitPrice.currency,
          }
        : null,
    abc: own?.abc ?? null,
    xyz: own ? own.xyz : null,
    reasons: advice.reasons,
  };
}
