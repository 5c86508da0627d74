/**
 * The currency vocabulary: every text a shop may write for a currency (CLDR symbols, narrow symbols, codes
 * and names from the generated table, plus the shop abbreviations CLDR lacks such as "руб.", "Kč", "грн",
 * "Rp", "원" and the Arabic and Persian names) → the ISO 4217 codes it can mean. An ambiguous text ("$",
 * "kr", "Rs") resolves to the preferred currency when that is one of its meanings (a hint, the shop's
 * country), else to its most common meaning. Also the minor units of each currency and region lookups.
 */
import { CLDR_CURRENCY_TEXTS } from "./currency-vocabulary.ts";
import { REGION_CURRENCIES } from "./regions.ts";

/** Shop abbreviations and local names missing from CLDR (or needing another order of meanings). */
const SHOP_TEXTS: readonly (readonly [string, string])[] = [
  ["руб", "RUB"],
  ["руб.", "RUB"],
  ["р.", "RUB BYN"],
  ["р", "RUB BYN"],
  ["рублей", "RUB"],
  ["рубля", "RUB"],
  ["рубль", "RUB"],
  ["бел. руб.", "BYN"],
  ["б.р.", "BYN"],
  ["б.р", "BYN"],
  ["грн", "UAH"],
  ["грн.", "UAH"],
  ["гривен", "UAH"],
  ["гривень", "UAH"],
  ["гривня", "UAH"],
  ["гривні", "UAH"],
  ["zl", "PLN"],
  ["złotych", "PLN"],
  ["zlotych", "PLN"],
  ["kc", "CZK"],
  ["kč", "CZK"],
  ["korun", "CZK"],
  [",-kč", "CZK"],
  ["kn", "HRK"],
  ["kuna", "HRK"],
  ["ft", "HUF"],
  ["ft.", "HUF"],
  ["lei", "RON"],
  ["leu", "RON"],
  ["tl", "TRY"],
  ["tl.", "TRY"],
  ["rp", "IDR"],
  ["rp.", "IDR"],
  ["円", "JPY"],
  ["yen", "JPY"],
  ["원", "KRW"],
  ["元", "CNY TWD HKD"],
  ["人民币", "CNY"],
  ["rmb", "CNY"],
  ["港元", "HKD"],
  ["港幣", "HKD"],
  ["nt$", "TWD"],
  ["nt", "TWD"],
  ["ntd", "TWD"],
  ["新台幣", "TWD"],
  ["лв", "BGN"],
  ["лв.", "BGN"],
  ["дин.", "RSD"],
  ["din", "RSD"],
  ["ден", "MKD"],
  ["ден.", "MKD"],
  ["тг", "KZT"],
  ["тг.", "KZT"],
  ["тенге", "KZT"],
  ["₸", "KZT"],
  ["сум", "UZS"],
  ["so'm", "UZS"],
  ["сом", "KGS"],
  ["ман", "AZN"],
  ["₼", "AZN"],
  ["лари", "GEL"],
  ["جنيه", "EGP"],
  ["ج.م", "EGP"],
  ["ج.م.", "EGP"],
  ["ريال", "SAR QAR OMR YER"],
  ["ر.س", "SAR"],
  ["ر.س.", "SAR"],
  ["ر.ق", "QAR"],
  ["ر.ق.", "QAR"],
  ["ر.ع.", "OMR"],
  ["درهم", "AED MAD"],
  ["د.إ", "AED"],
  ["د.إ.", "AED"],
  ["د.م.", "MAD"],
  ["dh", "MAD AED"],
  ["dhs", "AED MAD"],
  ["dirham", "AED MAD"],
  ["دينار", "KWD JOD BHD IQD LYD TND DZD"],
  ["د.ك", "KWD"],
  ["د.ك.", "KWD"],
  ["د.ا", "JOD"],
  ["د.ب", "BHD"],
  ["د.ب.", "BHD"],
  ["ل.ل", "LBP"],
  ["ل.ل.", "LBP"],
  ["تومان", "IRR"],
  ["تومن", "IRR"],
  ["ریال", "IRR"],
  ["rs", "INR PKR LKR NPR MUR SCR"],
  ["rs.", "INR PKR LKR NPR MUR SCR"],
  ["rupees", "INR PKR LKR NPR"],
  ["tk", "BDT"],
  ["tk.", "BDT"],
  ["টাকা", "BDT"],
  ["đ", "VND"],
  ["vnđ", "VND"],
  ["đồng", "VND"],
  ["บาท", "THB"],
  ["ksh", "KES"],
  ["kshs", "KES"],
  ["tsh", "TZS"],
  ["ush", "UGX"],
  ["cfa", "XOF XAF"],
  ["fcfa", "XOF XAF"],
  ["s/", "PEN"],
  ["s/.", "PEN"],
  ["bs", "VES BOB"],
  ["bs.", "VES BOB"],
  ["rd$", "DOP"],
  ["$u", "UYU"],
  ["u$s", "USD"],
  ["gs", "PYG"],
  ["gs.", "PYG"],
  ["b/.", "PAB"],
  ["fr.", "CHF"],
  ["sfr", "CHF"],
  ["sfr.", "CHF"],
  ["ש״ח", "ILS"],
  ['ש"ח', "ILS"],
  ["שח", "ILS"],
  ["euro", "EUR"],
  ["euros", "EUR"],
  ["евро", "EUR"],
  ["dollar", "USD"],
  ["dollars", "USD"],
  ["kr", "SEK NOK DKK ISK"],
  ["kr.", "DKK SEK NOK ISK"],
  ["ca$", "CAD"],
  ["c$", "CAD NIO"],
  ["mx$", "MXN"],
  ["s$", "SGD"],
];

function buildVocabulary(): ReadonlyMap<string, readonly string[]> {
  const vocabulary = new Map<string, readonly string[]>();
  for (const [text, codes] of CLDR_CURRENCY_TEXTS) vocabulary.set(text, codes.split(" "));
  for (const [text, codes] of SHOP_TEXTS) vocabulary.set(text, codes.split(" "));
  return vocabulary;
}

const VOCABULARY = buildVocabulary();
const ISO_CURRENCIES: ReadonlySet<string> = new Set(Intl.supportedValuesOf("currency"));

/** Longest currency text in words, to bound how far around a number the parser looks. */
export const MAX_CURRENCY_WORDS = 3;

/** Normalises a currency text as the vocabulary stores it (NFKC, lower case, single spaces). */
export function currencyKey(text: string): string {
  return text.normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim();
}

/** The ISO codes a currency text can mean, most common first; empty when it names no currency. */
export function currencyMeanings(text: string): readonly string[] {
  return VOCABULARY.get(currencyKey(text)) ?? [];
}

/** True for a current ISO 4217 code ("USD"), in any case. */
export function isCurrencyCode(code: string): boolean {
  return ISO_CURRENCIES.has(code.toUpperCase());
}

/** The currency a text means, choosing `preferred` when it is one of the meanings. */
export function resolveCurrency(text: string, preferred?: string): string | undefined {
  const meanings = currencyMeanings(text);
  if (preferred !== undefined && meanings.includes(preferred)) return preferred;
  return meanings[0];
}

/** The ISO code of a hint given as a code, a symbol or a name ("usd", "€", "руб."), or undefined. */
export function currencyFromHint(hint: string | undefined): string | undefined {
  if (hint === undefined || hint.trim() === "") return undefined;
  const trimmed = hint.trim();
  if (/^[a-z]{3}$/i.test(trimmed) && isCurrencyCode(trimmed)) return trimmed.toUpperCase();
  return resolveCurrency(trimmed);
}

/** The currency of a country or territory by its ISO 3166 code or country-code domain ("br", "uk"). */
export function currencyOfRegion(region: string | undefined): string | undefined {
  return region === undefined ? undefined : REGION_CURRENCIES.get(region.toUpperCase());
}

const minorUnitsCache = new Map<string, number>();

/** Digits after the decimal mark in the currency's usual amounts (2 for EUR, 0 for JPY, 3 for KWD). */
export function minorUnits(currency: string): number {
  let units = minorUnitsCache.get(currency);
  if (units === undefined) {
    const format = new Intl.NumberFormat("en", { style: "currency", currency });
    units = format.resolvedOptions().maximumFractionDigits ?? 2;
    minorUnitsCache.set(currency, units);
  }
  return units;
}
