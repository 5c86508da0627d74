/**
 * The scored search of the visible page for the main product price, for pages without structured data.
 * One pass over the tree collects every short element whose text reads as a price (a currency written, or
 * price words in its class/id/itemprop/data attributes) with what surrounds it; each is scored: price
 * words (+), a written currency (+), closeness to the product title (h1) and to the buy button (+), inside
 * the product's main area (+); struck-through / was / RRP prices, instalments, shipping, savings, per-unit
 * prices (−) and anything in related-product, navigation, header, footer or cart areas (−−). Equal amounts
 * pool their evidence. The best amount wins only with a clear margin.
 */
import type { CheerioAPI } from "cheerio";
import type { AnyNode, Element } from "domhandler";
import { availabilityFromSchema, availabilityFromText, BUY } from "./availability.ts";
import type { Availability, PriceCandidate } from "./page.ts";
import { readPrice } from "./parse.ts";

export interface DomCandidate extends PriceCandidate {
  readonly score: number;
}

export interface PageScan {
  /** Price candidates, best first. */
  readonly candidates: readonly DomCandidate[];
  /** What the stock texts near the buy box and the buy button say. */
  readonly availability: Availability;
}

const SKIPPED = new Set([
  "script",
  "style",
  "noscript",
  "template",
  "svg",
  "head",
  "select",
  "option",
  "iframe",
  "textarea",
]);
const STRUCK = new Set(["del", "s", "strike"]);
const MAX_TEXT = 60;
const PRICE_WORDS =
  /price|preis|prix|precio|preco|preço|prezzo|prijs|pris|cena|cijena|cena|hinta|fiyat|цена|ціна|kaina|hind|amount|cost|valor|betrag|tarif|money|sale|offer|current|final|special|our/i;
const NOT_THE_PRICE =
  /old|was|regular|strike|striked|before|list|rrp|msrp|compare|original|cross|prev|uvp|statt|barr|tachad|riscad|antes|retail|reference|instal|parcel|month|finance|credit|leasing|shipping|delivery|freight|versand|envio|frete|per-?unit|unit-?price|base-?price|grundpreis|kg|liter|saving|save|discount|rabatt|econom|cuota|raty|tax|vat|mwst|bonus|points|loyalty|club|member|coupon|voucher/i;
/** Areas never holding the page's own product price: their subtrees are not read at all. */
const ELSEWHERE =
  /related|recommend|similar|carousel|slider|swiper|slick|upsell|up-sell|cross-?sell|also-?(?:bought|viewed|like)|recent|viewed|bundle|accessor|footer|navbar|navigation|menu|mini-?cart|minicart|basket-?flyout|wishlist|sidebar|reviews|suggest|other-?products|more-?products|product-?list|product-?grid|teaser|promo-?bar|breadcrumb|newsletter|cookie/i;
const MAIN_AREA =
  /product-?detail|productdetail|pdp|product-?main|product-?info|productinfo|buy-?box|buybox|product__info|product-?view|productview|product-?page|item-?detail|product-?summary|summary|product-?essential|product-?shop|main-?product|product-?content|product-?right|detail-?info|offer-?box/i;
const BUY_ATTRIBUTES =
  /add-?to-?cart|addtocart|add-?to-?basket|addtobasket|add-?to-?bag|buy-?now|buynow|btn-?cart|cart-?button|buy-?button/i;
const CURRENCY_SIGN = /[$€£¥₩₹₽₺₴₪₫₱฿₦₸]|\d\s?\p{L}|\p{L}\.?\s?\d/u;
const STOCK_ATTRIBUTES = /stock|availab|inventory|lager|dispon|nalich|verfüg/i;
const MAX_STOCK_TEXT = 120;
const MAX_LABEL = 80;
const H1_AFTER = 250;
const H1_BEFORE = 60;
const BUY_RANGE = 150;

interface Context {
  readonly priced: boolean;
  readonly notThePrice: boolean;
  readonly elsewhere: boolean;
  readonly main: boolean;
  /** Elements since the nearest price or not-the-price marker. */
  readonly depth: number;
  /** Depth in the document. */
  readonly level: number;
}

interface Found {
  readonly amount: string;
  readonly currency: string;
  readonly index: number;
  readonly base: number;
}

function attributesText(element: Element): string {
  const { attribs } = element;
  let text = `${attribs["class"] ?? ""} ${attribs["id"] ?? ""} ${attribs["itemprop"] ?? ""}`;
  for (const name in attribs)
    if (name.startsWith("data-")) text += ` ${name} ${(attribs[name] ?? "").slice(0, 40)}`;
  return text;
}

function isHidden(element: Element): boolean {
  const style = element.attribs["style"] ?? "";
  return element.attribs["hidden"] !== undefined || /display\s*:\s*none|visibility\s*:\s*hidden/i.test(style);
}

/** One pass over the page: its scored price texts (best first) and its stock evidence. */
export function scanPage($: CheerioAPI, currencyHint: string | undefined): PageScan {
  const found: Found[] = [];
  const stockTexts = new Map<string, { verdict: Availability; count: number }>();
  let counter = 0;
  let h1Index = -1;
  let buyIndex = -1;
  let buyEnabled = false;
  let buyDisabled = false;
  const options = currencyHint === undefined ? {} : { currencyHint };

  const visit = (node: AnyNode, context: Context): string | null => {
    const kind: string = node.type;
    if (kind === "text" && "data" in node) return node.data;
    if (kind !== "tag" || !("attribs" in node)) return "";
    const element = node;
    const name = element.name;
    const index = counter++;
    if (SKIPPED.has(name) || isHidden(element)) return "";
    if (name === "input") checkBuy(element, "", index);
    if (name === "h1" && h1Index === -1) h1Index = index;
    const attributes = attributesText(element);
    if (ELSEWHERE.test(attributes) || name === "footer" || name === "nav" || name === "aside") return null;
    const own = {
      priced: PRICE_WORDS.test(attributes),
      notThePrice:
        STRUCK.has(name) ||
        NOT_THE_PRICE.test(attributes) ||
        /line-through/.test(element.attribs["style"] ?? ""),
      elsewhere: name === "header" && context.level < 4,
      main:
        MAIN_AREA.test(attributes) ||
        /schema\.org\/Product/i.test(element.attribs["itemtype"] ?? "") ||
        name === "main",
    };
    const inner: Context = {
      priced: own.priced || (context.priced && context.depth < 3),
      notThePrice: own.notThePrice || (context.notThePrice && context.depth < 4),
      elsewhere: own.elsewhere || context.elsewhere,
      main: own.main || context.main,
      depth: own.priced || own.notThePrice ? 0 : context.depth + 1,
      level: context.level + 1,
    };
    let text: string | null = "";
    for (const child of element.children) {
      const part = visit(child, inner);
      if (text === null || part === null) {
        text = null;
        continue;
      }
      const joined = joinText(text, part, child);
      text = joined.length > MAX_TEXT * 2 ? null : joined;
    }
    if (name === "button" || name === "a") {
      checkBuy(element, text ?? "", index);
      return name === "button" ? null : text;
    }
    if (text !== null) {
      consider(text, index, own.priced || inner.priced, inner);
      const stockElement =
        STOCK_ATTRIBUTES.test(attributes) || element.attribs["itemprop"] === "availability";
      if (stockElement && !inner.elsewhere) checkStock(element, text);
    }
    return text;
  };

  const checkBuy = (element: Element, text: string, index: number) => {
    const { attribs } = element;
    const label = `${text} ${attribs["value"] ?? ""} ${attribs["aria-label"] ?? ""} ${attribs["title"] ?? ""}`;
    const marked = `${attribs["class"] ?? ""} ${attribs["id"] ?? ""} ${attribs["name"] ?? ""}`;
    if (label.length > MAX_LABEL || !(BUY.test(label) || BUY_ATTRIBUTES.test(marked))) return;
    if (buyIndex === -1) buyIndex = index;
    const off =
      attribs["disabled"] !== undefined ||
      attribs["aria-disabled"] === "true" ||
      /disabled/i.test(attribs["class"] ?? "");
    if (off) buyDisabled = true;
    else buyEnabled = true;
  };

  const checkStock = (element: Element, text: string) => {
    const { attribs } = element;
    const value = `${text} ${attribs["content"] ?? ""} ${attribs["href"] ?? ""}`.replace(/\s+/g, " ").trim();
    if (value.length === 0 || value.length > MAX_STOCK_TEXT) return;
    const verdict = /schema\.org|^\s*(?:in|out)_?of_?stock/i.test(value)
      ? availabilityFromSchema(value.trim().split(" ").pop())
      : availabilityFromText(value);
    if (verdict === "unknown") return;
    const seen = stockTexts.get(value);
    stockTexts.set(value, { verdict, count: (seen?.count ?? 0) + 1 });
  };

  const consider = (raw: string, index: number, priced: boolean, context: Context) => {
    const text = raw.replace(/\s+/g, " ").trim();
    if (text.length === 0 || text.length > MAX_TEXT || !/\d/.test(text)) return;
    if (!priced && !CURRENCY_SIGN.test(text)) return;
    const read = readPrice(text, options, true);
    if (read === null || read.price.currency === null || read.token.excluded) return;
    if (!/[1-9]/.test(read.price.amount)) return;
    const marked = read.token.currency !== undefined;
    if (!marked && !priced) return;
    let base = (marked ? 3 : 0) + (priced ? 3 : 0) + (text.length <= 25 ? 1 : 0);
    if (read.token.role === "list" || context.notThePrice) base -= 7;
    if (read.token.role === "current") base += 1;
    if (context.elsewhere) base -= 5;
    if (context.main) base += 2;
    found.push({ amount: read.price.amount, currency: read.price.currency, index, base });
  };

  const root = $.root().get(0);
  const body = $("body").get(0) ?? root;
  if (body)
    visit(body, {
      priced: false,
      notThePrice: false,
      elsewhere: false,
      main: false,
      depth: 0,
      level: 0,
    });

  const scored = new Map<string, DomCandidate & { hits: number }>();
  for (const item of found) {
    let score = item.base;
    if (h1Index !== -1) {
      const distance = item.index - h1Index;
      if (distance > 0 && distance <= H1_AFTER) score += 4 * (1 - distance / H1_AFTER);
      else if (distance < 0 && distance >= -H1_BEFORE) score += 1.5 * (1 + distance / H1_BEFORE);
    }
    if (buyIndex !== -1) {
      const distance = Math.abs(item.index - buyIndex);
      if (distance <= BUY_RANGE) score += 3 * (1 - distance / BUY_RANGE);
    }
    const key = `${item.amount} ${item.currency}`;
    const seen = scored.get(key);
    if (!seen) scored.set(key, { amount: item.amount, currency: item.currency, score, hits: 1 });
    else scored.set(key, { ...seen, score: Math.max(seen.score, score), hits: seen.hits + 1 });
  }
  const candidates = [...scored.values()]
    .map(({ amount, currency, score, hits }) => ({
      amount,
      currency,
      score: score + Math.min(hits - 1, 3) * 0.3,
    }))
    .sort((left, right) => right.score - left.score);
  const verdicts = new Set(
    [...stockTexts.values()].filter((each) => each.count === 1).map((each) => each.verdict),
  );
  const fromText = verdicts.size === 1 ? [...verdicts][0]! : "unknown";
  const fromButton: Availability = buyEnabled ? "in_stock" : buyDisabled ? "out_of_stock" : "unknown";
  return { candidates, availability: fromText !== "unknown" ? fromText : fromButton };
}

function joinText(text: string, part: string, child: AnyNode): string {
  if (part === "") return text;
  const kind: string = child.type;
  if (
    kind === "tag" &&
    "attribs" in child &&
    /^\d{2}$/.test(part.trim()) &&
    /\d$/.test(text) &&
    isCents(child)
  ) {
    return `${text}${/\.\d{3}$/.test(text) ? "," : "."}${part.trim()}`;
  }
  const needsSpace = /[\p{L}\p{N}]$/u.test(text) && /^[\p{L}\p{N}]/u.test(part) && kind === "tag";
  return needsSpace ? `${text} ${part}` : `${text}${part}`;
}

function isCents(element: Element): boolean {
  return element.name === "sup" || /cent|decimal|fraction|penny|small/i.test(element.attribs["class"] ?? "");
}
