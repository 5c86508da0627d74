import { describe, expect, it } from "vitest";
import { adviceResponse } from "../../../shared/catalog/advice-view.ts";
import type { Product } from "../../../shared/catalog/product.ts";
import { fitModel, toRegularSeries } from "../../../shared/forecast/index.ts";

const model = fitModel(
  toRegularSeries(
    Array.from({ length: 80 }, (_, week) => ({
      date: new Date(Date.UTC(2024, 0, 1 + week * 7)).toISOString().slice(0, 10),
      quantity: 14,
    })),
    "week",
  ),
);

const product: Product = {
  id: "lamp",
  sku: "lamp",
  name: "Lamp",
  category: null,
  subCategory: null,
  stock: 0,
  leadTimeDays: 7,
  unitCost: "12.35",
  currency: "USD",
};

const salesValues = [
  { productId: "lamp", value: 900 },
  { productId: "desk", value: 100 },
];

describe("adviceResponse", () => {
  it("orders up to the (lead time + review) demand and prices the order exactly at the catalogue cost", () => {
    const advice = adviceResponse({
      product,
      model,
      request: {},
      bestPrice: null,
      salesValues,
      demandCv: 0.2,
      onOrder: 0,
    });
    expect(advice).toMatchObject({
      serviceLevel: 0.95,
      reviewPeriodDays: 7,
      shouldReorder: true,
      abc: "A",
      xyz: "X",
    });
    expect(advice.averageDailyDemand).toBeCloseTo(2, 1);
    expect(advice.orderQuantity).toBeGreaterThanOrEqual(28);
    expect(advice.unitPrice).toEqual({
      amount: "12.35",
      currency: "USD",
      sourceId: null,
      label: "catalogue unit cost",
    });
    const [whole, cents] = [
      (BigInt(advice.orderQuantity) * 1235n) / 100n,
      (BigInt(advice.orderQuantity) * 1235n) % 100n,
    ];
    expect(advice.expectedCost).toEqual({
      amount: `${whole}.${cents.toString().padStart(2, "0")}`,
      currency: "USD",
    });
  });

  it("uses the best current quote over the catalogue cost, and orders nothing when stock covers demand", () => {
    const advice = adviceResponse({
      product: { ...product, stock: 500 },
      model,
      request: { serviceLevel: 0.9 },
      bestPrice: {
        sourceId: 3,
        label: "shop",
        amount: "9.90",
        currency: "USD",
        availability: "in_stock",
        collectedAt: "2026-01-01T00:00:00.000Z",
        ageHours: 1,
      },
      salesValues,
      demandCv: null,
      onOrder: 0,
    });
    expect(advice).toMatchObject({ shouldReorder: false, orderQuantity: 0, stockoutRisk: 0, xyz: "Z" });
    expect(advice.unitPrice).toMatchObject({ amount: "9.90", sourceId: 3 });
    expect(advice.expectedCost).toEqual({ amount: "0.00", currency: "USD" });
  });

  it("counts units on open orders in the inventory position: a smaller order, more days of cover", () => {
    const inputs = { product, model, request: {}, bestPrice: null, salesValues, demandCv: 0.2 };
    const without = adviceResponse({ ...inputs, onOrder: 0 });
    const withOrder = adviceResponse({ ...inputs, onOrder: 20 });
    expect(withOrder.onOrder).toBe(20);
    expect(withOrder.orderQuantity).toBe(Math.max(0, without.orderQuantity - 20));
    expect(withOrder.daysOfCover).toBeCloseTo((product.stock + 20) / without.averageDailyDemand, 1);
    const covered = adviceResponse({ ...inputs, onOrder: without.orderQuantity });
    expect(covered).toMatchObject({ orderQuantity: 0, shouldReorder: false });
  });
});
