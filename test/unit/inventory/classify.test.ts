import { describe, expect, it } from "vitest";
import { classifyAbcXyz, InventoryError } from "../../../shared/inventory/index.ts";

describe("classifyAbcXyz", () => {
  const items = [
    { productId: "p4", annualValue: 60, demandCv: 1.0 },
    { productId: "p1", annualValue: 500, demandCv: 0.3 },
    { productId: "p5", annualValue: 40, demandCv: null },
    { productId: "p2", annualValue: 300, demandCv: 0.5 },
    { productId: "p3", annualValue: 100, demandCv: 1.5 },
  ];

  it("ranks by value: A up to 80% cumulative share, B up to 95%, C beyond", () => {
    const classes = classifyAbcXyz(items);
    expect(classes.map((item) => [item.productId, item.abc, item.valueShare])).toEqual([
      ["p1", "A", 0.5],
      ["p2", "A", 0.3],
      ["p3", "B", 0.1],
      ["p4", "B", 0.06],
      ["p5", "C", 0.04],
    ]);
    expect(classes.map((item) => item.cumulativeShare)).toEqual(
      [0.5, 0.8, 0.9, 0.96, 1].map((share) => expect.closeTo(share, 12)),
    );
  });

  it("bins demand CV: X up to 0.5, Y up to 1.0, Z above or without demand", () => {
    const classes = classifyAbcXyz(items);
    expect(Object.fromEntries(classes.map((item) => [item.productId, item.xyz]))).toEqual({
      p1: "X",
      p2: "X",
      p3: "Z",
      p4: "Y",
      p5: "Z",
    });
  });

  it("puts the product that crosses a boundary in the higher class", () => {
    const classes = classifyAbcXyz([
      { productId: "big", annualValue: 90, demandCv: 0 },
      { productId: "small", annualValue: 10, demandCv: 0 },
    ]);
    expect(classes.map((item) => item.abc)).toEqual(["A", "B"]);
  });

  it("honours custom thresholds", () => {
    const classes = classifyAbcXyz(items, { a: 0.5, b: 0.8, x: 0.2, y: 0.4 });
    expect(classes.map((item) => `${item.abc}${item.xyz}`)).toEqual(["AY", "BZ", "CZ", "CZ", "CZ"]);
  });

  it("classes every product C when no product has value, and accepts an empty list", () => {
    const classes = classifyAbcXyz([
      { productId: "a", annualValue: 0, demandCv: null },
      { productId: "b", annualValue: 0, demandCv: null },
    ]);
    expect(classes.map((item) => [item.productId, item.abc, item.valueShare])).toEqual([
      ["a", "C", 0],
      ["b", "C", 0],
    ]);
    expect(classifyAbcXyz([])).toEqual([]);
  });

  it("rejects negative values, NaN, duplicate ids and inverted thresholds naming the field", () => {
    const field = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        if (error instanceof InventoryError) return error.field;
      }
      return "no error";
    };
    expect(field(() => classifyAbcXyz([{ productId: "a", annualValue: -1, demandCv: 0 }]))).toBe(
      "items[0].annualValue",
    );
    expect(field(() => classifyAbcXyz([{ productId: "a", annualValue: 1, demandCv: Number.NaN }]))).toBe(
      "items[0].demandCv",
    );
    expect(
      field(() =>
        classifyAbcXyz([
          { productId: "a", annualValue: 1, demandCv: 0 },
          { productId: "a", annualValue: 2, demandCv: 0 },
        ]),
      ),
    ).toBe("items[1].productId");
    expect(field(() => classifyAbcXyz(items, { a: 0.9, b: 0.8 }))).toBe("thresholds.a");
  });
});
