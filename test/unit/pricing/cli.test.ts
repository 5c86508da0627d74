import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { extractPriceFromFile, parsePriceLines } from "../../../shared/pricing/cli.ts";

describe("parsePriceLines", () => {
  it("prints one JSON object per input line, blank and priceless lines included with nulls", () => {
    const output = parsePriceLines("R$ 1.299,90\n\n12x de R$ 108,25 sem juros\r\n$1,299.00\n");
    expect(
      output
        .trimEnd()
        .split("\n")
        .map((line) => JSON.parse(line) as unknown),
    ).toEqual([
      { input: "R$ 1.299,90", amount: "1299.90", currency: "BRL" },
      { input: "", amount: null, currency: null },
      { input: "12x de R$ 108,25 sem juros", amount: "108.25", currency: "BRL" },
      { input: "$1,299.00", amount: "1299.00", currency: "USD" },
    ]);
  });

  it("applies a default currency to bare numbers", () => {
    expect(JSON.parse(parsePriceLines("1.299", { currencyHint: "BRL" }))).toEqual({
      input: "1.299",
      amount: "1299.00",
      currency: "BRL",
    });
  });

  it("answers line N for input line N, CRLF and a missing final newline included, with the hint's currency", () => {
    const output = parsePriceLines("419\r\n\r\nFree!\n2 285,81 грн.", { currencyHint: "RUB" });
    expect(
      output
        .split("\n")
        .filter((line) => line !== "")
        .map((line) => JSON.parse(line) as unknown),
    ).toEqual([
      { input: "419", amount: "419.00", currency: "RUB" },
      { input: "", amount: null, currency: null },
      { input: "Free!", amount: "0.00", currency: "RUB" },
      { input: "2 285,81 грн.", amount: "2285.81", currency: "UAH" },
    ]);
    expect(parsePriceLines("")).toBe("");
  });
});

describe("extractPriceFromFile", () => {
  it("prints the extraction result of a saved page as JSON", () => {
    const html = readFileSync(
      new URL("../../fixtures/pages/mercadolivre-product.html", import.meta.url),
      "utf8",
    );
    expect(JSON.parse(extractPriceFromFile(html, "https://www.mercadolivre.com.br/p/MLB1"))).toEqual({
      outcome: "price",
      amount: "1299.90",
      currency: "BRL",
      availability: "in_stock",
      rule: "site:mercadolivre",
      confidence: 1,
    });
  });
});
