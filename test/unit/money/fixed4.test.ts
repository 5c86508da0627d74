import { describe, expect, it } from "vitest";
import { divideFixed4, formatFixed4, multiplyFixed4, parseFixed4 } from "../../../shared/money/index.ts";

const roundTrip = (text: string) => {
  const value = parseFixed4(text);
  return value === undefined ? undefined : formatFixed4(value);
};

describe("exact decimal amounts", () => {
  it("prints 2 to 4 decimals", () => {
    expect(["12", "12.5", ".5", "0012.30", "957.5775", "0.0001"].map(roundTrip)).toEqual([
      "12.00",
      "12.50",
      "0.50",
      "12.30",
      "957.5775",
      "0.0001",
    ]);
  });

  it("rounds beyond 4 decimals half up, removing float artefacts", () => {
    expect(["22.368000000000002", "0.00005", "0.00004999", "1.99995"].map(roundTrip)).toEqual([
      "22.368",
      "0.0001",
      "0.00",
      "2.00",
    ]);
  });

  it("rejects negatives, exponents, separators and more than 10 integer digits", () => {
    expect(["-1", "1e3", "1,234.5", "", ".", "12345678901", "9999999999.99995"].map(roundTrip)).toEqual(
      Array(7).fill(undefined),
    );
    expect(roundTrip("9999999999.9999")).toBe("9999999999.9999");
  });

  it("divides by a whole number rounding half up and multiplies exactly", () => {
    const amount = parseFixed4("957.5775")!;
    expect(formatFixed4(divideFixed4(amount, 5))).toBe("191.5155");
    expect(formatFixed4(divideFixed4(parseFixed4("2")!, 3))).toBe("0.6667");
    expect(formatFixed4(divideFixed4(parseFixed4("0.0001")!, 2))).toBe("0.0001");
    expect(formatFixed4(multiplyFixed4(parseFixed4("0.1")!, 3))).toBe("0.30");
  });
});
