import { describe, expect, it } from "vitest";
import { assessRisks, recommend } from "../../../shared/agent/rules.ts";
import { advice, bestPrice, forecast, quote } from "./fixtures.ts";

describe("offline Monitor rules", () => {
  it("flags nothing for a product with enough stock at an ordinary price", () => {
    expect(assessRisks({ advice: advice(), bestPrice: bestPrice() })).toEqual({ risks: [], reasons: [] });
  });

  it("flags a stock-out when days of cover are below the lead time, quoting both", () => {
    const { risks, reasons } = assessRisks({
      advice: advice({ stock: 12, daysOfCover: 2.4, leadTimeDays: 7 }),
      bestPrice: bestPrice(),
    });
    expect(risks).toEqual(["stockout"]);
    expect(reasons[0]?.text).toBe("stock of 12 covers 2.4 days, less than the 7-day lead time");
    expect(reasons[0]?.figures).toEqual({ stock: 12, daysOfCover: 2.4, leadTimeDays: 7 });
  });

  it("flags a stock-out when the stock-out risk reaches 10% even with cover beyond the lead time", () => {
    const { risks, reasons } = assessRisks({ advice: advice({ stockoutRisk: 0.25 }), bestPrice: null });
    expect(risks).toEqual(["stockout"]);
    expect(reasons[0]?.text).toContain("25% chance of a stock-out");
  });

  it("flags a price drop when the best price is near the historical low and 5% below the high", () => {
    const { risks, reasons } = assessRisks({
      advice: advice(),
      bestPrice: bestPrice(quote({ amount: "12.2000" })),
    });
    expect(risks).toEqual(["price_drop"]);
    expect(reasons[0]?.figures).toMatchObject({
      bestPrice: "12.20",
      historyMin: "12.00",
      historyMax: "16.00",
    });
    expect(reasons[0]?.text).toContain("23.8% below the high");
  });

  it("does not call a price a drop without enough history, or when the source is out of stock", () => {
    const fewObservations = bestPrice(quote({ amount: "12.0000" }), {
      currency: "USD",
      min: "12.0000",
      max: "16.0000",
      last: "12.0000",
      observations: 2,
      since: "2026-11-01T00:00:00.000Z",
    });
    expect(assessRisks({ advice: advice(), bestPrice: fewObservations }).risks).toEqual([]);
    const outOfStock = bestPrice(quote({ amount: "12.0000", availability: "out_of_stock" }));
    expect(assessRisks({ advice: advice(), bestPrice: outOfStock }).risks).toEqual([]);
  });

  it("flags overstock when stock exceeds 1.5 times the order-up-to level", () => {
    const { risks, reasons } = assessRisks({
      advice: advice({ stock: 200, orderUpTo: 80 }),
      bestPrice: null,
    });
    expect(risks).toEqual(["overstock"]);
    expect(reasons[0]?.text).toBe("stock of 200 is 2.5× the order-up-to level of 80");
  });
});

describe("offline Analyst rules", () => {
  it("buys the order quantity now from the best source at an exact expected cost", () => {
    const recommendation = recommend(
      "p1",
      {
        advice: advice({ stock: 12, daysOfCover: 2.4, orderQuantity: 68, orderUpTo: 80 }),
        bestPrice: bestPrice(),
      },
      forecast(),
    );
    expect(recommendation).toMatchObject({
      productId: "p1",
      action: "buy_now",
      quantity: 68,
      source: { sourceId: 1, label: "shop-a" },
      unitPrice: { amount: "12.50", currency: "USD" },
      expectedCost: { amount: "850.00", currency: "USD" },
      risks: ["stockout"],
      decidedBy: "rules",
    });
    expect(recommendation.reasons.map((reason) => reason.text)).toContain(
      "forecast demand over the next 2 weeks: 70 units (p10 55, p90 86) by ets",
    );
  });

  it("falls back to the advice's unit price when no source has a buyable quote", () => {
    const recommendation = recommend(
      "p1",
      { advice: advice({ stock: 5, daysOfCover: 1, orderQuantity: 75 }), bestPrice: bestPrice(null, null) },
      null,
    );
    expect(recommendation.source).toEqual({ sourceId: null, label: "unit cost" });
    expect(recommendation.expectedCost).toEqual({ amount: "975.00", currency: "USD" });
  });

  it("reduces overstock by the units above the order-up-to level, with no purchase cost", () => {
    const recommendation = recommend(
      "p1",
      { advice: advice({ stock: 200, orderUpTo: 80 }), bestPrice: bestPrice() },
      null,
    );
    expect(recommendation).toMatchObject({
      action: "reduce",
      quantity: 120,
      source: null,
      expectedCost: null,
    });
  });

  it("buys ahead up to the order-up-to level on a price drop", () => {
    const recommendation = recommend(
      "p1",
      { advice: advice({ stock: 50, orderUpTo: 80 }), bestPrice: bestPrice(quote({ amount: "12.1000" })) },
      null,
    );
    expect(recommendation).toMatchObject({
      action: "buy_now",
      quantity: 30,
      risks: ["price_drop"],
      expectedCost: { amount: "363.00", currency: "USD" },
    });
  });

  it("waits when nothing is at risk", () => {
    expect(recommend("p1", { advice: advice(), bestPrice: bestPrice() }, null)).toMatchObject({
      action: "wait",
      quantity: 0,
      expectedCost: null,
    });
  });
});
