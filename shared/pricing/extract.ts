/**
 * Price extraction from a product page's HTML, by a cascade of rules: schema.org JSON-LD, microdata,
 * OpenGraph/meta, then site rules (Mercado Livre, Amazon, Magalu). The first rule that yields a price wins;
 * several different prices from that rule are a conflict, not a guess. Block pages served with 200
 * (captcha, account verification, bot challenges) are recognised before any price is read.
 */
import { load, type CheerioAPI } from "cheerio";
import { currencyFromSymbol, parseMachineAmount, parsePrice } from "./parse.ts";

export type Availability = "in_stock" | "out_of_stock" | "unknown";

export type ExtractionRule =
  "json-ld" | "microdata" | "opengraph" | "site:mercadolivre" | "site:amazon" | "site:magalu";

export interface PriceCandidate {
  readonly amount: string;
  readonly currency: string;
}

export type ExtractionResult =
  | {
      readonly outcome: "price";
      readonly amount: string;
      readonly currency: string;
      readonly availability: Availability;
      readonly rule: ExtractionRule;
    }
  | { readonly outcome: "no_price"; readonly reason: string }
  | {
      readonly outcome: "conflict";
      readonly rule: ExtractionRule;
      readonly candidates: readonly PriceCandidate[];
    }
  | { readonly outcome: "blocked"; readonly reason: string };

interface Offer extends PriceCandidate {
  readonly availability: Availability;
}

interface PageContext {
  readonly $: CheerioAPI;
  readonly defaultCurrency: string | undefined;
}

interface MarkupValue {
  attr(name: string): string | undefined;
  text(): string;
}

type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };
type JsonObject = { readonly [key: string]: Json };

const REGION_CURRENCIES: Readonly<Record<string, string>> = {
  br: "BRL",
  ar: "ARS",
  mx: "MXN",
  cl: "CLP",
  uy: "UYU",
  pe: "PEN",
  us: "USD",
  uk: "GBP",
  gb: "GBP",
  jp: "JPY",
  ca: "CAD",
  au: "AUD",
  in: "INR",
  de: "EUR",
  fr: "EUR",
  es: "EUR",
  it: "EUR",
  nl: "EUR",
  pt: "EUR",
  ie: "EUR",
  at: "EUR",
  be: "EUR",
  fi: "EUR",
};

const OUT_OF_STOCK_TEXT =
  /indispon[ií]vel|esgotad[oa]|sem estoque|fora de estoque|out of stock|currently unavailable|agotado|sin stock|an[uú]ncio pausado|publicaci[oó]n pausada/i;
const IN_STOCK_TEXT =
  /em estoque|estoque dispon[ií]vel|in stock|[uú]ltimas? dispon[ií]ve(?:l|is)|stock disponible/i;

function availabilityFromSchema(value: string | undefined): Availability {
  const token = (value ?? "")
    .trim()
    .replace(/^.*[/:#]/, "")
    .toLowerCase();
  if (
    ["instock", "instoreonly", "onlineonly", "limitedavailability", "in stock", "available"].includes(token)
  ) {
    return "in_stock";
  }
  if (["outofstock", "soldout", "discontinued", "oos", "out of stock"].includes(token)) return "out_of_stock";
  return "unknown";
}

function availabilityFromText(text: string): Availability {
  if (OUT_OF_STOCK_TEXT.test(text)) return "out_of_stock";
  if (IN_STOCK_TEXT.test(text)) return "in_stock";
  return "unknown";
}

function toCurrency(value: string | undefined, defaultCurrency: string | undefined): string | undefined {
  return value === undefined || value.trim() === ""
    ? defaultCurrency
    : currencyFromSymbol(value, defaultCurrency);
}

/** A structured-data price: machine decimal first ("1299.9"), then shop text ("R$ 1.299,90"). */
function structuredPrice(value: Json | undefined, currency: string | undefined): PriceCandidate | undefined {
  if (typeof value !== "number" && typeof value !== "string") return undefined;
  const machine = currency === undefined ? null : parseMachineAmount(value, currency);
  if (machine !== null && currency !== undefined) return { amount: machine, currency };
  const parsed = parsePrice(String(value), currency === undefined ? {} : { defaultCurrency: currency });
  return parsed ?? undefined;
}

function defaultCurrencyFor($: CheerioAPI, pageUrl: string | undefined): string | undefined {
  const hostname = pageUrl && URL.canParse(pageUrl) ? new URL(pageUrl).hostname : "";
  const topLevel = hostname.split(".").pop() ?? "";
  const region = ($("html").attr("lang") ?? "").split("-")[1]?.toLowerCase() ?? "";
  return REGION_CURRENCIES[topLevel] ?? REGION_CURRENCIES[region];
}

function isJsonObject(value: Json | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function asList(value: Json | undefined): readonly Json[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? (value as readonly Json[]) : [value];
}

function textOf(value: Json | undefined): string | undefined {
  const first = asList(value)[0];
  if (typeof first === "string" || typeof first === "number") return String(first);
  if (isJsonObject(first)) return textOf(first["@id"] ?? first["name"]);
  return undefined;
}

function hasType(node: JsonObject, ...types: string[]): boolean {
  return asList(node["@type"]).some(
    (type) => typeof type === "string" && types.includes(type.replace(/^.*[/:]/, "")),
  );
}

function parseJsonLdScript(text: string): Json | undefined {
  const cleaned = text.replace(/^\s*(?:<!--|<!\[CDATA\[)|(?:-->|\]\]>)\s*$/g, "");
  for (const candidate of [cleaned, cleaned.replace(/[\n\r\t]+/g, " ")]) {
    try {
      return JSON.parse(candidate) as Json;
    } catch {
      continue;
    }
  }
  return undefined;
}

function jsonLdOffers({ $, defaultCurrency }: PageContext): Offer[] {
  const roots = $('script[type="application/ld+json"]')
    .toArray()
    .map((script) => parseJsonLdScript($(script).text()));
  const nodes: JsonObject[] = [];
  const flatten = (value: Json | undefined): void => {
    for (const item of asList(value)) {
      if (!isJsonObject(item)) continue;
      nodes.push(item);
      flatten(item["@graph"]);
    }
  };
  roots.forEach(flatten);
  const byId = new Map(
    nodes.flatMap((node) => (typeof node["@id"] === "string" ? [[node["@id"], node]] : [])),
  );
  const resolve = (value: Json): JsonObject | undefined => {
    if (!isJsonObject(value)) return undefined;
    const id = value["@id"];
    return Object.keys(value).length === 1 && typeof id === "string" ? (byId.get(id) ?? value) : value;
  };
  const products = (node: JsonObject): JsonObject[] => {
    if (hasType(node, "Product")) return [node];
    if (hasType(node, "ProductGroup"))
      return asList(node["hasVariant"]).flatMap((variant) => dereference(variant));
    return asList(node["mainEntity"]).flatMap((entity) => dereference(entity).flatMap(products));
  };
  const dereference = (value: Json): JsonObject[] => {
    const resolved = resolve(value);
    return resolved ? [resolved] : [];
  };
  const offerPrices = (offer: JsonObject, inherited: Availability): Offer[] => {
    const availability = availabilityFromSchema(textOf(offer["availability"]));
    const stock = availability === "unknown" ? inherited : availability;
    const currency = toCurrency(textOf(offer["priceCurrency"]), defaultCurrency);
    if (hasType(offer, "AggregateOffer")) {
      const low = structuredPrice(asList(offer["lowPrice"] ?? offer["price"])[0], currency);
      if (low) return [{ ...low, availability: stock }];
      return asList(offer["offers"]).flatMap((inner) =>
        dereference(inner).flatMap((o) => offerPrices(o, stock)),
      );
    }
    const direct = structuredPrice(asList(offer["price"])[0], currency);
    if (direct) return [{ ...direct, availability: stock }];
    return asList(offer["priceSpecification"])
      .flatMap(dereference)
      .filter((spec) => !/strikethrough|listprice|msrp|srp|invoice/i.test(textOf(spec["priceType"]) ?? ""))
      .flatMap((spec) => {
        const specCurrency = toCurrency(textOf(spec["priceCurrency"]), currency);
        const price = structuredPrice(asList(spec["price"])[0], specCurrency);
        return price ? [{ ...price, availability: stock }] : [];
      });
  };
  const standaloneOffers = nodes.filter(
    (node) => hasType(node, "Offer", "AggregateOffer") && node["itemOffered"],
  );
  return [
    ...nodes
      .filter((node) => !hasType(node, "Offer", "AggregateOffer"))
      .flatMap(products)
      .flatMap((product) => asList(product["offers"]).flatMap(dereference))
      .flatMap((offer) => offerPrices(offer, "unknown")),
    ...standaloneOffers.flatMap((offer) => offerPrices(offer, "unknown")),
  ];
}

function microdataOffers({ $, defaultCurrency }: PageContext): Offer[] {
  const valueOf = (selection: MarkupValue): { value: string; machine: boolean } | undefined => {
    const attribute = selection.attr("content") ?? selection.attr("value") ?? selection.attr("href");
    if (attribute !== undefined) return { value: attribute, machine: true };
    const text = selection.text().trim();
    return text === "" ? undefined : { value: text, machine: false };
  };
  const scopes = new Set(
    $('[itemprop~="price"], [itemprop~="lowPrice"]')
      .toArray()
      .map((element) => $(element).closest("[itemscope]").get(0) ?? $.root().get(0)),
  );
  return [...scopes].flatMap((scope) => {
    const within = $(scope);
    const priceElement = within.find('[itemprop~="price"]').first();
    const price = valueOf(
      priceElement.length > 0 ? priceElement : within.find('[itemprop~="lowPrice"]').first(),
    );
    if (!price) return [];
    const currencyElement = within.find('[itemprop~="priceCurrency"]').first();
    const currency = toCurrency(
      currencyElement.length > 0 ? valueOf(currencyElement)?.value : undefined,
      defaultCurrency,
    );
    const amount = price.machine
      ? structuredPrice(price.value, currency)
      : (parsePrice(price.value, currency === undefined ? {} : { defaultCurrency: currency }) ?? undefined);
    if (!amount) return [];
    const availabilityElement = within.find('[itemprop~="availability"]').first();
    const availability = availabilityFromSchema(
      availabilityElement.length > 0 ? valueOf(availabilityElement)?.value : undefined,
    );
    return [{ ...amount, availability }];
  });
}

function metaContent($: CheerioAPI, ...names: string[]): string[] {
  return names.flatMap((name) =>
    $(`meta[property="${name}"], meta[name="${name}"]`)
      .toArray()
      .flatMap((element) => {
        const content = $(element).attr("content");
        return content === undefined ? [] : [content];
      }),
  );
}

function openGraphOffers({ $, defaultCurrency }: PageContext): Offer[] {
  const currency = toCurrency(
    metaContent($, "product:price:currency", "og:price:currency")[0],
    defaultCurrency,
  );
  const availability = availabilityFromSchema(metaContent($, "product:availability", "og:availability")[0]);
  return metaContent($, "product:price:amount", "og:price:amount").flatMap((value) => {
    const price = structuredPrice(value, currency);
    return price ? [{ ...price, availability }] : [];
  });
}

function siteAvailability($: CheerioAPI, selector: string): Availability {
  return availabilityFromText(
    $(selector)
      .toArray()
      .map((element) => $(element).text())
      .join(" "),
  );
}

function mercadoLivreOffers({ $, defaultCurrency }: PageContext): Offer[] {
  const excluded =
    "s, .andes-money-amount--previous, .ui-pdp-price__original-value, .ui-pdp-price__subtitles, .ui-pdp-price__installments";
  const mainPrices = (selector: string) =>
    $(selector)
      .toArray()
      .filter((element) => $(element).closest(excluded).length === 0);
  const amounts = mainPrices(".ui-pdp-price__second-line .andes-money-amount");
  const elements =
    amounts.length > 0 ? amounts : mainPrices(".ui-pdp-price__main-container .andes-money-amount");
  const metaCurrency = $('meta[itemprop="priceCurrency"]').attr("content");
  const availability = siteAvailability(
    $,
    ".ui-pdp-stock-information, .ui-pdp-buybox__quantity__available, .ui-pdp-message, .ui-pdp-warning",
  );
  return elements.flatMap((element) => {
    const amount = $(element);
    const integer = amount.find(".andes-money-amount__fraction").first().text().replace(/\D/g, "");
    const cents = amount.find(".andes-money-amount__cents").first().text().replace(/\D/g, "");
    const symbol = amount.find(".andes-money-amount__currency-symbol").first().text();
    const currency = toCurrency(symbol || metaCurrency, defaultCurrency);
    if (integer === "" || currency === undefined) return [];
    const price = parseMachineAmount(`${integer}.${cents || "0"}`, currency);
    return price === null ? [] : [{ amount: price, currency, availability }];
  });
}

function amazonOffers({ $, defaultCurrency }: PageContext): Offer[] {
  const groups = [
    "#corePriceDisplay_desktop_feature_div .priceToPay, #corePrice_feature_div .a-price, #corePrice_desktop .a-price, #apex_desktop .priceToPay",
    "#priceblock_dealprice, #priceblock_saleprice, #priceblock_ourprice, #price_inside_buybox",
  ];
  const availability = siteAvailability($, "#availability, #outOfStock");
  for (const group of groups) {
    const offers = $(group)
      .toArray()
      .filter(
        (element) =>
          $(element).closest('.a-text-price, [data-a-strike="true"], .basisPrice, .pricePerUnit').length ===
          0,
      )
      .flatMap((element) => {
        const price = $(element);
        const offscreen = price.find(".a-offscreen").first().text().trim();
        const visible = `${price.find(".a-price-symbol").first().text()} ${price.find(".a-price-whole").first().text()}${price.find(".a-price-fraction").first().text()}`;
        const text = offscreen || (price.find(".a-price-whole").length > 0 ? visible : price.text());
        const parsed = parsePrice(text, defaultCurrency === undefined ? {} : { defaultCurrency });
        return parsed ? [{ ...parsed, availability }] : [];
      });
    if (offers.length > 0) return offers;
  }
  return [];
}

function magaluOffers({ $, defaultCurrency }: PageContext): Offer[] {
  const availability: Availability =
    $('[data-testid*="unavailable"]').length > 0
      ? "out_of_stock"
      : $('[data-testid="bagButton"]').length > 0
        ? "in_stock"
        : "unknown";
  return $('[data-testid="price-value"]')
    .toArray()
    .flatMap((element) => {
      const parsed = parsePrice($(element).text(), { defaultCurrency: defaultCurrency ?? "BRL" });
      return parsed ? [{ ...parsed, availability }] : [];
    });
}

const CASCADE: readonly (readonly [ExtractionRule, (page: PageContext) => Offer[]])[] = [
  ["json-ld", jsonLdOffers],
  ["microdata", microdataOffers],
  ["opengraph", openGraphOffers],
  ["site:mercadolivre", mercadoLivreOffers],
  ["site:amazon", amazonOffers],
  ["site:magalu", magaluOffers],
];

function blockReason($: CheerioAPI, pageUrl: string | undefined): string | undefined {
  const title = $("title").first().text().trim();
  const headings = `${title} ${$("h1, h2").text()}`;
  const messages = $("h1, h2, h3, h4, p").text();
  const path = pageUrl && URL.canParse(pageUrl) ? new URL(pageUrl).pathname : "";
  if (/^just a moment/i.test(title) || /attention required.*cloudflare/i.test(title)) {
    return "Cloudflare bot challenge";
  }
  if ($("#challenge-form, #challenge-running, #cf-challenge-running, .cf-browser-verification").length > 0) {
    return "Cloudflare bot challenge";
  }
  if (
    /robot check/i.test(title) ||
    $('form[action*="validateCaptcha"]').length > 0 ||
    /enter the characters you see below|digite os caracteres que voc[eê] v[eê] abaixo/i.test(messages)
  ) {
    return "Amazon captcha (Robot Check)";
  }
  if (
    /account-verification|suspicious-traffic/.test(path) ||
    $(
      'form[action*="account-verification"], link[rel="canonical"][href*="account-verification"], meta[http-equiv="refresh"][content*="account-verification"]',
    ).length > 0 ||
    /tr[aá]fego suspeito|tr[aá]fico sospechoso|suspicious traffic/i.test(headings)
  ) {
    return "Mercado Livre account verification";
  }
  if ($('iframe[src*="captcha-delivery.com"], script[src*="captcha-delivery.com"]').length > 0) {
    return "DataDome captcha";
  }
  if ($("#px-captcha").length > 0) return "PerimeterX challenge";
  if (/pardon our interruption/i.test(title)) return "Imperva bot challenge";
  if (/^access denied/i.test(title) && /permission to access/i.test(messages)) return "access denied page";
  return undefined;
}

function hasCaptchaWidget($: CheerioAPI): boolean {
  const widgets =
    '.g-recaptcha, .h-captcha, iframe[src*="recaptcha"], iframe[src*="hcaptcha"], [id*="captcha" i]';
  return $(widgets).length > 0 || /captcha/i.test(`${$("title").text()} ${$("h1").text()}`);
}

/** Extracts the one current price of a product page, or says why there is none. */
export function extractPrice(html: string, pageUrl?: string): ExtractionResult {
  const $ = load(html, { xml: { xmlMode: false, decodeEntities: true } });
  const blocked = blockReason($, pageUrl);
  if (blocked) return { outcome: "blocked", reason: blocked };
  const page: PageContext = { $, defaultCurrency: defaultCurrencyFor($, pageUrl) };
  for (const [rule, offersOf] of CASCADE) {
    const offers = offersOf(page).filter((offer) => /[1-9]/.test(offer.amount));
    const distinct = new Map<string, Offer>();
    for (const offer of offers) {
      const key = `${offer.amount} ${offer.currency}`;
      const seen = distinct.get(key);
      if (!seen || seen.availability === "unknown") distinct.set(key, offer);
    }
    const [only, ...others] = distinct.values();
    if (!only) continue;
    if (others.length > 0) {
      const candidates = [...distinct.values()].map(({ amount, currency }) => ({ amount, currency }));
      return { outcome: "conflict", rule, candidates };
    }
    return {
      outcome: "price",
      amount: only.amount,
      currency: only.currency,
      availability: only.availability,
      rule,
    };
  }
  if (hasCaptchaWidget($)) return { outcome: "blocked", reason: "captcha page" };
  return { outcome: "no_price", reason: "no price found by json-ld, microdata, opengraph or site rules" };
}
