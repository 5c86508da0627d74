/**
 * Dev-set figures of page extraction: runs extractPrice in process on the real product pages of
 * ../shared/bench/pages (read at run time, never copied) and prints price precision / recall / F1,
 * currency and availability accuracy, and each miss. The same pages are scored through the CLI by
 * `node ../shared/bench/pages/score.mjs`.
 * Usage: npx tsx scripts/bench-pages.ts [pages folder, default ../shared/bench/pages] [--quiet]
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { gunzipSync } from "node:zlib";
import { extractPrice } from "../shared/pricing/extract.ts";

interface TruthPage {
  readonly file: string;
  readonly url?: string;
  readonly price: readonly string[];
  readonly currency?: string;
  readonly availability?: string;
}

const args = process.argv.slice(2);
const quiet = args.includes("--quiet");
const folder = resolve(
  args.find((arg) => !arg.startsWith("--")) ?? join(import.meta.dirname, "../../shared/bench/pages"),
);
if (!existsSync(join(folder, "truth.json"))) {
  console.error(`no truth.json in ${folder}; pass the folder of the page benchmark`);
  process.exit(2);
}
const truth = (JSON.parse(readFileSync(join(folder, "truth.json"), "utf8")) as { pages: TruthPage[] }).pages;

const AVAILABILITY: Readonly<Record<string, string>> = {
  InStock: "in_stock",
  OutOfStock: "out_of_stock",
  PreOrder: "pre_order",
};

let answered = 0;
let right = 0;
let expected = 0;
let currencyRight = 0;
let availabilityRight = 0;
let elapsed = 0;
for (const page of truth) {
  const html = gunzipSync(readFileSync(join(folder, "html", page.file))).toString("utf8");
  const started = performance.now();
  const result = extractPrice(html, page.url);
  elapsed += performance.now() - started;
  const amount = result.outcome === "price" ? result.amount : null;
  if (page.price.length > 0) expected++;
  if (amount !== null) answered++;
  const ok = amount !== null && page.price.map(Number).includes(Number(amount));
  if (ok) right++;
  if (ok && result.outcome === "price" && result.currency === page.currency) currencyRight++;
  const availability = result.outcome === "blocked" ? "unknown" : result.availability;
  const availabilityOk = AVAILABILITY[page.availability ?? ""] === availability;
  if (availabilityOk) availabilityRight++;
  if (!quiet && (!ok || !availabilityOk)) {
    const detail =
      result.outcome === "price"
        ? `${result.amount} ${result.currency} by ${result.rule} (${result.confidence})`
        : result.outcome;
    console.log(
      `${ok ? "avail" : "miss "} ${page.url ?? page.file}\n    expected ${page.price.join(" or ")} ${page.currency ?? ""} ${page.availability ?? ""}; got ${detail}, ${availability}`,
    );
  }
}
const precision = answered === 0 ? 0 : right / answered;
const recall = expected === 0 ? 0 : right / expected;
const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
console.log(
  `${truth.length} pages: price precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)}, F1 ${f1.toFixed(3)}; ` +
    `currency right on ${currencyRight}/${right}; availability right on ${availabilityRight}/${truth.length} (${(availabilityRight / truth.length).toFixed(3)}); ` +
    `${(elapsed / truth.length).toFixed(1)} ms per page`,
);
