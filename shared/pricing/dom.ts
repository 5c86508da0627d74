/**
 * The scored search of the visible page for the main product price, for pages without structured data.
 * One pass over the tree collects every short element whose text reads as a price (a currency written, or
 * price words in its class/id/itemprop/data attributes) with what surrounds it; each is scored: price
 * words (+), a written currency (+), closeness to the product title (h1) and to the buy button (+), inside
 * the product's main area (+); struck-through / was / RRP prices, instalments, shipping, savings, per-unit
 * prices (−) and anything in related-product, navigation, header, footer or cart areas (−−), or in a
 * product card: a small linked block repeated beside at least two alike blocks that also hold prices (−−).
 * A struck-through price is read on its own, never inside its container's text; a "Price:" label cell
 * or term marks the value after it. The title is the first h1 with text (not a logo). Equal amounts pool
 * their evidence. The best amount wins only with a clear margin.
 */
import type { AnyNode, Element } from "domhandler";
import { availabilityFromSchema, availabilityFromText, BUY } from "./availability.ts";
import type { Availability, PageContext, PriceCandidate } from "./page.ts";
import { textOf } from "./elements.ts";
import { readPrice, scanPrices } from "./parse.ts";

export interface DomCandidate extends PriceCandidate {
  readonly score: number;
  /** Document position of its best-scoring occurrence (elements before it). */
  readonly position: number;
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
/** The part of ELSEWHERE that only ever names lists of other products: the parser leaves these out. */
const OTHER_PRODUCTS =
  /related|recommend|similar|upsell|up-sell|cross-?sell|also-?(?:bought|viewed|like)|other-?products|more-?products/i;
/** A label cell or term naming the price of the element after it ("Price:" | "43.97 €"). */
const PRICE_LABEL =
  /^(?:(?:our |your |sale |special |unit |retail )?price|preis|prix|precio|pre[cç]o|prezzo|prijs|pris|cena|cijena|hinta|fiyat|цена|ціна|価格|가격|价格|價格)\s*:?$/iu;
/** A count cell before an instalment ("3x" | "86,33€", "12 x de" | "R$ 108,25"). */
const COUNT_LABEL =
  /^(?:\d{1,2}\s*[x×]|\d{1,2}\s*[x×]?\s*(?:parcelas?|cuotas|raty|rate|vezes|mensualidades))(?:\s*(?:de|da|of|à|a))?$/iu;
/** Price words an element's own class may hold even inside a slider or promo box ("ek-slider-price"). */
const PRICE_CLASS = /price|preis|prix|precio|pre[cç]o|prezzo|prijs|cena|cijena|hinta|fiyat|цена|ціна/i;
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
/** A product card is at most this many levels above its price and this many elements large. */
const CARD_DEPTH = 8;
const CARD_SIZE = 120;
const CARD_REPEATS = 3;
const NOT_THE_PRICE_PENALTY = 7;
/** Of the penalty, what a class-marked price gets back when no unmarked price shares its price box. */
const UNPAIRED_RELIEF = 5;
/** Prices this many elements apart or closer share a price box. */
export const PRICE_BOX = 15;

interface Context {
  readonly priced: boolean;
  readonly notThePrice: Mark;
  readonly elsewhere: boolean;
  readonly main: boolean;
  /** Elements since the nearest price or not-the-price marker. */
  readonly depth: number;
  /** Depth in the document. */
  readonly level: number;
  /** Inside a buy button or link: its labels are states the shop toggles, not stock evidence. */
  readonly inBuy: boolean;
  /** Inside the value after a "Price:" label cell or term. */
  readonly labelled: boolean;
}

/**
 * What marks a text as not the price: nothing, its class ("price-old", "tax"), or a strong sign (struck
 * through, or "was" written before it). A class mark alone is dropped when no unmarked price sits in the
 * same price box: a was-price needs a now-price beside it.
 */
type Mark = "none" | "class" | "strong";

interface Found {
  readonly amount: string;
  readonly currency: string;
  readonly index: number;
  readonly base: number;
  readonly mark: Mark;
  /** The enclosing elements, nearest last (at most CARD_DEPTH). */
  readonly frames: readonly Frame[];
}

/** An element on the path to a price: enough to tell whether it is one of several alike cards. */
interface Frame {
  readonly index: number;
  /** The parent element's index and this element's tag and class: alike siblings share it. */
  readonly key: string;
  /** Index past the element's last descendant, once its children are read. */
  end: number;
  /** It holds a link or image (as product cards do). */
  linked: boolean;
}

function attributesText({ attribs }: Element): string {
  let text = `${attribs["class"] ?? ""} ${attribs["id"] ?? ""} ${attribs["itemprop"] ?? ""}`;
  for (const name in attribs)
    if (name.startsWith("data-")) text += ` ${name} ${(attribs[name] ?? "").slice(0, 40)}`;
  return text;
}

/** Tags that are never-the-price areas whatever their classes say. */
const AREA_TAGS = new Set(["footer", "nav", "aside"]);
/** Elements holding the whole page or its main content, whatever their classes say ("js-wide-navigation"). */
const PAGE_CONTAINERS = new Set(["html", "body", "main"]);

/**
 * Navigation, footers, asides, related-product carousels, menus, sliders and the like, by tag or by
 * class and id: areas that never hold the page's own product price (unless the element's own class names
 * a price, or it holds the product's title). The page scan does not read them.
 */
export function isElsewhere(name: string, attribs: Readonly<Record<string, string>>): boolean {
  return isArea(name, attribs, ELSEWHERE);
}

/**
 * The areas the page parser (page-tree.ts) does not build the insides of: footer, nav and aside tags and
 * lists of other products — not menus, sidebars or sliders, whose class names also dress main content.
 */
export function isOtherProductsArea(name: string, attribs: Readonly<Record<string, string>>): boolean {
  return isArea(name, attribs, OTHER_PRODUCTS);
}

function isArea(name: string, attribs: Readonly<Record<string, string>>, words: RegExp): boolean {
  if (AREA_TAGS.has(name)) return true;
  if (PAGE_CONTAINERS.has(name)) return false;
  const named = `${attribs["class"] ?? ""} ${attribs["id"] ?? ""}`;
  return words.test(named) && !PRICE_CLASS.test(named);
}

/** The product's title: the first h1 with text outside navigation, asides and footers. */
function titleHeading(elements: PageContext["elements"]): Element | undefined {
  return elements.byTag("h1").find((heading) => {
    for (let parent = heading.parent; parent !== null; parent = parent.parent) {
      if ("name" in parent && AREA_TAGS.has(parent.name)) return false;
    }
    return /\p{L}/u.test(textOf(heading));
  });
}

function isHidden(element: Element): boolean {
  const style = element.attribs["style"] ?? "";
  return element.attribs["hidden"] !== undefined || /display\s*:\s*none|visibility\s*:\s*hidden/i.test(style);
}

/** One pass over the page: its scored price texts (best first) and its stock evidence. */
export function scanPage({ $, elements, currencyHint }: PageContext): PageScan {
  const found: Found[] = [];
  const stockTexts = new Map<string, { verdict: Availability; count: number }>();
  let counter = 0;
  let h1Index = -1;
  let buyIndex = -1;
  let buyEnabled = false;
  let buyDisabled = false;
  const options = currencyHint === undefined ? {} : { currencyHint };
  const path: Frame[] = [];
  /** Amounts an element's whole text shows as instalments, savings or unit prices ("3x" <span>86,33€</span>). */
  const excluded: { readonly value: number; readonly start: number; readonly end: number }[] = [];
  const titleAreas = new Set<AnyNode>();
  for (let node = titleHeading(elements)?.parent ?? null; node !== null; node = node.parent)
    titleAreas.add(node);

  const visit = (node: AnyNode, context: Context): string | null => {
    const kind: string = node.type;
    if (kind === "text" && "data" in node) return node.data;
    if (kind !== "tag" || !("attribs" in node)) return "";
    const element = node;
    const name = element.name;
    const index = counter++;
    if (SKIPPED.has(name) || isHidden(element)) return "";
    if (name === "input") checkBuy(element, "", index);
    if (isElsewhere(name, element.attribs) && !titleAreas.has(element)) return null;
    const attributes = attributesText(element);
    if ((name === "a" && element.attribs["href"] !== undefined) || name === "img") {
      for (let level = Math.max(0, path.length - CARD_DEPTH); level < path.length; level++)
        path[level]!.linked = true;
    }
    const parent = path[path.length - 1];
    const frame: Frame = {
      index,
      key: `${parent?.index ?? -1} ${name}.${element.attribs["class"] ?? ""}`,
      end: index + 1,
      linked: false,
    };
    path.push(frame);
    const own = {
      priced: PRICE_WORDS.test(attributes),
      notThePrice:
        STRUCK.has(name) || /line-through/.test(element.attribs["style"] ?? "")
          ? ("strong" as const)
          : NOT_THE_PRICE.test(attributes)
            ? ("class" as const)
            : ("none" as const),
      elsewhere: name === "header" && context.level < 4,
      main:
        MAIN_AREA.test(attributes) ||
        /schema\.org\/Product/i.test(element.attribs["itemtype"] ?? "") ||
        name === "main",
    };
    const inner: Context = {
      priced: own.priced || (context.priced && context.depth < 3),
      labelled: context.labelled && context.depth < 3,
      notThePrice: own.notThePrice !== "none" || context.depth >= 4 ? own.notThePrice : context.notThePrice,
      elsewhere: own.elsewhere || context.elsewhere,
      main: own.main || context.main,
      depth: own.priced || own.notThePrice !== "none" ? 0 : context.depth + 1,
      level: context.level + 1,
      inBuy:
        context.inBuy ||
        ((name === "a" || name === "button") &&
          BUY_ATTRIBUTES.test(`${element.attribs["class"] ?? ""} ${element.attribs["id"] ?? ""}`)),
    };
    let text: string | null = "";
    let label: "price" | "count" | undefined;
    for (const child of element.children) {
      const isTag = "attribs" in child;
      const part = visit(child, isTag ? labelledContext(inner, label) : inner);
      if (isTag) label = labelOf(part);
      if (text === null || part === null) {
        text = null;
        continue;
      }
      const joined = joinText(text, part, child);
      text = joined.length > MAX_TEXT * 2 ? null : joined;
    }
    path.pop();
    frame.end = counter;
    if (name === "h1" && h1Index === -1 && (text === null || /\p{L}/u.test(text))) h1Index = index;
    if (name === "button" || name === "a") {
      checkBuy(element, text ?? "", index);
      return name === "button" ? null : text;
    }
    if (text !== null) {
      consider(text, index, own.priced || inner.priced, inner, frame);
      const stockElement =
        STOCK_ATTRIBUTES.test(attributes) || element.attribs["itemprop"] === "availability";
      if (stockElement && !inner.elsewhere && !inner.inBuy) checkStock(element, text);
    }
    return own.notThePrice === "strong" ? null : text;
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

  const consider = (raw: string, index: number, priced: boolean, context: Context, own: Frame) => {
    const text = raw.replace(/\s+/g, " ").trim();
    if (text.length === 0 || text.length > MAX_TEXT || !/\d/.test(text)) return;
    if (!priced && !CURRENCY_SIGN.test(text)) return;
    const read = readPrice(text, options, true);
    if (read === null || read.token.excluded) {
      for (const token of scanPrices(text, options)) {
        if (!token.excluded || token.currency === undefined) continue;
        const value = Number(`${token.integer}.${token.fraction || "0"}`);
        excluded.push({ value, start: own.index, end: own.end });
      }
      return;
    }
    if (read.price.currency === null) return;
    if (!/[1-9]/.test(read.price.amount)) return;
    const marked = read.token.currency !== undefined;
    if (!marked && !priced) return;
    let base = (marked ? 3 : 0) + (priced ? 3 : 0) + (text.length <= 25 ? 1 : 0);
    const mark = read.token.role === "list" ? "strong" : context.notThePrice;
    if (mark !== "none") base -= NOT_THE_PRICE_PENALTY;
    if (read.token.role === "current") base += 1;
    if (context.labelled) base += 2;
    if (context.elsewhere) base -= 5;
    if (context.main) base += 2;
    const frames = [...path.slice(1 - CARD_DEPTH), own];
    found.push({ amount: read.price.amount, currency: read.price.currency, index, base, mark, frames });
  };

  const start: Context = {
    priced: false,
    notThePrice: "none",
    elsewhere: false,
    main: false,
    depth: 0,
    level: 0,
    inBuy: false,
    labelled: false,
  };
  const body = elements.byTag("body")[0];
  for (const top of body ? [body] : $.root().children().toArray()) visit(top, start);

  const kept = found.filter(
    (item) =>
      !excluded.some(
        (range) => item.index >= range.start && item.index < range.end && Number(item.amount) === range.value,
      ),
  );
  const inCards = pricesInCards(kept);
  const scored = new Map<string, DomCandidate & { hits: number }>();
  for (const item of kept) {
    let score =
      item.base - (inCards.has(item) ? 5 : 0) + (wasWithoutNow(item, kept, inCards) ? UNPAIRED_RELIEF : 0);
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
    const occurrence = { amount: item.amount, currency: item.currency, score, position: item.index };
    if (!seen) scored.set(key, { ...occurrence, hits: 1 });
    else scored.set(key, { ...(score > seen.score ? occurrence : seen), hits: seen.hits + 1 });
  }
  const candidates = [...scored.values()]
    .map(({ hits, ...candidate }) => ({ ...candidate, score: candidate.score + Math.min(hits - 1, 3) * 0.3 }))
    .sort((left, right) => right.score - left.score);
  const verdicts = new Set(
    [...stockTexts.values()].filter((each) => each.count === 1).map((each) => each.verdict),
  );
  const fromText = verdicts.size === 1 ? [...verdicts][0]! : "unknown";
  const fromButton: Availability = buyEnabled ? "in_stock" : buyDisabled ? "out_of_stock" : "unknown";
  return { candidates, availability: fromText !== "unknown" ? fromText : fromButton };
}

function labelOf(text: string | null): "price" | "count" | undefined {
  const trimmed = text?.trim() ?? "";
  if (PRICE_LABEL.test(trimmed)) return "price";
  return COUNT_LABEL.test(trimmed) ? "count" : undefined;
}

/** The context of an element after a "Price:" label (its value) or an instalment count (not the price). */
function labelledContext(context: Context, label: "price" | "count" | undefined): Context {
  if (label === "price") return { ...context, priced: true, labelled: true, depth: 0 };
  if (label === "count") return { ...context, notThePrice: "strong", depth: 0 };
  return context;
}

/** A price marked "not the price" by its class only, with no unmarked price outside cards in its price box. */
function wasWithoutNow(item: Found, found: readonly Found[], inCards: ReadonlySet<Found>): boolean {
  if (item.mark !== "class") return false;
  return !found.some(
    (other) =>
      other.mark === "none" &&
      other.amount !== item.amount &&
      Math.abs(other.index - item.index) <= PRICE_BOX &&
      !inCards.has(other),
  );
}

/**
 * The prices that sit in product cards: a small linked element with at least CARD_REPEATS - 1 siblings
 * of the same tag and class that are small, linked and hold prices too.
 */
function pricesInCards(found: readonly Found[]): ReadonlySet<Found> {
  const holders = new Map<string, Set<number>>();
  const isCardLike = (frame: Frame) => frame.linked && frame.end - frame.index <= CARD_SIZE;
  for (const item of found) {
    for (const frame of item.frames) {
      if (!isCardLike(frame)) continue;
      const members = holders.get(frame.key) ?? new Set<number>();
      members.add(frame.index);
      holders.set(frame.key, members);
    }
  }
  return new Set(
    found.filter((item) =>
      item.frames.some((frame) => isCardLike(frame) && (holders.get(frame.key)?.size ?? 0) >= CARD_REPEATS),
    ),
  );
}

function joinText(text: string, part: string, child: AnyNode): string {
  if (part === "") return text;
  const kind: string = child.type;
  if (
    kind === "tag" &&
    "attribs" in child &&
    /^\d{2}$/.test(part.trim()) &&
    /\d$/.test(text) &&
    (isCents(child) || (INLINE.has(child.name) && /\p{Sc} ?\d{1,3}(?:[.,']?\d{3})*$/u.test(text)))
  ) {
    return `${text}${/\.\d{3}$/.test(text) ? "," : "."}${part.trim()}`;
  }
  if (kind === "tag" && /\d\s*$/.test(text) && /^\s*\d/.test(part)) return `${text.trimEnd()} ; ${part}`;
  const needsSpace = /[\p{L}\p{N}]$/u.test(text) && /^[\p{L}\p{N}]/u.test(part) && kind === "tag";
  return needsSpace ? `${text} ${part}` : `${text}${part}`;
}

/** Inline elements a shop may set cents in after "$229" without naming them cents. */
const INLINE = new Set(["span", "sup", "small", "b", "strong", "em", "i", "u"]);

function isCents(element: Element): boolean {
  return element.name === "sup" || /cent|decimal|fraction|penny|small/i.test(element.attribs["class"] ?? "");
}
