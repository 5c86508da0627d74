/** Magazine Luiza product pages: `data-testid="price-value"`, stock by the bag button or the unavailable notice. */
import type { Availability } from "../page.ts";
import { parsePrice } from "../parse.ts";
import type { SiteRule } from "./site.ts";

export const magalu: SiteRule = {
  name: "magalu",
  hosts: ["magazineluiza.com.br", "magalu.com"],
  marker: '[data-testid="price-value"]',
  offers({ $, currencyHint }) {
    const availability: Availability =
      $('[data-testid*="unavailable"]').length > 0
        ? "out_of_stock"
        : $('[data-testid="bagButton"]').length > 0
          ? "in_stock"
          : "unknown";
    return $('[data-testid="price-value"]')
      .toArray()
      .flatMap((element) => {
        const parsed = parsePrice($(element).text(), { currencyHint: currencyHint ?? "BRL" });
        return parsed?.currency ? [{ amount: parsed.amount, currency: parsed.currency, availability }] : [];
      });
  },
};
