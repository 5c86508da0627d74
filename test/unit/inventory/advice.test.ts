import { Schema } from "effect";
import { describe, expect, it } from "vitest";
import {
  InventoryError,
  normalDemand,
  normalDemandOver,
  purchaseAdvice,
  PurchaseAdvice,
  type AdviceDemand,
  type AdviceParametersInput,
} from "../../../shared/inventory/index.ts";

/** Daily demand ~ N(100, 20^2), independent days. */
function dailyNormal(leadTimeDays: number, reviewPeriodDays = 0): AdviceDemand {
  return {
    leadTime: normalDemandOver(leadTimeDays, 100, 20),
    protection: normalDemandOver(leadTimeDays + reviewPeriodDays, 100, 20),
  };
}

function errorOf(run: () => unknown): InventoryError {
  try {
    run();
  } catch (error) {
    if (error instanceof InventoryError) return error;
    throw error;
  }
  throw new Error("expected an InventoryError");
}

describe("purchaseAdvice with normal demand (textbook answers)", () => {
  it("gives safety stock z * sd * sqrt(L) = 1.645 * 20 * sqrt(2) = 46.5 for L = 2 periods at 95%", () => {
    const advice = purchaseAdvice(dailyNormal(2), { onHand: 100, leadTimeDays: 2 });
    expect(advice.safetyStock).toBeCloseTo(46.52, 2);
    expect(advice.reorderPoint).toBeCloseTo(246.52, 2);
    expect(advice.orderUpToLevel).toBeCloseTo(246.52, 2);
    expect(advice.serviceLevel).toBe(0.95);
  });

  it("protects lead time plus review period: S = 700 + 1.645 * 20 * sqrt(7) for L = 2, R = 5", () => {
    const advice = purchaseAdvice(dailyNormal(2, 5), { onHand: 100, leadTimeDays: 2, reviewPeriodDays: 5 });
    expect(advice.orderUpToLevel).toBeCloseTo(787.04, 2);
    expect(advice.safetyStock).toBeCloseTo(87.04, 2);
    expect(advice.reorderPoint).toBeCloseTo(246.52, 2);
    expect(advice.protectionDemand).toEqual({ days: 7, mean: 700, quantile: advice.orderUpToLevel });
  });

  it("orders the gap to the order-up-to level, rounded up to whole units", () => {
    const advice = purchaseAdvice(dailyNormal(2), { onHand: 60, onOrder: 40, leadTimeDays: 2 });
    expect(advice.inventoryPosition).toBe(100);
    expect(advice.suggestedOrderQuantity).toBe(147);
    expect(advice.reasons).toEqual([
      "COSTS_UNKNOWN",
      "BELOW_ORDER_UP_TO_LEVEL",
      "BELOW_REORDER_POINT",
      "STOCKOUT_RISK_ABOVE_TARGET",
    ]);
    expect(advice.stockoutRiskAfterOrder).toBeLessThanOrEqual(0.05);
  });

  it("raises the order to the minimum order quantity, then to whole packs", () => {
    const packs = purchaseAdvice(dailyNormal(2), { onHand: 100, leadTimeDays: 2, packSize: 12 });
    expect(packs.suggestedOrderQuantity).toBe(156);
    expect(packs.reasons).toContain("ROUNDED_TO_PACK_SIZE");
    const minimum = purchaseAdvice(dailyNormal(2), {
      onHand: 100,
      leadTimeDays: 2,
      packSize: 12,
      minimumOrderQuantity: 200,
    });
    expect(minimum.suggestedOrderQuantity).toBe(204);
    expect(minimum.reasons).toEqual(
      expect.arrayContaining(["RAISED_TO_MINIMUM_ORDER", "ROUNDED_TO_PACK_SIZE"]),
    );
  });

  it("orders nothing when the inventory position reaches the order-up-to level", () => {
    const advice = purchaseAdvice(dailyNormal(2), { onHand: 300, leadTimeDays: 2 });
    expect(advice.suggestedOrderQuantity).toBe(0);
    expect(advice.reasons).toEqual(["COSTS_UNKNOWN", "STOCK_SUFFICIENT"]);
    expect(advice.daysOfCover).toBe(3);
    // P(N(200, 28.28) > 300) = 1 - Phi(3.5355) = 0.000204
    expect(advice.stockoutRisk).toBeCloseTo(0.000204, 5);
  });

  it("puts the stock-out risk at 1 - service level when stock equals the reorder point", () => {
    const reorderPoint = normalDemandOver(2, 100, 20).quantile(0.9);
    const advice = purchaseAdvice(dailyNormal(2), {
      onHand: reorderPoint,
      leadTimeDays: 2,
      serviceLevel: 0.9,
    });
    expect(advice.stockoutRisk).toBeCloseTo(0.1, 6);
    expect(advice.reasons).not.toContain("STOCKOUT_RISK_ABOVE_TARGET");
  });

  it("computes days of cover from on-hand stock and the daily mean", () => {
    const advice = purchaseAdvice(dailyNormal(2), { onHand: 250, leadTimeDays: 2, dailyDemandMean: 40 });
    expect(advice.daysOfCover).toBe(6.3);
  });
});

describe("purchaseAdvice with costs (EOQ)", () => {
  const steadyDemand = (perDay: number, days: number): AdviceDemand => ({
    leadTime: normalDemand(perDay * days, 0),
    protection: normalDemand(perDay * days, 0),
  });
  // D = 1000 units/year, K = 10 per order, h = 0.25 * 10 = 2.5 per unit-year: EOQ = sqrt(2DK/h) = 89.44
  const costs: Omit<AdviceParametersInput, "onHand"> = {
    leadTimeDays: 10,
    dailyDemandMean: 1000 / 365,
    unitCost: "10.00",
    orderingCost: "10.00",
    holdingCostRate: 0.25,
    currency: "EUR",
  };

  it("computes the textbook EOQ sqrt(2 * 1000 * 10 / 2.5) = 89.44", () => {
    const advice = purchaseAdvice(steadyDemand(1000 / 365, 10), { onHand: 1000, ...costs });
    expect(advice.economicOrderQuantity).toBeCloseTo(89.44, 2);
  });

  it("raises an order smaller than the EOQ to the EOQ", () => {
    const advice = purchaseAdvice(steadyDemand(1000 / 365, 10), { onHand: 20, ...costs });
    expect(advice.suggestedOrderQuantity).toBe(90);
    expect(advice.reasons).toContain("RAISED_TO_EOQ");
  });

  it("keeps an order-up-to gap larger than the EOQ", () => {
    const advice = purchaseAdvice(steadyDemand(1000 / 365, 60), { onHand: 0, ...costs, leadTimeDays: 60 });
    expect(advice.orderUpToLevel).toBeCloseTo(164.38, 2);
    expect(advice.suggestedOrderQuantity).toBe(165);
    expect(advice.reasons).not.toContain("RAISED_TO_EOQ");
  });

  it("estimates yearly ordering and holding cost of EOQ batches as exact decimal strings", () => {
    const advice = purchaseAdvice(steadyDemand(1000 / 365, 10), { onHand: 1000, ...costs });
    // batch 90: ordering 10 * 1000 / 90 = 111.11, holding 2.5 * 90 / 2 = 112.50 (no safety stock)
    expect(advice.expectedCost).toEqual({
      currency: "EUR",
      batchQuantity: 90,
      orderingPerYear: "111.11",
      holdingPerYear: "112.50",
      totalPerYear: "223.61",
    });
  });

  it("reports no EOQ or cost and says why when costs are missing", () => {
    const advice = purchaseAdvice(steadyDemand(1000 / 365, 10), {
      onHand: 1000,
      leadTimeDays: 10,
      unitCost: "10.00",
    });
    expect(advice.economicOrderQuantity).toBeNull();
    expect(advice.expectedCost).toBeNull();
    expect(advice.reasons).toContain("COSTS_UNKNOWN");
  });
});

describe("purchaseAdvice edge cases", () => {
  it("advises nothing, with no NaN, when no demand is expected", () => {
    const none: AdviceDemand = { leadTime: normalDemand(0, 0), protection: normalDemand(0, 0) };
    const advice = purchaseAdvice(none, {
      onHand: 0,
      leadTimeDays: 7,
      reviewPeriodDays: 7,
      unitCost: "5.00",
      orderingCost: "20.00",
      holdingCostRate: 0.2,
    });
    expect(advice).toMatchObject({
      safetyStock: 0,
      reorderPoint: 0,
      orderUpToLevel: 0,
      economicOrderQuantity: null,
      suggestedOrderQuantity: 0,
      daysOfCover: null,
      stockoutRisk: 0,
      stockoutRiskAfterOrder: 0,
      expectedCost: null,
    });
    expect(advice.reasons).toEqual(["NO_DEMAND", "STOCK_SUFFICIENT"]);
    expect(Schema.decodeUnknownEither(PurchaseAdvice)(advice)._tag).toBe("Right");
  });

  it("keeps costs finite when the EOQ is a tiny fraction of a unit", () => {
    const advice = purchaseAdvice(
      { leadTime: normalDemand(1e-12, 0), protection: normalDemand(1e-12, 0) },
      { onHand: 0, leadTimeDays: 1, unitCost: "1000.00", orderingCost: "0.01", holdingCostRate: 1 },
    );
    expect(advice.suggestedOrderQuantity).toBe(0);
    expect(advice.expectedCost).toMatchObject({
      batchQuantity: 1,
      orderingPerYear: "0.00",
      holdingPerYear: "500.00",
    });
    expect(Schema.decodeUnknownEither(PurchaseAdvice)(advice)._tag).toBe("Right");
  });

  it("produces advice that encodes and decodes with the PurchaseAdvice schema", () => {
    const advice = purchaseAdvice(dailyNormal(3, 4), { onHand: 10, leadTimeDays: 3, reviewPeriodDays: 4 });
    const decoded = Schema.decodeUnknownEither(PurchaseAdvice)(JSON.parse(JSON.stringify(advice)));
    expect(decoded._tag).toBe("Right");
  });

  it("rejects invalid parameters with an error naming the field", () => {
    const demand = dailyNormal(2);
    expect(errorOf(() => purchaseAdvice(demand, { onHand: -1, leadTimeDays: 2 })).field).toBe("onHand");
    expect(errorOf(() => purchaseAdvice(demand, { onHand: 1, leadTimeDays: 2, serviceLevel: 1 })).field).toBe(
      "serviceLevel",
    );
    expect(errorOf(() => purchaseAdvice(demand, { onHand: 1, leadTimeDays: Number.NaN })).field).toBe(
      "leadTimeDays",
    );
    expect(errorOf(() => purchaseAdvice(demand, { onHand: 1, leadTimeDays: 2, unitCost: "-3" })).field).toBe(
      "unitCost",
    );
    expect(errorOf(() => purchaseAdvice(demand, { onHand: 1, leadTimeDays: 2, packSize: 0 })).field).toBe(
      "packSize",
    );
    expect(
      errorOf(() =>
        purchaseAdvice(
          { leadTime: normalDemand(0, 0), protection: normalDemand(0, 0) },
          { onHand: 1, leadTimeDays: 0 },
        ),
      ).field,
    ).toBe("dailyDemandMean");
  });

  it("rejects a demand distribution that yields NaN or a negative quantile", () => {
    const broken = { mean: 10, quantile: () => Number.NaN };
    const error = errorOf(() =>
      purchaseAdvice({ leadTime: broken, protection: broken }, { onHand: 1, leadTimeDays: 2 }),
    );
    expect(error.field).toBe("leadTimeDemand.quantile(0.95)");
    expect(error.message).toBe("leadTimeDemand.quantile(0.95): must be a finite number >= 0, got NaN");
    const negativeMean = { mean: -1, quantile: () => 1 };
    expect(
      errorOf(() =>
        purchaseAdvice(
          { leadTime: normalDemand(1, 1), protection: negativeMean },
          { onHand: 1, leadTimeDays: 2 },
        ),
      ).field,
    ).toBe("protectionDemand.mean");
  });
});
