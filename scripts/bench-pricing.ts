/**
 * Benchmark of the pure pricing code: pages parsed per second over the saved shop pages in
 * test/fixtures/pages (extraction cascade incl. HTML parsing), the same for a Mercado Livre page padded to
 * the size of a real one (~650 kB of recommendation cards and scripts), and price strings parsed per second.
 * Usage: npx tsx scripts/bench-pricing.ts [seconds per measurement, default 3]
 */
import { readdirSync, readFileSync } from "node:fs";
import { extractPrice } from "../shared/pricing/extract.ts";
import { parsePrice } from "../shared/pricing/parse.ts";

const seconds = Number(process.argv[2] ?? "3");
if (!Number.isFinite(seconds) || seconds <= 0) {
  console.error("usage: npx tsx scripts/bench-pricing.ts [seconds > 0]");
  process.exit(2);
}

const directory = new URL("../test/fixtures/pages/", import.meta.url);
const pages = readdirSync(directory)
  .filter((name) => name.endsWith(".html"))
  .map((name) => ({ name, html: readFileSync(new URL(name, directory), "utf8") }));

const strings = [
  "R$ 1.299,90",
  "12x de R$ 108,25 sem juros",
  "€1,5",
  "$1,299.00",
  "USD 1,299.00",
  "1 299,00 €",
  "De R$ 1.499,00 por R$ 1.299,00",
  "Grátis",
];

function measure(label: string, unit: string, items: readonly (() => unknown)[]): void {
  for (const run of items) run();
  const deadline = performance.now() + seconds * 1000;
  let done = 0;
  const started = performance.now();
  while (performance.now() < deadline) {
    for (const run of items) run();
    done += items.length;
  }
  const elapsed = (performance.now() - started) / 1000;
  console.log(
    `${label}: ${Math.round(done / elapsed).toLocaleString("en")} ${unit}/s (${done} in ${elapsed.toFixed(2)} s)`,
  );
}

const recommendationCards = Array.from(
  { length: 3000 },
  (_, index) =>
    `<div class="ui-recommendations-card"><a href="/MLB-${index}">Produto ${index} com descrição longa</a>` +
    `<span class="andes-money-amount"><span class="andes-money-amount__fraction">${index}</span></span>` +
    `<script>window.__card${index} = {"id": ${index}};</script></div>`,
).join("\n");
const realSizePage = readFileSync(new URL("mercadolivre-product.html", directory), "utf8").replace(
  "</main>",
  `</main><footer>${recommendationCards}</footer>`,
);

const bytes = pages.reduce((total, page) => total + page.html.length, 0);
console.log(`${pages.length} saved pages, ${Math.round(bytes / pages.length)} characters on average`);
measure(
  "extractPrice",
  "pages",
  pages.map((page) => () => extractPrice(page.html)),
);
measure(`extractPrice, ${Math.round(realSizePage.length / 1024)} kB page`, "pages", [
  () => extractPrice(realSizePage),
]);
measure(
  "parsePrice",
  "strings",
  strings.map((text) => () => parsePrice(text)),
);
