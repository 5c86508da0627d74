import { describe, expect, it } from "vitest";
import {
  currencyFromHint,
  currencyMeanings,
  currencyOfRegion,
  minorUnits,
  resolveCurrency,
} from "../../../shared/pricing/currency.ts";

describe("the currency vocabulary", () => {
  it.each([
    ["₩", "KRW"],
    ["₹", "INR"],
    ["zł", "PLN"],
    ["Kč", "CZK"],
    ["лв.", "BGN"],
    ["R$", "BRL"],
    ["CHF", "CHF"],
    ["euro", "EUR"],
    ["российский рубль", "RUB"],
    ["جنيه مصري", "EGP"],
  ])("knows CLDR's %j as %s", (text, code) => {
    expect(resolveCurrency(text)).toBe(code);
  });

  it.each([
    ["руб.", "RUB"],
    ["грн", "UAH"],
    ["kn", "HRK"],
    ["Ft", "HUF"],
    ["lei", "RON"],
    ["TL", "TRY"],
    ["Rp", "IDR"],
    ["円", "JPY"],
    ["원", "KRW"],
    ["元", "CNY"],
    ["ريال", "SAR"],
    ["تومان", "IRR"],
    ["NT$", "TWD"],
  ])("knows the shop abbreviation %j as %s", (text, code) => {
    expect(resolveCurrency(text)).toBe(code);
  });

  it("reads an ambiguous symbol by the preferred currency when that is one of its meanings", () => {
    expect(currencyMeanings("$")).toEqual(expect.arrayContaining(["USD", "CAD", "ARS", "MXN"]));
    expect(resolveCurrency("$")).toBe("USD");
    expect(resolveCurrency("$", "CAD")).toBe("CAD");
    expect(resolveCurrency("$", "EUR")).toBe("USD");
    expect(resolveCurrency("kr", "NOK")).toBe("NOK");
    expect(resolveCurrency("元", "TWD")).toBe("TWD");
  });

  it("takes a hint as a code in any case, a symbol or a name, and nothing from unknown text", () => {
    expect(currencyFromHint("usd")).toBe("USD");
    expect(currencyFromHint("€")).toBe("EUR");
    expect(currencyFromHint("руб.")).toBe("RUB");
    expect(currencyFromHint("pieces")).toBeUndefined();
    expect(currencyFromHint("")).toBeUndefined();
  });

  it("gives minor units and the currency of a region or country-code domain", () => {
    expect([minorUnits("EUR"), minorUnits("JPY"), minorUnits("KWD")]).toEqual([2, 0, 3]);
    expect([currencyOfRegion("br"), currencyOfRegion("UK"), currencyOfRegion("KZ")]).toEqual([
      "BRL",
      "GBP",
      "KZT",
    ]);
    expect(currencyOfRegion("zz")).toBeUndefined();
  });
});
