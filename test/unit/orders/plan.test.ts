import { describe, expect, it } from "vitest";
import { OrderRuleError } from "../../../shared/orders/errors.ts";
import { orderableQuantity, planOrders, type Candidate } from "../../../shared/orders/plan.ts";

function candidate(overrides: Partial<Candidate> & { productId: string }): Candidate {
  return {
    sku: overrides.productId,
    quantity: 10,
    unitPrice: { amount: "2.50", currency: "USD" },
    priceSource: "Shop A",
    supplier: null,
    currency: "USD",
    minimumOrderQuantity: null,
    packSize: null,
    moneyAtStake: null,
    ...overrides,
  };
}

describe("orderableQuantity", () => {
  it("raises to the minimum order, then up to whole packs", () => {
    expect(orderableQuantity(7, 10, 6)).toBe(12);
    expect(orderableQuantity(13, null, 6)).toBe(18);
    expect(orderableQuantity(12, 5, 6)).toBe(12);
    expect(orderableQuantity(3, 5, null)).toBe(5);
    expect(orderableQuantity(0, 5, 6)).toBe(0);
  });

  it("refuses fractions and negatives", () => {
    expect(() => orderableQuantity(1.5, null, null)).toThrow(OrderRuleError);
    expect(() => orderableQuantity(-1, null, null)).toThrow(/whole number/);
  });
});

describe("planOrders", () => {
  it("groups lines per supplier, else per best price source, and totals each order exactly", () => {
    const plan = planOrders([
      candidate({
        productId: "a",
        supplier: "Acme",
        quantity: 3,
        unitPrice: { amount: "0.10", currency: "USD" },
      }),
      candidate({ productId: "b", supplier: null, priceSource: "Shop B", quantity: 4 }),
      candidate({
        productId: "c",
        supplier: "Acme",
        quantity: 7,
        packSize: 5,
        unitPrice: { amount: "0.20", currency: "USD" },
      }),
      candidate({ productId: "d", supplier: null, priceSource: null, unitPrice: null }),
    ]);
    expect(
      plan.orders.map((order) => [order.supplier, order.lines.map((line) => line.sku), order.total]),
    ).toEqual([
      ["Acme", ["a", "c"], "2.30"],
      ["Shop B", ["b"], "10.00"],
      ["unassigned", ["d"], "0.00"],
    ]);
    expect(plan.orders[0]!.lines[1]).toMatchObject({ quantity: 10, lineTotal: "2.00", unitPrice: "0.20" });
    expect(plan.orders[2]).toMatchObject({ unpricedLines: 1 });
    expect(plan.dropped).toEqual([]);
  });

  it("puts one supplier's lines in different currencies on separate orders", () => {
    const plan = planOrders([
      candidate({ productId: "a", supplier: "Acme" }),
      candidate({ productId: "b", supplier: "Acme", unitPrice: { amount: "1.00", currency: "BRL" } }),
    ]);
    expect(plan.orders.map((order) => order.currency)).toEqual(["USD", "BRL"]);
  });

  it("keeps, under a budget, the lines with the most money at stake that still fit", () => {
    const plan = planOrders(
      [
        candidate({
          productId: "cheap",
          quantity: 10,
          unitPrice: { amount: "1.00", currency: "USD" },
          moneyAtStake: "5",
        }),
        candidate({
          productId: "big",
          quantity: 10,
          unitPrice: { amount: "9.00", currency: "USD" },
          moneyAtStake: "500",
        }),
        candidate({
          productId: "mid",
          quantity: 10,
          unitPrice: { amount: "5.00", currency: "USD" },
          moneyAtStake: "300",
        }),
        candidate({ productId: "unpriced", unitPrice: null, moneyAtStake: "1000" }),
      ],
      { amount: "100.00", currency: "USD" },
    );
    expect(plan.orders.flatMap((order) => order.lines.map((line) => line.sku))).toEqual(["cheap", "big"]);
    expect(plan.dropped.map((line) => [line.sku, line.reason])).toEqual([
      ["unpriced", "no price known: it cannot be held to the budget"],
      ["mid", "costs 50.00 USD, 10.00 of the budget left"],
    ]);
  });

  it("ranks by the line's cost when no money at stake is given, and drops lines in another currency", () => {
    const plan = planOrders(
      [
        candidate({ productId: "small", quantity: 1 }),
        candidate({ productId: "large", quantity: 30 }),
        candidate({ productId: "real", unitPrice: { amount: "1.00", currency: "BRL" } }),
      ],
      { amount: "75.00", currency: "USD" },
    );
    expect(plan.orders[0]!.lines.map((line) => line.sku)).toEqual(["large"]);
    expect(plan.dropped.map((line) => line.sku)).toEqual(["real", "small"]);
  });

  it("drops zero quantities and refuses a product listed twice", () => {
    expect(planOrders([candidate({ productId: "a", quantity: 0 })]).dropped).toEqual([
      { productId: "a", sku: "a", quantity: 0, reason: "quantity 0" },
    ]);
    expect(() => planOrders([candidate({ productId: "a" }), candidate({ productId: "a" })])).toThrow(
      /listed twice/,
    );
  });
});
