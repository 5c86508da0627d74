/**
 * The pure halves of the `procure parse-price` and `procure extract-price` commands: text in, JSON out.
 */
import { extractPrice } from "./extract.ts";
import { parsePrice, type ParsePriceOptions } from "./parse.ts";

/** One JSON object per non-blank input line: `{"input","amount","currency"}`, nulls when there is no price. */
export function parsePriceLines(input: string, options: ParsePriceOptions = {}): string {
  return input
    .split(/\r?\n/)
    .filter((line) => line.trim() !== "")
    .map((line) => {
      const price = parsePrice(line, options);
      return JSON.stringify({
        input: line,
        amount: price?.amount ?? null,
        currency: price?.currency ?? null,
      });
    })
    .map((json) => `${json}\n`)
    .join("");
}

/** The extraction result of a saved page as indented JSON (the page's URL helps with currency and blocks). */
export function extractPriceFromFile(html: string, url?: string): string {
  return `${JSON.stringify(extractPrice(html, url), null, 2)}\n`;
}
