import { describe, expect, it } from "vitest";
import {
  demandFromQuantiles,
  InventoryError,
  normalDemand,
  normalDemandOver,
  normalQuantile,
  probabilityAtMost,
} from "../../../shared/inventory/index.ts";

describe("normalQuantile", () => {
  it("matches published standard normal quantiles", () => {
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0.95)).toBeCloseTo(1.6448536269514722, 12);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 12);
    expect(normalQuantile(0.01)).toBeCloseTo(-2.3263478740408408, 12);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 9);
  });
});

describe("demand distributions", () => {
  it("sums independent periods: mean * n and sd * sqrt(n)", () => {
    const total = normalDemandOver(4, 10, 3);
    expect(total.mean).toBe(40);
    expect(total.quantile(0.95)).toBeCloseTo(40 + 1.6448536 * 6, 5);
  });

  it("truncates normal quantiles at zero demand", () => {
    expect(normalDemand(1, 10).quantile(0.05)).toBe(0);
  });

  it("reproduces a normal distribution from three of its quantiles, also beyond the table", () => {
    const exact = normalDemand(200, 28.28);
    const table = demandFromQuantiles(
      200,
      [0.1, 0.5, 0.9].map((p) => ({ p, value: exact.quantile(p) })),
    );
    expect(table.quantile(0.95)).toBeCloseTo(exact.quantile(0.95), 9);
    expect(table.quantile(0.3)).toBeCloseTo(exact.quantile(0.3), 9);
    expect(table.quantile(0.01)).toBeCloseTo(exact.quantile(0.01), 9);
  });

  it("interpolates a skewed table piecewise and never goes below zero", () => {
    const table = demandFromQuantiles(5, [
      { p: 0.5, value: 2 },
      { p: 0.9, value: 12 },
    ]);
    expect(table.quantile(0.5)).toBeCloseTo(2, 12);
    expect(table.quantile(0.9)).toBeCloseTo(12, 12);
    expect(table.quantile(0.001)).toBe(0);
  });

  it("rejects tables that are too short, unordered or outside (0, 1)", () => {
    expect(() => demandFromQuantiles(1, [{ p: 0.5, value: 1 }])).toThrow(InventoryError);
    expect(() =>
      demandFromQuantiles(1, [
        { p: 0.9, value: 1 },
        { p: 0.5, value: 2 },
      ]),
    ).toThrow("quantiles[1]: p must increase and values must not decrease");
    expect(() =>
      demandFromQuantiles(1, [
        { p: 0, value: 0 },
        { p: 0.5, value: 2 },
      ]),
    ).toThrow("quantiles[0].p: must lie in (0, 1), got 0");
    expect(() => normalDemand(Number.NaN, 1)).toThrow("mean: must be a finite number >= 0, got NaN");
  });

  it("inverts the quantile function into P(demand <= level)", () => {
    const demand = normalDemand(100, 20);
    expect(probabilityAtMost(demand, 100)).toBeCloseTo(0.5, 9);
    expect(probabilityAtMost(demand, 100 + 20 * 1.6448536269514722)).toBeCloseTo(0.95, 9);
    expect(probabilityAtMost(normalDemand(0, 0), 0)).toBeCloseTo(1, 9);
  });
});
