/**
 * Price parser for the strings shops show ("R$ 1.299,90", "$1,299.00", "2 285,81 грн.", "12,000원",
 * "Rp 31.500", "$119. 95", "Free!"). It separates the amount from the currency: the amount whenever the
 * text holds one price, the currency when the text or the hint names one (null otherwise).
 * Numbers: with both "." and "," the last one is the decimal mark; a separator repeated groups thousands;
 * a single separator followed by exactly three digits groups thousands unless the decimal-separator hint,
 * the currency's three minor units, a zero integer part or a longer integer part say it is decimal.
 * Spaces and apostrophes before three digits group thousands. Context excludes instalments, monthly fees,
 * per-unit prices, savings, counts and measures beside another price (alone, such a price is the text's
 * amount); "was"/"por" words pick the current price. See docs/pricing.md.
 */
import { MAX_CURRENCY_WORDS, currencyFromHint, minorUnits, resolveCurrency } from "./currency.ts";

export interface ParsedPrice {
  readonly amount: string;
  /** ISO 4217 code, or null when neither the text nor the hint names a currency. */
  readonly currency: string | null;
}

export interface ParsePriceOptions {
  /** The currency as a code, symbol or name ("EUR", "€", "руб."): used when the text names none, and to read "$" or "kr". */
  readonly currencyHint?: string;
  /** The decimal mark the shop uses, deciding "1.299" / "1,299" when the digits cannot. */
  readonly decimalSeparatorHint?: "." | ",";
}

/** How the words before a number cast it. */
export type PriceRole = "current" | "list" | "plain";

/** One number of the text read as money, with what its surroundings say about it. */
export interface PriceToken {
  readonly integer: string;
  readonly fraction: string;
  /** The currency written next to the number (resolved with the hint), if any. */
  readonly currency: string | undefined;
  readonly role: PriceRole;
  /** Instalment, monthly fee, per-unit price, saving, count or measure: never the item's price. */
  readonly excluded: boolean;
  readonly start: number;
  readonly end: number;
  /** Characters of the currency text before and after the number (0 when none). */
  readonly currencyBefore: number;
  readonly currencyAfter: number;
}

const MAX_INTEGER_DIGITS = 10;
const MAX_FRACTION_DIGITS = 4;
const SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹";
const DIGIT_ZEROS = [
  0x660, 0x6f0, 0x7c0, 0x966, 0x9e6, 0xa66, 0xae6, 0xb66, 0xbe6, 0xc66, 0xce6, 0xd66, 0xde6, 0xe50, 0xed0,
  0xf20, 0x1040, 0x17e0, 0x1810,
];

const NUMBER = /\d+(?:(?:[.,'’]| (?=\d{3}(?!\d)))\d+)*|(?<![\d\p{L}.,])\.\d{2}(?![\d.,])/gu;
const MULTIPLIER_AFTER = /^\s?(万|萬|만|億|亿|억)/u;
const MULTIPLIERS: Readonly<Record<string, string>> = {
  万: "0000",
  萬: "0000",
  만: "0000",
  億: "00000000",
  亿: "00000000",
  억: "00000000",
};

const INSTALMENT_BEFORE =
  /(?:\d+\s*[x×]\s*(?:de|of|à|a|von)?|(?:parcelas?|vezes|presta[cç](?:ão|ões)|installments?|instalments?|payments?|cuotas?|mensualidades|raty|rat|taksit|rate|monthly|mensais|mensuales|par mois|al mes|ao m[eê]s|pro monat|per month|a month)\s*(?:de|of|à|a|da|di|von|po|по|:)?)\s*$/iu;
const COUNT_OR_RATIO_AFTER =
  /^\s*(?:[x×%]|vezes|parcelas?|cuotas?|meses|months?|mal\b|raty|rat\b|taksit|rates?\b|ratings?|reviews?|avalia[cç][õo]es|bewertungen|sold|vendidos|items?\b|pcs\b|pieces|st(?:k|ück)?\b|szt|шт|units?\b|unidades|artikel|products?\b|produtos|productos|in stock|left|available|dispon[ií]ve)/iu;
const MEASURE_AFTER =
  /^\s?(?:[a-z]{0,2}b\b|m?ah\b|k?w\b|v\b|hz\b|ghz\b|mhz\b|mp\b|mm\b|cm\b|m\b|km\b|m²|m2\b|m³|mg\b|g\b|kg\b|ml\b|cl\b|l\b|lt?rs?\b|oz\b|lbs?\b|inch|in\b|"|''|″|ft\b|cores?\b|gb\b|tb\b|mb\b|rpm\b|fps\b|bit\b|px\b|dpi\b|ct\b|k\b|p\b|°)/iu;
const PER_PERIOD_AFTER =
  /^\s*(?:\/|por|per|a|al|ao|pro|par|za|за|im)\s*(?:m[eê]s|month|mo\b|monat|mois|mese|месяц|miesi[aą]c|year|ano|año|jahr|an\b|week|semana|woche|day|dia|día|tag|jour)/iu;
const PER_UNIT_AFTER =
  /^\s*(?:\/|per|por|pro|par|za|за|le)\s*(?:\d+[.,]?\d*\s*)?(?:(?:kg|g|gr|l|lt|ml|cl|m|m2|m²|m3|m³|lb|oz|lf|sq|ft|кг|л|м)(?!\p{L})|100)/iu;
const SAVING_BEFORE =
  /(?:\b(?:save|saving|savings|you save|economi[sz]e|economize|ahorra|ahorras|ahorro|spare|sparen|sie sparen|risparmi|risparmia|économisez|oszczędzasz|ušetříte|tasarruf|discount|desconto|descuento|rabatt|remise)\b\s*:?\s*-?)$/iu;
const LIST_BEFORE =
  /(?:\b(?:was|were|orig(?:inal(?:ly)?)?|list(?:\s?price)?|regular(?:\s?price)?|reg\.?|rrp|msrp|srp|mrp|uvp|statt|vorher|bisher|antes|de|era|avant|prima|anzich[eé]|alt|старая цена|было|dawniej|przed|wcześniej|cena katalogowa|běžná cena|normal(?:preis|pris)?|ord\.?(?:inarie)?\s?pris|compare at|value)\b\.?\s*:?\s*)$/iu;
const CURRENT_BEFORE =
  /(?:\b(?:now|por|only|just|jetzt|nur|agora|ahora|sale|deal|today|price|prix|preis|precio|preço|prezzo|cena|цена|ціна|fiyat|hinta|pris|prijs|our price|your price|special price|offer|angebot|oferta|promo)\b\.?\s*:?\s*)$/iu;
const RANGE_BETWEEN = /^\s*(?:-|–|—|~|to|bis|a|à|até|hasta|до|od|do|ー|〜|～)\s*$/iu;
const FREE =
  /(?:^|[^\p{L}])(?:free|gratis|grátis|gratuit|gratuito|gratuita|kostenlos|umsonst|бесплатно|безкоштовно|darmowy|za darmo|zdarma|ingyenes|δωρεάν|ücretsiz|ilmainen|無料|免费|免費|무료|مجاني|مجانا|رایگان)(?:$|[^\p{L}])/iu;
const SYMBOL_START = /^[^\p{L}\p{N}\s]/u;

function replaceDigits(text: string): string {
  return text.replace(/(?![0-9])\p{Nd}/gu, (character) => {
    const code = character.codePointAt(0)!;
    const zero = DIGIT_ZEROS.find((start) => code >= start && code < start + 10);
    return zero === undefined ? character : String(code - zero);
  });
}

/** "12" + "50" → "12.50", or "1.234" + "50" → "1.234,50": the cents joined with the other mark. */
function joinCents(integer: string, cents: string): string {
  return `${integer}${integer.includes(".") ? "," : "."}${cents}`;
}

function normalise(text: string): string {
  const superscripts = text.replace(
    /(\d[\d.,]*)([⁰¹²³⁴⁵⁶⁷⁸⁹]{2})(?![⁰¹²³⁴⁵⁶⁷⁸⁹])/gu,
    (_, integer: string, cents: string) =>
      joinCents(integer, [...cents].map((digit) => SUPERSCRIPT_DIGITS.indexOf(digit)).join("")),
  );
  return replaceDigits(superscripts.normalize("NFKC"))
    .replace(/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu, "")
    .replace(/\u066b/g, ".")
    .replace(/\u066c/g, ",")
    .replace(/[\s\u00a0\u2007\u202f\u2009\u200a\u200b]+/gu, " ")
    .replace(/(\d)[.,:] ?[-–—]{1,2}(?![\d-])/gu, "$1")
    .replace(/(\d)\. (\d{2})(?![\d.,])/gu, "$1.$2")
    .replace(
      /(\d[\d.,]*)(\p{Sc})(\d{2})(?![\d.,])/gu,
      (_, integer: string, symbol: string, cents: string) => `${joinCents(integer, cents)} ${symbol}`,
    )
    .trim();
}

function count(text: string, character: string): number {
  let total = 0;
  for (const each of text) if (each === character) total++;
  return total;
}

function validGrouping(head: string, groups: readonly string[]): boolean {
  if (groups.length === 0) return true;
  if (head.length < 1 || head.length > 3) return false;
  if (groups.every((group) => group.length === 3)) return true;
  const last = groups[groups.length - 1]!;
  return head.length <= 2 && last.length === 3 && groups.slice(0, -1).every((group) => group.length === 2);
}

function splitNumber(
  raw: string,
  currency: string | undefined,
  decimalHint: "." | "," | undefined,
): { integer: string; fraction: string } | null {
  const spaced = /[ '’]/.test(raw);
  const compact = raw.replace(/[ '’]/g, "");
  const dots = count(compact, ".");
  const commas = count(compact, ",");
  let decimalMark: "." | "," | undefined;
  if (dots > 0 && commas > 0) {
    decimalMark = compact.lastIndexOf(".") > compact.lastIndexOf(",") ? "." : ",";
    if (count(compact, decimalMark) > 1) return null;
  } else if (dots + commas === 1) {
    const separator = dots === 1 ? "." : ",";
    const [head = "", tail = ""] = compact.split(separator);
    const decimal =
      tail.length !== 3 ||
      spaced ||
      (decimalHint !== undefined
        ? decimalHint === separator
        : (currency !== undefined && minorUnits(currency) === 3) || /^0*$/.test(head) || head.length > 3);
    if (decimal) decimalMark = separator;
  }
  const [integerSection = "", fraction = ""] =
    decimalMark === undefined ? [compact] : compact.split(decimalMark);
  const [head = "", ...groups] = integerSection.split(/[.,]/);
  if (!validGrouping(head, groups) || (spaced && !validGrouping(...splitSpaced(raw, decimalMark))))
    return null;
  return { integer: [head, ...groups].join(""), fraction };
}

function splitSpaced(raw: string, decimalMark: "." | "," | undefined): [string, string[]] {
  const integerPart = decimalMark === undefined ? raw : raw.slice(0, raw.lastIndexOf(decimalMark));
  const [head = "", ...groups] = integerPart.split(/[ '’.,]/);
  return [head, groups];
}

function toAmount(integerDigits: string, fractionDigits: string, currency: string | null): string | null {
  const integer = integerDigits.replace(/^0+(?=\d)/, "") || "0";
  const significant = fractionDigits.replace(/0+$/, "");
  if (integer.length > MAX_INTEGER_DIGITS || significant.length > MAX_FRACTION_DIGITS) return null;
  const fraction = currency === null ? fractionDigits : significant.padEnd(minorUnits(currency), "0");
  return fraction.length > 0 ? `${integer}.${fraction}` : integer;
}

/** Reads a machine-format decimal ("1299.9", "10", 1299.9 from JSON) as used in structured data. */
export function parseMachineAmount(value: string | number, currency: string | null): string | null {
  const text =
    typeof value === "number" ? (Number.isFinite(value) && value >= 0 ? String(value) : "") : value.trim();
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
  return match ? toAmount(match[1]!, match[2] ?? "", currency) : null;
}

interface CurrencyMatch {
  readonly code: string;
  readonly length: number;
}

/** Lower-case words that are also ISO codes of small currencies ("all", "top", "cup"). */
const COMMON_WORDS: ReadonlySet<string> = new Set([
  "all",
  "top",
  "cup",
  "mad",
  "try",
  "bob",
  "gel",
  "mop",
  "sos",
  "pen",
  "bam",
  "lak",
  "mur",
]);

function lookup(candidate: string, preferred: string | undefined, before: boolean): string | undefined {
  if (candidate === "" || COMMON_WORDS.has(candidate)) return undefined;
  if (!/^[a-z]$/i.test(candidate)) return resolveCurrency(candidate, preferred);
  if (!/^[A-Z]$/.test(candidate) || (!before && preferred === undefined)) return undefined;
  const code = resolveCurrency(candidate, preferred);
  return preferred === undefined || code === preferred ? code : undefined;
}

function currencyBefore(segment: string, preferred: string | undefined): CurrencyMatch | undefined {
  const tail = segment.trimEnd();
  if (tail === "") return undefined;
  const trailing = segment.length - tail.length;
  const words = tail.split(" ").filter((word) => word !== "");
  for (let size = Math.min(MAX_CURRENCY_WORDS, words.length); size >= 1; size--) {
    const phrase = words.slice(-size).join(" ");
    const code = lookup(phrase, preferred, true);
    if (code) return { code, length: phrase.length + trailing };
  }
  const word = words[words.length - 1]!;
  for (let index = 1; index < word.length; index++) {
    const suffix = word.slice(index);
    if (!SYMBOL_START.test(suffix) && !/[^\p{L}]/u.test(word[index - 1]!)) continue;
    const code = lookup(suffix, preferred, true);
    if (code) return { code, length: suffix.length + trailing };
  }
  return undefined;
}

function currencyAfter(segment: string, preferred: string | undefined): CurrencyMatch | undefined {
  const head = segment.trimStart();
  if (head === "") return undefined;
  const leading = segment.length - head.length;
  const words = head.split(" ").filter((word) => word !== "");
  for (let size = Math.min(MAX_CURRENCY_WORDS, words.length); size >= 1; size--) {
    const phrase = words.slice(0, size).join(" ");
    const variants = [phrase, phrase.replace(/[^\p{L}\p{Sc}$]+$/u, ""), phrase.replace(/[/(].*$/u, "")];
    for (const variant of variants) {
      const code = lookup(variant, preferred, false);
      if (code) return { code, length: variant.length + leading };
    }
  }
  return undefined;
}

function roleOf(before: string): PriceRole {
  if (LIST_BEFORE.test(before)) return "list";
  if (CURRENT_BEFORE.test(before)) return "current";
  return "plain";
}

/** Every number of the text read as money, with its currency and role; the parser's first step. */
export function scanPrices(text: string, options: ParsePriceOptions = {}): PriceToken[] {
  return scanNormalised(normalise(text), options);
}

const CONTEXT = 60;

function scanNormalised(normalised: string, options: ParsePriceOptions): PriceToken[] {
  const preferred = currencyFromHint(options.currencyHint);
  const matches = [...normalised.matchAll(NUMBER)];
  const tokens: PriceToken[] = [];
  matches.forEach((match, index) => {
    const start = match.index;
    const previous = matches[index - 1];
    const previousEnd = previous ? previous.index + previous[0].length : 0;
    const nextStart = matches[index + 1]?.index ?? normalised.length;
    const raw = match[0].replace(/[.,'’]+$/, "");
    let end = start + raw.length;
    const segment = normalised.slice(Math.max(previousEnd, start - CONTEXT), start);
    const before = previous ? segment.replace(/^\p{L}+/u, "") : segment;
    let after = normalised.slice(end, Math.min(nextStart, end + CONTEXT));
    const prefix = currencyBefore(before, preferred);
    if (/\p{L}$/u.test(before) && !prefix) return;
    const multiplier = MULTIPLIER_AFTER.exec(after);
    if (multiplier) {
      end += multiplier[0].length;
      after = after.slice(multiplier[0].length);
    }
    const suffix = currencyAfter(after, preferred);
    const beforeText = normalised.slice(Math.max(0, start - CONTEXT), start - (prefix?.length ?? 0));
    const afterText = normalised.slice(end + (suffix?.length ?? 0), end + CONTEXT);
    const currency = prefix?.code ?? suffix?.code;
    const measured = !suffix && !prefix && (MEASURE_AFTER.test(after) || /^\p{L}/u.test(after));
    const excluded =
      measured ||
      INSTALMENT_BEFORE.test(beforeText) ||
      SAVING_BEFORE.test(beforeText) ||
      COUNT_OR_RATIO_AFTER.test(afterText) ||
      PER_PERIOD_AFTER.test(afterText) ||
      PER_UNIT_AFTER.test(afterText);
    const parts = splitNumber(raw, currency ?? preferred, options.decimalSeparatorHint);
    if (!parts) return;
    const zeros = multiplier ? MULTIPLIERS[multiplier[1]!]! : "";
    tokens.push({
      integer: zeros === "" ? parts.integer : scaled(parts.integer, parts.fraction, zeros),
      fraction: zeros === "" ? parts.fraction : "",
      currency,
      role: roleOf(beforeText),
      excluded,
      start,
      end,
      currencyBefore: prefix?.length ?? 0,
      currencyAfter: suffix?.length ?? 0,
    });
  });
  return tokens;
}

function scaled(integer: string, fraction: string, zeros: string): string {
  const digits = `${integer}${fraction.padEnd(zeros.length, "0").slice(0, zeros.length)}`;
  return digits.replace(/^0+(?=\d)/, "");
}

function isRange(text: string, first: PriceToken, second: PriceToken): boolean {
  const between = text.slice(first.end + first.currencyAfter, second.start - second.currencyBefore);
  return RANGE_BETWEEN.test(between);
}

/** The tokens that can be the item's price: currency-marked first, current over list prices. */
export function priceCandidates(tokens: readonly PriceToken[]): PriceToken[] {
  const usable = tokens.filter((token) => !token.excluded);
  const marked = usable.filter((token) => token.currency !== undefined);
  let pool = marked.length > 0 ? marked : usable;
  const notList = pool.filter((token) => token.role !== "list");
  if (notList.length > 0) pool = notList;
  const current = pool.filter((token) => token.role === "current");
  return current.length > 0 && current.length < pool.length ? current : pool;
}

/** A parsed price with the token it came from (whether a currency was written, how it was cast). */
export interface ReadPrice {
  readonly price: ParsedPrice;
  readonly token: PriceToken;
}

/** The tokens' prices, one per distinct amount and currency, in text order. */
function distinctPrices(tokens: readonly PriceToken[], options: ParsePriceOptions): ReadPrice[] {
  const hinted = currencyFromHint(options.currencyHint) ?? null;
  const prices = tokens.flatMap((token) => {
    const currency = token.currency ?? hinted;
    const amount = toAmount(token.integer, token.fraction, currency);
    return amount === null ? [] : [{ token, price: { amount, currency } }];
  });
  return [
    ...new Map(prices.map((entry) => [`${entry.price.amount} ${entry.price.currency}`, entry])).values(),
  ];
}

function choose(
  normalised: string,
  tokens: readonly PriceToken[],
  options: ParsePriceOptions,
  onlyOne: boolean,
): ReadPrice | null {
  const [first, second] = distinctPrices(priceCandidates(tokens), options);
  if (first === undefined) return null;
  if (second === undefined) return first;
  if (onlyOne || first.price.currency !== second.price.currency) return null;
  return isRange(normalised, first.token, second.token) ? null : first;
}

/**
 * Like parsePrice, also telling the token behind the answer. With `onlyOne`, a text holding several
 * different prices is null instead of its first price.
 */
export function readPrice(text: string, options: ParsePriceOptions = {}, onlyOne = false): ReadPrice | null {
  const normalised = normalise(text);
  return choose(normalised, scanNormalised(normalised, options), options, onlyOne);
}

/**
 * The one currency-marked price of a text whose every price is cast as an instalment, a unit price or a
 * saving ("10x de R$ 129,99", "$4.99/lb"): asked about that text alone, its amount is the answer.
 */
function onlyMarkedPrice(tokens: readonly PriceToken[], options: ParsePriceOptions): ReadPrice | null {
  const prices = distinctPrices(
    tokens.filter((token) => token.currency !== undefined),
    options,
  );
  return prices.length === 1 ? prices[0]! : null;
}

/** Parses the one price in a shop's text; null when there is no price or the text is ambiguous. */
export function parsePrice(text: string, options: ParsePriceOptions = {}): ParsedPrice | null {
  const normalised = normalise(text);
  const tokens = scanNormalised(normalised, options);
  const read = choose(normalised, tokens, options, false) ?? onlyMarkedPrice(tokens, options);
  if (read !== null) return read.price;
  if (!FREE.test(text) || /\d/.test(text)) return null;
  const hinted = currencyFromHint(options.currencyHint) ?? null;
  return { amount: toAmount("0", "", hinted)!, currency: hinted };
}
