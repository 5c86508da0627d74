/**
 * Structured price data: schema.org JSON-LD (Product, ProductGroup/hasVariant, any node with offers, Offer,
 * AggregateOffer's lowPrice, priceSpecification without list/strike-through prices, offers as lists and
 * @id references in @graph), microdata (itemprop price inside its itemscope), and the product meta tags
 * (product:price:amount, og:price:amount, sale price first). An offer whose URL or SKU is the page's
 * selected variant is marked `selected`.
 */
import type { AnyNode } from "domhandler";
import { availabilityFromSchema } from "./availability.ts";
import { currencyFromHint } from "./currency.ts";
import { hasItemprop, textOf as elementText, type PageElements } from "./elements.ts";
import type { Availability, Offer, PageContext, PriceCandidate } from "./page.ts";
import { parseMachineAmount, parsePrice } from "./parse.ts";

export interface StructuredOffer extends Offer {
  readonly selected: boolean;
}

type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };
type JsonObject = { readonly [key: string]: Json };

interface MarkupValue {
  attr(name: string): string | undefined;
  text(): string;
}

function toCurrency(value: string | undefined, fallback: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? fallback : (currencyFromHint(value) ?? fallback);
}

/** A structured-data price: machine decimal first ("1299.9"), then shop text ("R$ 1.299,90"). */
export function structuredPrice(
  value: Json | undefined,
  currency: string | undefined,
): PriceCandidate | undefined {
  if (typeof value !== "number" && typeof value !== "string") return undefined;
  const machine = currency === undefined ? null : parseMachineAmount(value, currency);
  if (machine !== null && currency !== undefined) return { amount: machine, currency };
  const parsed = parsePrice(String(value), currency === undefined ? {} : { currencyHint: currency });
  return parsed?.currency ? { amount: parsed.amount, currency: parsed.currency } : undefined;
}

/** A field of a JSON-LD node, matching its name in any case ("lowprice" for "lowPrice"). */
function field(node: JsonObject, name: string): Json | undefined {
  const exact = node[name];
  if (exact !== undefined) return exact;
  const lower = name.toLowerCase();
  for (const key in node) if (key.toLowerCase() === lower) return node[key];
  return undefined;
}

const NESTED_AMOUNT_KEYS = ["price", "value", "amount", "decimalPrice", "sales", "current"];

/** A price value, looking inside objects such as {"sales": {"value": 3499}} (at most three levels). */
function priceValue(value: Json | undefined, depth = 0): Json | undefined {
  const first = asList(value)[0];
  if (!isJsonObject(first)) return first;
  if (depth >= 3) return undefined;
  for (const key of NESTED_AMOUNT_KEYS) {
    const inner = priceValue(field(first, key), depth + 1);
    if (inner !== undefined && inner !== null) return inner;
  }
  return undefined;
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
  const cleaned = text.replace(/^\s*(?:<!--|<!\[CDATA\[)|(?:-->|\]\]>)\s*;?\s*$/g, "");
  for (const candidate of [cleaned, cleaned.replace(/[\n\r\t]+/g, " ")]) {
    try {
      return JSON.parse(candidate) as Json;
    } catch {
      continue;
    }
  }
  return undefined;
}

const LIST_PRICE_TYPE = /strikethrough|listprice|msrp|srp|invoice|regular|original|was/i;

function isSelected(offer: JsonObject, page: PageContext): boolean {
  const url = page.pageUrl;
  if (url === undefined) return false;
  const offerUrl = textOf(offer["url"]);
  if (offerUrl && URL.canParse(offerUrl, url.href)) {
    const target = new URL(offerUrl, url);
    if (target.search !== "" && target.pathname === url.pathname && target.search === url.search) return true;
  }
  const sku = textOf(offer["sku"]);
  return sku !== undefined && sku.length > 2 && [...url.searchParams.values()].includes(sku);
}

/** Every offer of every product in the page's JSON-LD. */
export function jsonLdOffers(page: PageContext): StructuredOffer[] {
  const { elements, currencyHint } = page;
  const nodes: JsonObject[] = [];
  const flatten = (value: Json | undefined): void => {
    for (const item of asList(value)) {
      if (!isJsonObject(item)) continue;
      nodes.push(item);
      flatten(item["@graph"]);
    }
  };
  for (const script of elements.byTag("script")) {
    if ((script.attribs["type"] ?? "").trim().toLowerCase() === "application/ld+json") {
      flatten(parseJsonLdScript(elementText(script)));
    }
  }
  const byId = new Map(
    nodes.flatMap((node) => (typeof node["@id"] === "string" ? [[node["@id"], node]] : [])),
  );
  const dereference = (value: Json): JsonObject[] => {
    if (!isJsonObject(value)) return [];
    const id = value["@id"];
    return [Object.keys(value).length === 1 && typeof id === "string" ? (byId.get(id) ?? value) : value];
  };
  const products = (node: JsonObject): JsonObject[] => {
    const variants = asList(field(node, "hasVariant")).flatMap(dereference);
    const main = asList(field(node, "mainEntity")).flatMap(dereference).flatMap(products);
    const own =
      field(node, "offers") !== undefined && !hasType(node, "Offer", "AggregateOffer") ? [node] : [];
    return [...own, ...variants, ...main];
  };
  const offerPrices = (offer: JsonObject, inherited: Availability, selected: boolean): StructuredOffer[] => {
    const availability = availabilityFromSchema(textOf(field(offer, "availability")));
    const stock = availability === "unknown" ? inherited : availability;
    const chosen = selected || isSelected(offer, page);
    const currency = toCurrency(textOf(field(offer, "priceCurrency")), currencyHint);
    if (hasType(offer, "AggregateOffer") || field(offer, "lowPrice") !== undefined) {
      const low = structuredPrice(priceValue(field(offer, "lowPrice") ?? field(offer, "price")), currency);
      if (low) return [{ ...low, availability: stock, selected: chosen }];
      return asList(field(offer, "offers")).flatMap((inner) =>
        dereference(inner).flatMap((each) => offerPrices(each, stock, chosen)),
      );
    }
    const direct = structuredPrice(priceValue(field(offer, "price")), currency);
    if (direct) return [{ ...direct, availability: stock, selected: chosen }];
    return asList(field(offer, "priceSpecification"))
      .flatMap(dereference)
      .filter((spec) => !LIST_PRICE_TYPE.test(textOf(spec["priceType"]) ?? "") && !spec["referenceQuantity"])
      .flatMap((spec) => {
        const specCurrency = toCurrency(textOf(field(spec, "priceCurrency")), currency);
        const price = structuredPrice(priceValue(field(spec, "price")), specCurrency);
        return price ? [{ ...price, availability: stock, selected: chosen }] : [];
      });
  };
  const seen = new Set<JsonObject>();
  const productOffers = nodes
    .flatMap(products)
    .filter((product) => !seen.has(product) && seen.add(product))
    .flatMap((product) => {
      const productStock = availabilityFromSchema(textOf(field(product, "availability")));
      return asList(field(product, "offers"))
        .flatMap(dereference)
        .flatMap((offer) => offerPrices(offer, productStock, false));
    });
  const standalone = nodes
    .filter((node) => hasType(node, "Offer", "AggregateOffer") && node["itemOffered"] !== undefined)
    .flatMap((offer) => offerPrices(offer, "unknown", false));
  return [...productOffers, ...standalone];
}

function markupValue(selection: MarkupValue): { value: string; machine: boolean } | undefined {
  const attribute = selection.attr("content") ?? selection.attr("value");
  if (attribute !== undefined && attribute.trim() !== "") return { value: attribute, machine: true };
  const text = selection.text().trim();
  return text === "" ? undefined : { value: text, machine: false };
}

/** Offers from microdata: each itemscope holding an itemprop price (or lowPrice). */
export function microdataOffers({ $, elements, currencyHint }: PageContext): StructuredOffer[] {
  const priced = elements.withItemprop.filter(
    (element) => hasItemprop(element, "price") || hasItemprop(element, "lowPrice"),
  );
  if (priced.length === 0) return [];
  const heading = $(elements.byTag("h1").slice(0, 1));
  const title = heading.text().replace(/\s+/g, " ").trim();
  const isMainProduct = (scope: AnyNode) => {
    const product = $(scope).closest('[itemtype*="Product" i]');
    const area = product.length > 0 ? product : $(scope);
    if (heading.length > 0 && area.find(heading).length > 0) return true;
    const name = area.find('[itemprop="name"]').first();
    const named = (name.attr("content") ?? name.text()).replace(/\s+/g, " ").trim();
    return title !== "" && named === title;
  };
  const scopes = new Set(
    priced.flatMap((element) => $(element).closest("[itemscope]").get(0) ?? $.root().get(0) ?? []),
  );
  return [...scopes].flatMap((scope) => {
    const within = $(scope);
    const priceElement = within.find('[itemprop~="price"]').first();
    const price = markupValue(
      priceElement.length > 0 ? priceElement : within.find('[itemprop~="lowPrice"]').first(),
    );
    if (!price) return [];
    const currencyElement = within.find('[itemprop~="priceCurrency"]').first();
    const currency = toCurrency(
      currencyElement.length > 0 ? markupValue(currencyElement)?.value : undefined,
      currencyHint,
    );
    const amount = price.machine ? structuredPrice(price.value, currency) : textPrice(price.value, currency);
    if (!amount) return [];
    const stockElement = within.find('[itemprop~="availability"]').first();
    const stockValue = stockElement.attr("href") ?? stockElement.attr("content") ?? stockElement.text();
    return [{ ...amount, availability: availabilityFromSchema(stockValue), selected: isMainProduct(scope) }];
  });
}

function textPrice(text: string, currency: string | undefined): PriceCandidate | undefined {
  const parsed = parsePrice(text, currency === undefined ? {} : { currencyHint: currency });
  return parsed?.currency ? { amount: parsed.amount, currency: parsed.currency } : undefined;
}

/** Every meta tag's content by its property or name (lower case), in one pass. */
export function metaTags(elements: PageElements): ReadonlyMap<string, readonly string[]> {
  const tags = new Map<string, string[]>();
  for (const { attribs } of elements.byTag("meta")) {
    const key = (attribs["property"] ?? attribs["name"] ?? attribs["itemprop"] ?? "").toLowerCase();
    const content = attribs["content"];
    if (key === "" || content === undefined || content.trim() === "") continue;
    const list = tags.get(key) ?? [];
    list.push(content);
    tags.set(key, list);
  }
  return tags;
}

function metaContent(meta: ReadonlyMap<string, readonly string[]>, ...names: string[]): string[] {
  return names.flatMap((name) => meta.get(name) ?? []);
}

/** The currency the page's own markup declares, if any. */
export function declaredCurrency(
  elements: PageElements,
  meta: ReadonlyMap<string, readonly string[]>,
): string | undefined {
  const declared = metaContent(
    meta,
    "product:price:currency",
    "og:price:currency",
    "product:sale_price:currency",
    "pricecurrency",
  )[0];
  const itemprop =
    declared === undefined
      ? elements.withItemprop.find((element) => element.attribs["itemprop"] === "priceCurrency")
      : undefined;
  const value =
    declared ??
    itemprop?.attribs["content"] ??
    ((itemprop === undefined ? "" : elementText(itemprop).trim()) || undefined);
  return value === undefined ? undefined : currencyFromHint(value);
}

/** Offers from product meta tags (Open Graph / Facebook catalogue): the sale price when there is one. */
export function metaOffers({ meta, currencyHint }: PageContext): StructuredOffer[] {
  const availability = availabilityFromSchema(
    metaContent(meta, "product:availability", "og:availability")[0],
  );
  const sale = metaContent(meta, "product:sale_price:amount");
  const currency = toCurrency(
    metaContent(
      meta,
      sale.length > 0 ? "product:sale_price:currency" : "product:price:currency",
      "og:price:currency",
    )[0],
    currencyHint,
  );
  const amounts =
    sale.length > 0 ? sale : metaContent(meta, "product:price:amount", "og:price:amount", "product:price");
  const texts = amounts.length > 0 ? [] : metaContent(meta, "og:price", "twitter:data1", "price");
  return [
    ...amounts.flatMap((value) => {
      const price = structuredPrice(value, currency);
      return price ? [{ ...price, availability, selected: false }] : [];
    }),
    ...texts.flatMap((text) => {
      const price = textPrice(text, currency);
      return price ? [{ ...price, availability, selected: false }] : [];
    }),
  ];
}
