import { describe, expect, it } from "vitest";
import {
  InvalidAmountError,
  amountRatio,
  compareAmounts,
  multiplyAmount,
  normaliseAmount,
  rangePosition,
} from "../../../shared/money/index.ts";

describe("exact money", () => {
  it("multiplies a decimal price by a quantity without float error", () => {
    expect(multiplyAmount("0.1", 3)).toBe("0.30");
    expect(multiplyAmount("1299.9999", 7)).toBe("9099.9993");
    expect(multiplyAmount("12.5000", 0)).toBe("0.00");
  });

  it("normalises stored amounts to at least two decimals", () => {
    expect(normaliseAmount("12.5000")).toBe("12.50");
    expect(normaliseAmount("7")).toBe("7.00");
    expect(normaliseAmount("0.1250")).toBe("0.125");
  });

  it("compares and relates amounts", () => {
    expect(compareAmounts("12.50", "12.5000")).toBe(0);
    expect(compareAmounts("12.49", "12.5")).toBe(-1);
    expect(amountRatio("12", "16")).toBe(0.75);
    expect(rangePosition("13", "12", "16")).toBe(0.25);
    expect(rangePosition("13", "12", "12")).toBeNull();
  });

  it("rejects amounts that are not decimal strings and fractional quantities", () => {
    expect(() => multiplyAmount("1e3", 1)).toThrow(InvalidAmountError);
    expect(() => multiplyAmount("-1.00", 1)).toThrow(InvalidAmountError);
    expect(() => multiplyAmount("1.00", 1.5)).toThrow(/whole number/);
  });
});
