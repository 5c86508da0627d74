/** Mercado Livre / Mercado Libre product pages: the main `andes-money-amount`, not the crossed-out or instalment ones. */
import { currencyFromHint } from "../currency.ts";
import { parseMachineAmount } from "../parse.ts";
import { availabilityFromText } from "../availability.ts";
import type { SiteRule } from "./site.ts";

const EXCLUDED =
  "s, .andes-money-amount--previous, .ui-pdp-price__original-value, .ui-pdp-price__subtitles, .ui-pdp-price__installments";
const STOCK =
  ".ui-pdp-stock-information, .ui-pdp-buybox__quantity__available, .ui-pdp-message, .ui-pdp-warning";

export const mercadoLivre: SiteRule = {
  name: "mercadolivre",
  hosts: [
    "mercadolivre.com.br",
    "mercadolibre.com.ar",
    "mercadolibre.com.mx",
    "mercadolibre.cl",
    "mercadolibre.com.co",
    "mercadolibre.com.uy",
    "mercadolibre.com.pe",
  ],
  marker: ".ui-pdp-price__second-line, .ui-pdp-price__main-container",
  offers({ $, currencyHint }) {
    const mainPrices = (selector: string) =>
      $(selector)
        .toArray()
        .filter((element) => $(element).closest(EXCLUDED).length === 0);
    const amounts = mainPrices(".ui-pdp-price__second-line .andes-money-amount");
    const elements =
      amounts.length > 0 ? amounts : mainPrices(".ui-pdp-price__main-container .andes-money-amount");
    const metaCurrency = $('meta[itemprop="priceCurrency"]').attr("content");
    const availability = availabilityFromText($(STOCK).text());
    return elements.flatMap((element) => {
      const amount = $(element);
      const integer = amount.find(".andes-money-amount__fraction").first().text().replace(/\D/g, "");
      const cents = amount.find(".andes-money-amount__cents").first().text().replace(/\D/g, "");
      const symbol = amount.find(".andes-money-amount__currency-symbol").first().text();
      const currency =
        (symbol.trim() === "$" && currencyHint) || currencyFromHint(symbol || metaCurrency) || currencyHint;
      if (integer === "" || currency === undefined) return [];
      const price = parseMachineAmount(`${integer}.${cents || "0"}`, currency);
      return price === null ? [] : [{ amount: price, currency, availability }];
    });
  },
};
