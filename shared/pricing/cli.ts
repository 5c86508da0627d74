/**
 * The pure halves of the `procure parse-price` and `procure extract-price` commands: text in, JSON out.
 */
import { extractPrice } from "./extract.ts";
import { parsePrice, type ParsePriceOptions } from "./parse.ts";

/**
 * One JSON object `{"input","amount","currency"}` per input line, blank and priceless lines included
 * (with nulls), so output line N answers input line N. A final newline ends the input, not a line.
 */
export function parsePriceLines(input: string, options: ParsePriceOptions = {}): string {
  if (input === "") return "";
  const lines = input.replace(/\r?\n$/, "").split(/\r?\n/);
  return lines
    .map((line) => {
      const price = parsePrice(line, options);
      return `${JSON.stringify({ input: line, amount: price?.amount ?? null, currency: price?.currency ?? null })}\n`;
    })
    .join("");
}

/** The extraction result of a saved page as indented JSON (the page's URL helps with currency and blocks). */
export function extractPriceFromFile(html: string, url?: string): string {
  return `${JSON.stringify(extractPrice(html, url), null, 2)}\n`;
}
