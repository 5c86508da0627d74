/**
 * Price parser for the strings shops show ("R$ 1.299,90", "$1,299.00", "1 299,00 €", "USD 10").
 * Returns an exact decimal string plus an ISO 4217 code, or null when the text holds no single price:
 * instalments ("12x de R$ 108,25"), monthly fees, ranges, several different amounts, or no currency known.
 * Number rules (no locale needed): with both "." and "," the last one is the decimal mark; a separator
 * repeated is a thousands separator; a single separator followed by exactly three digits is a thousands
 * separator (unless the integer part is 0 or the currency has three minor units); otherwise it is the
 * decimal mark. Spaces and apostrophes followed by three digits group thousands. See docs/pricing.md.
 */

export interface ParsedPrice {
  readonly amount: string;
  readonly currency: string;
}

export interface ParsePriceOptions {
  /** ISO 4217 code used when the text names no currency, and to read "$", "¥" and "kr". */
  readonly defaultCurrency?: string;
}

const ISO_CURRENCIES: ReadonlySet<string> = new Set(Intl.supportedValuesOf("currency"));

const DOLLAR_CURRENCIES: ReadonlySet<string> = new Set([
  "USD",
  "CAD",
  "AUD",
  "NZD",
  "MXN",
  "ARS",
  "CLP",
  "COP",
  "UYU",
  "SGD",
  "HKD",
  "TWD",
]);
const KRONA_CURRENCIES: ReadonlySet<string> = new Set(["SEK", "NOK", "DKK", "ISK"]);

const FIXED_SYMBOLS: Readonly<Record<string, string>> = {
  r$: "BRL",
  us$: "USD",
  u$s: "USD",
  u$: "USD",
  c$: "CAD",
  ca$: "CAD",
  a$: "AUD",
  au$: "AUD",
  nz$: "NZD",
  hk$: "HKD",
  s$: "SGD",
  mx$: "MXN",
  "€": "EUR",
  "£": "GBP",
  "₹": "INR",
  "₩": "KRW",
  "₽": "RUB",
  "₺": "TRY",
  "₴": "UAH",
  "₱": "PHP",
  "฿": "THB",
  "₪": "ILS",
  "₫": "VND",
  "₦": "NGN",
  zł: "PLN",
  "cn¥": "CNY",
  元: "CNY",
  rmb: "CNY",
};

const SYMBOL_PATTERN = [...Object.keys(FIXED_SYMBOLS), "$", "¥", "kr"]
  .sort((left, right) => right.length - left.length)
  .map((symbol) => symbol.replace(/[$.]/g, (character) => `\\${character}`))
  .join("|");

const SYMBOL_BEFORE = new RegExp(`(?<!\\p{L})(?:${SYMBOL_PATTERN})\\s*$`, "iu");
const CODE_BEFORE = /\b[A-Z]{3}\s*$/u;
const SYMBOL_AFTER = new RegExp(`^\\s*(?:${SYMBOL_PATTERN})(?!\\p{L})`, "iu");
const CODE_AFTER = /^\s*[A-Z]{3}(?![A-Za-z])/u;
const NUMBER = /\d+(?:[ '’]\d{3}(?!\d)|[.,]\d+)*/g;

const INSTALMENT_BEFORE =
  /(?:\d+\s*[x×]\s*(?:de|of)?|(?:parcelas?|vezes|presta[cç](?:ão|ões)|installments?|payments?)\s*(?:de|of)?)\s*$/iu;
const PER_PERIOD_AFTER = /^\s*(?:\/|por|per|a|al|ao)\s*(?:m[eê]s|month|mo|mensais)\b/iu;
const COUNT_OR_RATIO_AFTER = /^\s*(?:[x×%]|vezes|parcelas?)/iu;
const BEFORE_FINAL_PRICE = /\bpor\s*$/iu;
const BEFORE_LIST_PRICE = /\bde\s*$/iu;
const MAX_INTEGER_DIGITS = 10;
const MAX_FRACTION_DIGITS = 4;

interface MoneyToken {
  readonly integer: string;
  readonly fraction: string;
  readonly currency: string | undefined;
  readonly isFinalPrice: boolean;
  readonly isListPrice: boolean;
}

interface CurrencyMark {
  readonly code: string;
  readonly text: string;
}

/** The ISO code for a currency symbol or code as shops print it, or undefined when unknown. */
export function currencyFromSymbol(symbol: string, defaultCurrency?: string): string | undefined {
  const trimmed = symbol.trim();
  if (/^[A-Z]{3}$/.test(trimmed)) return ISO_CURRENCIES.has(trimmed) ? trimmed : undefined;
  const lower = trimmed.toLowerCase();
  const fixed = FIXED_SYMBOLS[lower];
  if (fixed !== undefined) return fixed;
  if (lower === "$")
    return defaultCurrency && DOLLAR_CURRENCIES.has(defaultCurrency) ? defaultCurrency : "USD";
  if (lower === "¥" || lower === "￥") return defaultCurrency === "CNY" ? "CNY" : "JPY";
  if (lower === "kr")
    return defaultCurrency && KRONA_CURRENCIES.has(defaultCurrency) ? defaultCurrency : undefined;
  return undefined;
}

const minorUnitsCache = new Map<string, number>();

function minorUnits(currency: string): number {
  let units = minorUnitsCache.get(currency);
  if (units === undefined) {
    const format = new Intl.NumberFormat("en", { style: "currency", currency });
    units = format.resolvedOptions().maximumFractionDigits ?? 2;
    minorUnitsCache.set(currency, units);
  }
  return units;
}

/**
 * Canonical decimal string: no leading zeros, trailing fraction zeros dropped down to the currency's minor
 * units, fraction padded up to them ("1299.9" → "1299.90" in BRL, "1000" → "1000" in JPY). Null beyond
 * 10 integer digits or 4 decimals, the range of a stored amount.
 */
function toAmount(integerDigits: string, fractionDigits: string, currency: string): string | null {
  const integer = integerDigits.replace(/^0+(?=\d)/, "") || "0";
  const significant = fractionDigits.replace(/0+$/, "");
  if (integer.length > MAX_INTEGER_DIGITS || significant.length > MAX_FRACTION_DIGITS) return null;
  const fraction = significant.padEnd(minorUnits(currency), "0");
  return fraction.length > 0 ? `${integer}.${fraction}` : integer;
}

/** Reads a machine-format decimal ("1299.9", "10", 1299.9 from JSON) as used in structured data. */
export function parseMachineAmount(value: string | number, currency: string): string | null {
  const text =
    typeof value === "number" ? (Number.isFinite(value) && value >= 0 ? String(value) : "") : value.trim();
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
  return match ? toAmount(match[1]!, match[2] ?? "", currency) : null;
}

function splitNumber(
  raw: string,
  currency: string | undefined,
): { integer: string; fraction: string } | null {
  if (/[ '’]/.test(raw) && !/^\d{1,3}(?:[ '’.,]\d{3})*(?:[.,]\d+)?$/.test(raw)) return null;
  const compact = raw.replace(/[ '’]/g, "");
  const lastDot = compact.lastIndexOf(".");
  const lastComma = compact.lastIndexOf(",");
  let decimalMark: "." | "," | undefined;
  if (lastDot !== -1 && lastComma !== -1) {
    decimalMark = lastDot > lastComma ? "." : ",";
  } else if (lastDot !== -1 || lastComma !== -1) {
    const separator = lastDot !== -1 ? "." : ",";
    const [integerPart = "", afterSeparator = "", ...more] = compact.split(separator);
    const threeMinorUnits = currency !== undefined && minorUnits(currency) === 3;
    const looksDecimal = afterSeparator.length !== 3 || /^0+$/.test(integerPart) || threeMinorUnits;
    if (more.length === 0 && looksDecimal) decimalMark = separator;
  }
  const [integerSection = "", fraction = "", ...extra] =
    decimalMark === undefined ? [compact] : compact.split(decimalMark);
  const [head = "", ...groups] = integerSection.split(/[.,]/);
  if (
    extra.length > 0 ||
    (groups.length > 0 && (head.length > 3 || groups.some((group) => group.length !== 3)))
  ) {
    return null;
  }
  return { integer: [head, ...groups].join("").replace(/^0+(?=\d)/, ""), fraction };
}

function currencyBefore(before: string, defaultCurrency: string | undefined): CurrencyMark | undefined {
  const symbol = SYMBOL_BEFORE.exec(before);
  const symbolCode = symbol ? currencyFromSymbol(symbol[0], defaultCurrency) : undefined;
  if (symbol && symbolCode) return { code: symbolCode, text: symbol[0] };
  const code = CODE_BEFORE.exec(before);
  const isoCode = code ? currencyFromSymbol(code[0], defaultCurrency) : undefined;
  return code && isoCode ? { code: isoCode, text: code[0] } : undefined;
}

function currencyAfter(after: string, defaultCurrency: string | undefined): string | undefined {
  const symbol = SYMBOL_AFTER.exec(after);
  const code = CODE_AFTER.exec(after);
  return (
    (symbol ? currencyFromSymbol(symbol[0], defaultCurrency) : undefined) ??
    (code ? currencyFromSymbol(code[0], defaultCurrency) : undefined)
  );
}

function findTokens(text: string, defaultCurrency: string | undefined): MoneyToken[] {
  const tokens: MoneyToken[] = [];
  for (const match of text.matchAll(NUMBER)) {
    const before = text.slice(0, match.index);
    const after = text.slice(match.index + match[0].length);
    if (/[\d.,]$/.test(before) || COUNT_OR_RATIO_AFTER.test(after) || PER_PERIOD_AFTER.test(after)) continue;
    const prefix = currencyBefore(before, defaultCurrency);
    const beforeCurrency = prefix ? before.slice(0, before.length - prefix.text.length) : before;
    if (INSTALMENT_BEFORE.test(beforeCurrency)) continue;
    const currency = prefix?.code ?? currencyAfter(after, defaultCurrency);
    const parts = splitNumber(match[0], currency ?? defaultCurrency);
    if (!parts) continue;
    tokens.push({
      ...parts,
      currency,
      isFinalPrice: BEFORE_FINAL_PRICE.test(beforeCurrency),
      isListPrice: BEFORE_LIST_PRICE.test(beforeCurrency),
    });
  }
  return tokens;
}

function normalise(text: string): string {
  return text
    .normalize("NFKC")
    .replace(/[\u00a0\u2007\u202f\u2009\u200a]/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/** Parses the one price in a shop's text; null when there is none, it is ambiguous, or no currency is known. */
export function parsePrice(text: string, options: ParsePriceOptions = {}): ParsedPrice | null {
  const upperDefault = options.defaultCurrency?.toUpperCase();
  const defaultCurrency =
    upperDefault !== undefined && ISO_CURRENCIES.has(upperDefault) ? upperDefault : undefined;
  const tokens = findTokens(normalise(text), defaultCurrency);
  const withCurrency = tokens.filter((token) => token.currency !== undefined);
  const pool = withCurrency.length > 0 ? withCurrency : tokens;
  const finalPrices = pool.filter((token) => token.isFinalPrice);
  const chosen = finalPrices.length > 0 && pool.some((token) => token.isListPrice) ? finalPrices : pool;
  const prices = new Map<string, ParsedPrice>();
  for (const token of chosen) {
    const currency = token.currency ?? defaultCurrency;
    if (currency === undefined) return null;
    const amount = toAmount(token.integer, token.fraction, currency);
    if (amount === null) continue;
    prices.set(`${amount} ${currency}`, { amount, currency });
  }
  const [only, ...others] = prices.values();
  return only !== undefined && others.length === 0 ? only : null;
}
