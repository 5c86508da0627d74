import { describe, expect, it } from "vitest";
import { CLDR_LOCALES } from "../../../shared/pricing/locales.ts";
import { parsePrice } from "../../../shared/pricing/parse.ts";
import { currencyOfRegion } from "../../../shared/pricing/currency.ts";

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
    ["12x de R$ 108,25 sem juros", "108.25"],
    ["10 parcelas de R$ 129,99", "129.99"],
    ["R$ 49,90/mês", "49.90"],
  ])(
    "reads the one price of %j even though it is an instalment or a fee: the text holds no other",
    (text, amount) => {
      expect(parsePrice(text)).toEqual({ amount, currency: "BRL" });
      expect(parsePrice(`R$ 1.299,90 ou ${text}`)).toEqual({ amount: "1299.90", currency: "BRL" });
    },
  );

  it.each([
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

  it("reads a lone capital letter as a currency only when it is the page's own currency", () => {
    expect(parsePrice("Displej s farebným spektrom (P3)", { currencyHint: "EUR" })).toBeNull();
    expect(parsePrice("P 1,299.00", { currencyHint: "BWP" })).toEqual({ amount: "1299.00", currency: "BWP" });
  });
});

describe("parsePrice across shops' countries", () => {
  it.each([
    ["39.95", "39.95", null],
    ["690,00", "690.00", null],
    ["12,000원", "12000", "KRW"],
    ["3,500円", "3500", "JPY"],
    ["¥ 3,500", "3500", "JPY"],
    ["419 руб.", "419.00", "RUB"],
    ["299 Kč", "299.00", "CZK"],
    ["3,49 zł", "3.49", "PLN"],
    ["2 285,81 грн.", "2285.81", "UAH"],
    ["644.00 جنيه", "644.00", "EGP"],
    ["Rp 31.500", "31500", "IDR"],
    ["1.000.000 VND", "1000000", "VND"],
    ["80 000 сум", "80000.00", "UZS"],
    ["AED 1,299", "1299.00", "AED"],
    ["Rs. 1,850", "1850.00", "INR"],
    ["₹ 1,23,456.00", "123456.00", "INR"],
    ["NT$1,200", "1200.00", "TWD"],
    ["63,07 lei", "63.07", "RON"],
    ["1 148 zł", "1148.00", "PLN"],
    ["Cena: 1 999 Kč", "1999.00", "CZK"],
    ["R 299.00", "299.00", "ZAR"],
    ["٣٤٫٥٠ ر.س", "34.50", "SAR"],
    ["۱۲۰,۰۰۰ تومان", "120000", "IRR"],
  ])("reads %j as %s %s", (text, amount, currency) => {
    expect(parsePrice(text)).toEqual({ amount, currency });
  });

  it.each([
    ["$119. 95", "119.95", "USD"],
    ["12€50", "12.50", "EUR"],
    ["299,- Kč", "299.00", "CZK"],
    ["1.995,- kr", "1995.00", "SEK"],
    ["19⁹⁹ €", "19.99", "EUR"],
    ["3万円", "30000", "JPY"],
    ["30,000원~", "30000", "KRW"],
  ])("reads the shop formatting of %j as %s %s", (text, amount, currency) => {
    expect(parsePrice(text)).toEqual({ amount, currency });
  });

  it.each([["Free!"], ["Grátis"], ["kostenlos"], ["無料"]])("reads %j as a price of 0", (text) => {
    expect(parsePrice(text)).toEqual({ amount: "0", currency: null });
    expect(parsePrice(text, { currencyHint: "EUR" })).toEqual({ amount: "0.00", currency: "EUR" });
  });

  it.each([
    ["Was £20.00 Now £15.00", "15.00"],
    ["CHF 19.50 statt 24.90", "19.50"],
    ["Save $5.00 $19.99", "19.99"],
    ['Samsung 65" TV 4K 1.299 €', "1299.00"],
    ["34,90 € inkl. MwSt.", "34.90"],
    ["Price: 1,299.00 USD (incl. VAT)", "1299.00"],
  ])("picks the current price out of %j", (text, amount) => {
    expect(parsePrice(text)?.amount).toBe(amount);
  });

  it.each([
    ["€ 2,50/kg", "2.50", "EUR"],
    ["$4.99/lb", "4.99", "USD"],
    ["4 rate da 25,00 €", "25.00", "EUR"],
    ["$.99", "0.99", "USD"],
  ])("reads the amount of %j, the text's one price", (text, amount, currency) => {
    expect(parsePrice(text)).toEqual({ amount, currency });
  });

  it.each([
    ["US$ 29.99 - US$ 39.99", "a range"],
    ["no price here", "no number"],
  ])("returns null for %j (%s)", (text) => {
    expect(parsePrice(text)).toBeNull();
  });

  it("takes the currency hint as a code, symbol or name, and the text's own currency over it", () => {
    expect(parsePrice("419", { currencyHint: "руб." })).toEqual({ amount: "419.00", currency: "RUB" });
    expect(parsePrice("$ 25", { currencyHint: "CAD" })).toEqual({ amount: "25.00", currency: "CAD" });
    expect(parsePrice("25 €", { currencyHint: "USD" })).toEqual({ amount: "25.00", currency: "EUR" });
  });

  it("decides a lone separator before three digits by the decimal-separator hint, else by minor units", () => {
    expect(parsePrice("1.299", { decimalSeparatorHint: "." })).toEqual({ amount: "1.299", currency: null });
    expect(parsePrice("1.299", { decimalSeparatorHint: "," })).toEqual({ amount: "1299", currency: null });
    expect(parsePrice("1,299 KWD")).toEqual({ amount: "1.299", currency: "KWD" });
    expect(parsePrice("1,299 EUR")).toEqual({ amount: "1299.00", currency: "EUR" });
  });
});

describe("parsePrice on every locale's own currency format (CLDR, as Intl writes it)", () => {
  const displays = ["symbol", "narrowSymbol", "code", "name"] as const;
  const values = [39.95, 1234.5, 12000, 0.99, 2285.81, 7];
  const cases = CLDR_LOCALES.flatMap((locale) => {
    const currency = currencyOfRegion(new Intl.Locale(locale).maximize().region);
    if (currency === undefined) return [];
    return displays.flatMap((currencyDisplay) => {
      const format = new Intl.NumberFormat(locale, { style: "currency", currency, currencyDisplay });
      const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
      return values.map((value) => ({
        text: format.format(value),
        value: Number(value.toFixed(digits)),
        currency,
      }));
    });
  });

  it("reads the amount and currency of every one with the shop's currency as the hint", () => {
    const wrong = cases.filter(({ text, value, currency }) => {
      const price = parsePrice(text, { currencyHint: currency });
      return price === null || Number(price.amount) !== value || price.currency !== currency;
    });
    expect(cases.length).toBeGreaterThan(3000);
    expect(wrong).toEqual([]);
  });

  it("reads the amount of at least 99% of them without a hint", () => {
    const right = cases.filter(({ text, value }) => Number(parsePrice(text)?.amount) === value);
    expect(right.length / cases.length).toBeGreaterThanOrEqual(0.99);
  });
});
