/**
 * Benchmark of a big sales upload streamed through the edge (POST /api/upload) into PostgreSQL:
 * writes a plain sku,date,quantity,price file of BENCH_ROWS rows (default 5,000,000) over
 * BENCH_PRODUCTS products (default 50,000), uploads it from disk, and prints rows/s, the peak RSS
 * of the service process and of restate-server, and restate-server's data size before and after.
 * Retrains are requested but debounced past the end of the run, so only the upload is measured.
 * BENCH_SERVICE_HEAP_MB caps the service's V8 old space (--max-old-space-size), to tell the live
 * set from the heap V8 lets grow under a high allocation rate.
 *
 *   npm run bench:upload-big
 */
import "../shared/runtime/polyfill.ts";
import { createReadStream, createWriteStream, readFileSync } from "node:fs";
import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { request } from "undici";
import { once } from "node:events";
import { provisionDatabase, startStack } from "../test/support/stack.ts";

const rows = Number(process.env.BENCH_ROWS ?? 5_000_000);
const products = Number(process.env.BENCH_PRODUCTS ?? 50_000);
const serviceHeapMiB = process.env.BENCH_SERVICE_HEAP_MB;

function rssMiB(pid: number | undefined, field: "VmRSS" | "VmHWM"): number {
  if (pid === undefined) return 0;
  try {
    const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

async function directoryBytes(path: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(path, { withFileTypes: true, recursive: true }))
    if (entry.isFile()) total += (await stat(join(entry.parentPath, entry.name))).size;
  return total;
}

/** Day-major order: every product sells on every day, so each product has rows / products days. */
async function writeSalesFile(path: string): Promise<number> {
  const out = createWriteStream(path);
  out.write("sku,date,quantity,price\n");
  const start = Date.parse("2015-01-01T00:00:00Z");
  for (let index = 0; index < rows; index++) {
    const day = Math.floor(index / products);
    const date = new Date(start + day * 86_400_000).toISOString().slice(0, 10);
    const line = `BIG-${index % products},${date},${1 + ((index * 7) % 9)},${(2 + (index % 50) / 10).toFixed(2)}\n`;
    if (!out.write(line)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
  return (await stat(path)).size;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "procure-bench-upload-"));
  const file = join(dir, "big.csv");
  const bytes = await writeSalesFile(file);
  console.log(`file: ${rows} rows, ${products} products, ${(bytes / 1024 / 1024).toFixed(0)} MiB`);
  const database = await provisionDatabase();
  const stack = await startStack({
    database,
    env: {
      RETRAIN_DEBOUNCE_SECONDS: "86400",
      ...(serviceHeapMiB ? { NODE_OPTIONS: `--max-old-space-size=${serviceHeapMiB}` } : {}),
    },
  });
  /** Peak RSS per phase: while the file streams in, then until the reply (merge, retrain requests). */
  const peaks = { streaming: { service: 0, restate: 0 }, merging: { service: 0, restate: 0 } };
  let phase: keyof typeof peaks = "streaming";
  const sampler = setInterval(() => {
    peaks[phase].service = Math.max(peaks[phase].service, rssMiB(stack.servicePid(), "VmRSS"));
    peaks[phase].restate = Math.max(peaks[phase].restate, rssMiB(stack.restatePid(), "VmRSS"));
  }, 100);
  try {
    console.log(`database: ${database.kind}, service heap cap: ${serviceHeapMiB ?? "none"} MiB`);
    const restateDataBefore = await directoryBytes(join(stack.dataDir, "restate"));
    const restateBefore = rssMiB(stack.restatePid(), "VmRSS");
    const serviceBefore = rssMiB(stack.servicePid(), "VmRSS");
    const started = performance.now();
    const response = await request(new URL("/api/upload", stack.dashboardUrl), {
      method: "POST",
      headers: { "content-type": "text/csv", "x-filename": "big.csv" },
      body: createReadStream(file, { highWaterMark: 1024 * 1024 }).once("end", () => (phase = "merging")),
      headersTimeout: 0,
      bodyTimeout: 0,
    });
    const text = await response.body.text();
    const seconds = (performance.now() - started) / 1000;
    if (response.statusCode !== 200)
      throw new Error(`upload failed: ${response.statusCode} ${text.slice(0, 500)}`);
    const result = JSON.parse(text) as { rows: number; retrainsRequested: number };
    const restateDataAfter = await directoryBytes(join(stack.dataDir, "restate"));
    console.log(
      `upload: ${result.rows} rows in ${seconds.toFixed(1)} s (${Math.round(result.rows / seconds)} rows/s, ${(bytes / 1024 / 1024 / seconds).toFixed(1)} MiB/s), ${result.retrainsRequested} retrains requested`,
    );
    const { streaming, merging } = peaks;
    console.log(
      `service process RSS: ${serviceBefore.toFixed(0)} MiB before, peak ${streaming.service.toFixed(0)} MiB while streaming, ${merging.service.toFixed(0)} MiB until the reply (merge and ${result.retrainsRequested} retrain requests)`,
    );
    console.log(
      `restate-server RSS: ${restateBefore.toFixed(0)} MiB before, peak ${streaming.restate.toFixed(0)} MiB while streaming, ${merging.restate.toFixed(0)} MiB until the reply`,
    );
    console.log(
      `restate-server data: ${(restateDataBefore / 1024 / 1024).toFixed(1)} MiB before, ${(restateDataAfter / 1024 / 1024).toFixed(1)} MiB after`,
    );
  } finally {
    clearInterval(sampler);
    await stack.stop();
    await database.drop();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
