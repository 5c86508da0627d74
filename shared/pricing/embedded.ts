/**
 * Prices in the state a shop renders from: `__NEXT_DATA__` / `application/json` blobs,
 * `window.__INITIAL_STATE__`-style assignments, Nuxt state, and dataLayer / GA4 / gtag ecommerce events.
 * Keys named like a current price (price, salePrice, finalPrice, …) are counted per amount; list and
 * per-unit prices (oldPrice, listPrice, unitPrice, …) are not read. Used as evidence beside the visible page.
 */
import { currencyFromHint } from "./currency.ts";
import { textOf, type PageElements } from "./elements.ts";
import { parseMachineAmount } from "./parse.ts";

export interface EmbeddedPrices {
  /** Machine amounts ("19.9") → how often they appear as a current price. */
  readonly counts: ReadonlyMap<string, number>;
  /** The currency the state declares, if one and only one. */
  readonly currency: string | undefined;
}

const STATE_MARKERS =
  /__NEXT_DATA__|__INITIAL_STATE__|__PRELOADED_STATE__|__NUXT__|__APOLLO_STATE__|dataLayer|gtag\(|ecommerce|"@type"\s*:\s*"Product"|productData|product_data|window\.product|var product\b/;
const PRICE_KEY =
  /["']?\b(?:price|salePrice|sale_price|finalPrice|final_price|currentPrice|current_price|sellingPrice|selling_price|offerPrice|offer_price|priceValue|price_value|priceAmount|price_amount|actualPrice|specialPrice|special_price|productPrice|product_price|item_price)["']?\s*[:=]\s*["']?(\d{1,9}(?:\.\d{1,4})?)(?![\d.,])/g;
const CURRENCY_KEY =
  /["']?\b(?:currency|currencyCode|currency_code|priceCurrency)["']?\s*[:=]\s*["']([A-Za-z]{3})["']/g;
const MAX_SCRIPT = 2_000_000;

/** Current-price values of the page's embedded state and analytics. */
export function embeddedPrices(elements: PageElements): EmbeddedPrices {
  const counts = new Map<string, number>();
  const currencies = new Set<string>();
  for (const element of elements.byTag("script")) {
    const type = (element.attribs["type"] ?? "").toLowerCase();
    if (type.includes("ld+json") || (type !== "" && !type.includes("javascript") && !type.includes("json")))
      continue;
    const text = textOf(element);
    if (text.length > MAX_SCRIPT || !(STATE_MARKERS.test(text) || type.includes("json"))) continue;
    for (const match of text.matchAll(PRICE_KEY)) {
      const amount = parseMachineAmount(match[1]!, null);
      if (amount === null || !/[1-9]/.test(amount)) continue;
      const key = String(Number(amount));
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    for (const match of text.matchAll(CURRENCY_KEY)) {
      const code = currencyFromHint(match[1]);
      if (code) currencies.add(code);
    }
  }
  return { counts, currency: currencies.size === 1 ? [...currencies][0] : undefined };
}
