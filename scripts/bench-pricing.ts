/**
 * Benchmark of the pure pricing code: the cost of loading the currency vocabulary, pages extracted per
 * second over the saved shop pages in test/fixtures/pages, over the same pages padded to 100 kB with
 * related-product cards and scripts (the target: ≥ 200 pages/s), over a Mercado Livre page padded to the
 * size of a real one (~650 kB), and price strings parsed per second. Dev-set accuracy: scripts/bench-pages.ts.
 * Usage: npx tsx scripts/bench-pricing.ts [seconds per measurement, default 3]
 */
import { readdirSync, readFileSync } from "node:fs";

const loadStarted = performance.now();
const { parsePrice } = await import("../shared/pricing/parse.ts");
const { extractPrice } = await import("../shared/pricing/extract.ts");
console.log(
  `pricing modules (currency vocabulary included) loaded in ${(performance.now() - loadStarted).toFixed(0)} ms`,
);

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
  "2 285,81 грн.",
  "12,000원",
  "$119. 95",
  "Rp 31.500",
  "644.00 جنيه",
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

const TARGET_SIZE = 100 * 1024;
function padTo(html: string, size: number): string {
  const cards: string[] = [];
  let length = html.length;
  for (let index = 0; length < size; index++) {
    const card =
      `<div class="related-product-card"><a href="/p/${index}"><img src="/img/${index}.jpg" alt="">` +
      `<h3>Related product ${index} with a longer descriptive name</h3></a>` +
      `<span class="price">€ ${(index % 90) + 9},99</span><button class="add-to-cart">Add to cart</button>` +
      `<script>window.__card${index} = {"id": ${index}, "price": ${(index % 90) + 9}.99};</script></div>\n`;
    cards.push(card);
    length += card.length;
  }
  return html.includes("</body>")
    ? html.replace("</body>", `<aside>${cards.join("")}</aside></body>`)
    : html + cards.join("");
}
const hundredKb = pages.map((page) => ({ name: page.name, html: padTo(page.html, TARGET_SIZE) }));

const bytes = pages.reduce((total, page) => total + page.html.length, 0);
console.log(`${pages.length} saved pages, ${Math.round(bytes / pages.length)} characters on average`);
measure(
  "extractPrice",
  "pages",
  pages.map((page) => () => extractPrice(page.html)),
);
measure(
  `extractPrice, ${hundredKb.length} pages padded to ${Math.round(TARGET_SIZE / 1024)} kB (target ≥ 200)`,
  "pages",
  hundredKb.map((page) => () => extractPrice(page.html, "https://shop.example.com/p/1")),
);
measure(`extractPrice, ${Math.round(realSizePage.length / 1024)} kB page`, "pages", [
  () => extractPrice(realSizePage),
]);
measure(
  "parsePrice",
  "strings",
  strings.map((text) => () => parsePrice(text)),
);
