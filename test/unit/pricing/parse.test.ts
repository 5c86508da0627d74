import { describe, expect, it } from "vitest";
import { parsePrice } from "../../../shared/pricing/parse.ts";

describe("parsePrice", () => {
  it.each([
    ["R$ 1.299,90", "1299.90", "BRL"],
    ["R$1.299", "1299.00", "BRL"],
    ["R$\u00a01.299,90", "1299.90", "BRL"],
    ["12.345.678,90 R$", "12345678.90", "BRL"],
    ["€1,5", "1.50", "EUR"],
    ["1 299,00 €", "1299.00", "EUR"],
    ["1\u202f299,00\u00a0€", "1299.00", "EUR"],
    ["0,299 €", "0.299", "EUR"],
    ["$1,299.00", "1299.00", "USD"],
    ["US$ 10", "10.00", "USD"],
    ["USD 1,299.00", "1299.00", "USD"],
    ["1,299.00 USD", "1299.00", "USD"],
    ["£9.99", "9.99", "GBP"],
    ["¥1,000", "1000", "JPY"],
    ["CHF 1'299.50", "1299.50", "CHF"],
    ["BHD 1.299", "1.299", "BHD"],
    ["R$ 1.234,5678", "1234.5678", "BRL"],
    ["R$ 0,00", "0.00", "BRL"],
  ])("reads %j as %s %s", (text, amount, currency) => {
    expect(parsePrice(text)).toEqual({ amount, currency });
  });

  it.each([
    ["R$ 1.299,90 ou 12x de R$ 108,25 sem juros", "1299.90"],
    ["De R$ 1.499,00 por R$ 1.299,00", "1299.00"],
    ["10% OFF R$ 90,00", "90.00"],
    ["iPhone 15 Pro 256GB R$ 5.999", "5999.00"],
    ["em até 10x sem juros R$ 1.999,00", "1999.00"],
  ])("picks the price out of shop text %j", (text, amount) => {
    expect(parsePrice(text)).toEqual({ amount, currency: "BRL" });
  });

  it.each([
    ["12x de R$ 108,25 sem juros", "an instalment"],
    ["10 parcelas de R$ 129,99", "an instalment"],
    ["R$ 49,90/mês", "a monthly fee"],
    ["Indisponível", "no number"],
    ["", "empty text"],
    ["R$ 10 - R$ 20", "a range"],
    ["US$ 10 ou R$ 50", "two prices"],
    ["1.234.56 €", "malformed grouping"],
    ["R$ 12345678901,00", "more than 10 integer digits"],
    ["R$ 1,23456", "more than 4 decimals"],
  ])("returns null for %j (%s)", (text) => {
    expect(parsePrice(text)).toBeNull();
  });

  it("gives the amount without a currency when neither the text nor a hint names one", () => {
    expect(parsePrice("1.299")).toEqual({ amount: "1299", currency: null });
    expect(parsePrice("1299.9")).toEqual({ amount: "1299.9", currency: null });
  });

  it("uses the default currency when the text has none, reading one separator before 3 digits as thousands", () => {
    expect(parsePrice("1.299", { currencyHint: "BRL" })).toEqual({ amount: "1299.00", currency: "BRL" });
    expect(parsePrice("1,299", { currencyHint: "USD" })).toEqual({ amount: "1299.00", currency: "USD" });
    expect(parsePrice("1299.9", { currencyHint: "brl" })).toEqual({ amount: "1299.90", currency: "BRL" });
  });

  it("reads $ and ¥ by the default currency when it is a dollar or yuan", () => {
    expect(parsePrice("$ 1.500", { currencyHint: "ARS" })).toEqual({ amount: "1500.00", currency: "ARS" });
    expect(parsePrice("$ 1.500")).toEqual({ amount: "1500.00", currency: "USD" });
    expect(parsePrice("¥ 99", { currencyHint: "CNY" })).toEqual({ amount: "99.00", currency: "CNY" });
  });

  it("prefers the currency written in the text over the default", () => {
    expect(parsePrice("€ 10", { currencyHint: "BRL" })).toEqual({ amount: "10.00", currency: "EUR" });
  });

  it("ignores three-letter words that are not ISO currency codes", () => {
    expect(parsePrice("SKU 1234", { currencyHint: "BRL" })).toEqual({
      amount: "1234.00",
      currency: "BRL",
    });
    expect(parsePrice("POR 10")).toEqual({ amount: "10", currency: null });
  });
});
