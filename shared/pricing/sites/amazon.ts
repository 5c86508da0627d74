/** Amazon product pages: the buy-box price (`priceToPay`, legacy `priceblock_*`), never the list or per-unit price. */
import { availabilityFromText } from "../availability.ts";
import { parsePrice } from "../parse.ts";
import type { SiteRule } from "./site.ts";

const GROUPS = [
  "#corePriceDisplay_desktop_feature_div .priceToPay, #corePrice_feature_div .a-price, #corePrice_desktop .a-price, #apex_desktop .priceToPay",
  "#priceblock_dealprice, #priceblock_saleprice, #priceblock_ourprice, #price_inside_buybox",
];
const NOT_THE_PRICE = '.a-text-price, [data-a-strike="true"], .basisPrice, .pricePerUnit';

export const amazon: SiteRule = {
  name: "amazon",
  hosts: [
    "amazon.com",
    "amazon.com.br",
    "amazon.com.mx",
    "amazon.ca",
    "amazon.co.uk",
    "amazon.de",
    "amazon.fr",
    "amazon.it",
    "amazon.es",
    "amazon.nl",
    "amazon.co.jp",
    "amazon.in",
    "amazon.com.au",
  ],
  marker:
    "#corePriceDisplay_desktop_feature_div, #corePrice_feature_div, #corePrice_desktop, #apex_desktop, #priceblock_ourprice, #priceblock_dealprice, #priceblock_saleprice",
  offers({ $, currencyHint }) {
    const availability = availabilityFromText($("#availability, #outOfStock").text());
    for (const group of GROUPS) {
      const offers = $(group)
        .toArray()
        .filter((element) => $(element).closest(NOT_THE_PRICE).length === 0)
        .flatMap((element) => {
          const price = $(element);
          const offscreen = price.find(".a-offscreen").first().text().trim();
          const visible = `${price.find(".a-price-symbol").first().text()} ${price.find(".a-price-whole").first().text()}${price.find(".a-price-fraction").first().text()}`;
          const text = offscreen || (price.find(".a-price-whole").length > 0 ? visible : price.text());
          const parsed = parsePrice(text, currencyHint === undefined ? {} : { currencyHint });
          return parsed?.currency ? [{ amount: parsed.amount, currency: parsed.currency, availability }] : [];
        });
      if (offers.length > 0) return offers;
    }
    return [];
  },
};
