/**
 * Price extraction from a product page's HTML. Every rule gives its candidates — the shop's site rule
 * (shared/pricing/sites), schema.org JSON-LD, microdata, product meta tags, the embedded state and the
 * scored visible-DOM search — and one decision weighs them: a site rule or structured data with one price
 * wins; several structured prices are settled by the selected variant or the price the page shows; else
 * the DOM's best price, backed by embedded state, wins when its margin is clear. Each answer carries the
 * winning rule and a confidence; below MIN_CONFIDENCE it is no price, never a guess. Block pages (bot
 * challenges, captchas) are only reported when no product price was found.
 */
import type { CheerioAPI } from "cheerio";
import { blockReason } from "./blocked.ts";
import { currencyOfRegion } from "./currency.ts";
import { PRICE_BOX, scanPage, type DomCandidate, type PageScan } from "./dom.ts";
import { fileElements, textOf } from "./elements.ts";
import { embeddedPrices } from "./embedded.ts";
import { loadPage } from "./page-tree.ts";
import type { Availability, Offer, PageContext, PriceCandidate } from "./page.ts";
import { scanPrices } from "./parse.ts";
import { siteRulesForPage } from "./sites/index.ts";
import {
  declaredCurrency,
  jsonLdOffers,
  metaOffers,
  metaTags,
  microdataOffers,
  type StructuredOffer,
} from "./structured.ts";

export type { Availability, PriceCandidate } from "./page.ts";

export type ExtractionRule = "json-ld" | "microdata" | "opengraph" | "embedded" | "dom" | `site:${string}`;

export type ExtractionResult =
  | {
      readonly outcome: "price";
      readonly amount: string;
      readonly currency: string;
      readonly availability: Availability;
      readonly rule: ExtractionRule;
      /** 0–1: how sure the decision is (1 for a site rule or agreeing structured data). */
      readonly confidence: number;
    }
  | {
      readonly outcome: "conflict";
      readonly rule: ExtractionRule;
      readonly candidates: readonly PriceCandidate[];
      /** What the page's stock texts and buy button say ("unknown" without evidence). */
      readonly availability: Availability;
    }
  | { readonly outcome: "no_price"; readonly reason: string; readonly availability: Availability }
  | { readonly outcome: "blocked"; readonly reason: string };

/** Below this the page's best price is reported as no price. */
export const MIN_CONFIDENCE = 0.5;
const DOM_MIN_SCORE = 7;
/** A DOM lead this large needs no backing from the embedded state. */
const CLEAR_MARGIN = 4;

const STRUCTURED: readonly (readonly [ExtractionRule, (page: PageContext) => StructuredOffer[]])[] = [
  ["json-ld", jsonLdOffers],
  ["microdata", microdataOffers],
  ["opengraph", metaOffers],
];

type Decision = Exclude<ExtractionResult, { outcome: "no_price" } | { outcome: "blocked" }>;

function pageContext($: CheerioAPI, html: string, pageUrl: string | undefined): PageContext {
  const url = pageUrl !== undefined && URL.canParse(pageUrl) ? new URL(pageUrl) : undefined;
  const host = (url?.hostname ?? "").toLowerCase().replace(/^www\./, "");
  const elements = fileElements($.root().toArray());
  const meta = metaTags(elements);
  const lang = (elements.byTag("html")[0]?.attribs["lang"] ?? meta.get("og:locale")?.[0] ?? "").replace(
    "_",
    "-",
  );
  const [language = "", region] = lang.toLowerCase().split("-");
  const topLevel = host.split(".").pop();
  const currencyHint =
    declaredCurrency(elements, meta) ??
    (topLevel && topLevel.length === 2 ? currencyOfRegion(topLevel) : undefined) ??
    currencyOfRegion(region);
  return { $, elements, html, host, pageUrl: url, currencyHint, language, meta };
}

function distinct<T extends PriceCandidate>(offers: readonly T[]): T[] {
  const byKey = new Map<string, T>();
  for (const offer of offers) {
    if (!/[1-9]/.test(offer.amount)) continue;
    const key = `${Number(offer.amount)} ${offer.currency}`;
    if (!byKey.has(key)) byKey.set(key, offer);
  }
  return [...byKey.values()];
}

const sameAmount = (left: PriceCandidate, right: PriceCandidate) =>
  Number(left.amount) === Number(right.amount) && left.currency === right.currency;

/** A product page offering a price with no sign of being sold out or on pre-order is in stock. */
function offered(evidence: Availability): Availability {
  return evidence === "unknown" ? "in_stock" : evidence;
}

function answer(
  offer: Offer,
  rule: ExtractionRule,
  confidence: number,
  fallback: () => Availability,
): Decision {
  return {
    outcome: "price",
    amount: offer.amount,
    currency: offer.currency,
    availability: offer.availability === "unknown" ? offered(fallback()) : offer.availability,
    rule,
    confidence: Math.round(confidence * 100) / 100,
  };
}

/** The one offer whose amount the page's title or description states ("… : 74,95 € …"), if one. */
function inDescription<T extends PriceCandidate>(page: PageContext, offers: readonly T[]): T | undefined {
  const title = page.elements.byTag("title")[0];
  const texts = [
    title === undefined ? "" : textOf(title),
    ...["description", "og:description", "twitter:description", "og:title"].flatMap(
      (name) => page.meta.get(name) ?? [],
    ),
  ];
  const stated = new Set(
    texts.flatMap((text) =>
      scanPrices(text, page.currencyHint === undefined ? {} : { currencyHint: page.currencyHint })
        .filter((token) => token.currency !== undefined && !token.excluded)
        .map((token) => Number(`${token.integer}.${token.fraction || "0"}`)),
    ),
  );
  const matching = offers.filter((offer) => stated.has(Number(offer.amount)));
  return matching.length === 1 ? matching[0] : undefined;
}

/** Of several offers at one price: in stock if any is, else pre-order, else out of stock, else unknown. */
function bestAvailability(offers: readonly Offer[]): Availability {
  const known = new Set(offers.map((offer) => offer.availability));
  for (const availability of ["in_stock", "pre_order", "out_of_stock"] as const) {
    if (known.has(availability)) return availability;
  }
  return "unknown";
}

/** The price most offers share (a product's sizes or colours), if one clearly does. */
function mostCommon<T extends PriceCandidate>(offers: readonly T[]): T | undefined {
  const counts = new Map<string, { offer: T; count: number }>();
  for (const offer of offers) {
    const key = `${Number(offer.amount)} ${offer.currency}`;
    const seen = counts.get(key);
    counts.set(key, { offer: seen?.offer ?? offer, count: (seen?.count ?? 0) + 1 });
  }
  const [first, second] = [...counts.values()].sort((left, right) => right.count - left.count);
  return first && first.count >= 2 && first.count > (second?.count ?? 0) ? first.offer : undefined;
}

function fromStructured(
  page: PageContext,
  dom: () => readonly DomCandidate[],
  availability: () => Availability,
): Decision | undefined {
  for (const [rule, offersOf] of STRUCTURED) {
    const offers = offersOf(page);
    const prices = distinct(offers);
    const [only, ...others] = prices;
    if (only === undefined) continue;
    const stock = (offer: StructuredOffer): Offer => ({
      ...offer,
      availability: bestAvailability(offers.filter((each) => sameAmount(each, offer))),
    });
    if (others.length === 0) return answer(stock(only), rule, 0.95, availability);
    const selected = distinct(prices.filter((offer) => offer.selected));
    if (selected.length === 1) return answer(stock(selected[0]!), rule, 0.85, availability);
    const candidates = dom();
    const shown = candidates.find((candidate) => prices.some((offer) => sameAmount(offer, candidate)));
    if (shown && shown === candidates[0]) {
      return answer(stock(prices.find((offer) => sameAmount(offer, shown))!), rule, 0.8, availability);
    }
    const described = inDescription(page, prices);
    if (described) return answer(stock(described), rule, 0.75, availability);
    const common =
      mostCommon(offers.filter((offer) => offer.availability !== "out_of_stock")) ?? mostCommon(offers);
    if (common) return answer(stock(common), rule, 0.7, availability);
    return conflict(rule, prices, availability());
  }
  return undefined;
}

function conflict(
  rule: ExtractionRule,
  prices: readonly PriceCandidate[],
  availability: Availability,
): Decision {
  return {
    outcome: "conflict",
    rule,
    candidates: prices.map(({ amount, currency }) => ({ amount, currency })),
    availability,
  };
}

function fromPage(
  page: PageContext,
  dom: readonly DomCandidate[],
  availability: () => Availability,
): Decision | undefined {
  const [leader, runnerUp] = dom;
  const clearLead = leader !== undefined && leader.score - (runnerUp?.score ?? 0) >= CLEAR_MARGIN;
  if (clearLead && leader.score >= DOM_MIN_SCORE) {
    return answer({ ...leader, availability: "unknown" }, "dom", 0.9, availability);
  }
  const embedded = embeddedPrices(page.elements);
  const support = (candidate: PriceCandidate) => embedded.counts.get(String(Number(candidate.amount))) ?? 0;
  const ranked = dom
    .map((candidate) => ({ ...candidate, score: candidate.score + (support(candidate) > 0 ? 2 : 0) }))
    .sort((left, right) => right.score - left.score);
  const [best, second] = ranked;
  if (best && best.score >= DOM_MIN_SCORE) {
    const margin = best.score - (second?.score ?? 0);
    const confidence = Math.min(0.9, 0.4 + margin / 8 + (support(best) > 0 ? 0.2 : 0));
    if (confidence >= MIN_CONFIDENCE) {
      return answer({ ...best, availability: "unknown" }, "dom", confidence, availability);
    }
  }
  const currency = embedded.currency ?? page.currencyHint;
  const [only, ...others] = [...embedded.counts.keys()];
  if (only !== undefined && others.length === 0 && currency !== undefined) {
    const shown = dom.find((candidate) => Number(candidate.amount) === Number(only));
    if (shown) return answer({ ...shown, availability: "unknown" }, "embedded", 0.7, availability);
  }
  const headline = headlineOfPriceBox(ranked);
  if (headline) return answer({ ...headline, availability: "unknown" }, "dom", 0.6, availability);
  return undefined;
}

/**
 * Two leaders too close to choose by score but sharing one price box (a price with and without tax, a
 * price and its unit price), well ahead of the rest: the one the box shows first, its headline.
 */
function headlineOfPriceBox(ranked: readonly DomCandidate[]): DomCandidate | undefined {
  const [best, second, third] = ranked;
  if (!best || !second || best.score < DOM_MIN_SCORE) return undefined;
  if (Math.abs(best.position - second.position) > PRICE_BOX) return undefined;
  if (third && second.score - third.score < CLEAR_MARGIN / 2) return undefined;
  return best.position < second.position ? best : second;
}

/** Extracts the one current price of a product page, or says why there is none. */
export function extractPrice(html: string, pageUrl?: string): ExtractionResult {
  const $ = loadPage(html);
  const page = pageContext($, html, pageUrl);
  let scan: PageScan | undefined;
  const scanOnce = () => (scan ??= scanPage(page));
  const availability = () => scanOnce().availability;
  for (const site of siteRulesForPage(page)) {
    const prices = distinct(site.offers(page));
    const rule: ExtractionRule = `site:${site.name}`;
    if (prices.length === 1) return answer(prices[0]!, rule, 1, availability);
    if (prices.length > 1) return conflict(rule, prices, availability());
  }
  const decided = fromStructured(page, () => scanOnce().candidates, availability);
  if (decided) return decided;
  const visible = fromPage(page, scanOnce().candidates, availability);
  if (visible) return visible;
  const blocked = blockReason(page);
  if (blocked) return { outcome: "blocked", reason: blocked };
  return {
    outcome: "no_price",
    reason: "no confident price in structured data, embedded state or the visible page",
    availability: availability(),
  };
}
