/**
 * Benchmark of the sales pipeline on the real stack (Restate server, Postgres, service process):
 * ingestion rows/s for the Superstore file and for a 100k-row file, the time from upload until
 * every product has a model, and the service process's peak memory. Prints figures.
 *
 *   npm run bench:ingest
 */
import "../shared/runtime/polyfill.ts";
import { readFileSync } from "node:fs";
import { startOwnStack, type Stack } from "../test/support/stack.ts";
import { readSuperstoreCsv } from "./superstore.ts";

interface Upload {
  readonly uploadId: string;
  readonly rows: number;
  readonly retrainsRequested: number;
}

function peakRssMiB(pid: number | undefined): string {
  if (pid === undefined) return "n/a";
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const match = /VmHWM:\s+(\d+) kB/.exec(status);
  return match ? `${(Number(match[1]) / 1024).toFixed(0)} MiB` : "n/a";
}

async function upload(stack: Stack, body: string): Promise<{ result: Upload; seconds: number }> {
  const started = performance.now();
  const response = await fetch(new URL("/ingestion/upload", stack.ingressUrl), {
    method: "POST",
    headers: { "content-type": "text/csv" },
    body,
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`upload failed: ${response.status} ${text.slice(0, 500)}`);
  return { result: JSON.parse(text) as Upload, seconds: (performance.now() - started) / 1000 };
}

async function untilModelled(stack: Stack, uploadId: string): Promise<{ done: number; failed: number }> {
  for (;;) {
    const response = await fetch(new URL("/ingestion/progress", stack.ingressUrl), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ uploadId }),
    });
    const progress = (await response.json()) as { queued: number; done: number; failed: number };
    if (progress.queued === 0) return progress;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** `copies` renamed copies of the Superstore rows (new order ids and dates shifted by years). */
function largeSuperstoreFile(original: string, copies: number): string {
  const [header, ...rows] = original.trimEnd().split("\n");
  const lines = [header!];
  for (let copy = 0; copy < copies; copy++) {
    for (const row of rows) {
      lines.push(
        row
          .replace(
            /"(CA|US)-(\d{4})-(\d+)"/,
            (_match, prefix: string, year: string, id: string) => `"${prefix}-${year}-${id}C${copy}"`,
          )
          .replace(/^\d+,/, (id) => `${Number(id.slice(0, -1)) + copy * rows.length},`),
      );
    }
  }
  return `${lines.join("\n")}\n`;
}

async function main(): Promise<void> {
  const superstore = readSuperstoreCsv();
  const stack = await startOwnStack({ env: { RETRAIN_DEBOUNCE_SECONDS: "1" } });
  try {
    console.log(`database: ${stack.database.kind}`);
    const first = await upload(stack, superstore);
    const modelledAfter = performance.now();
    const progress = await untilModelled(stack, first.result.uploadId);
    const modelSeconds = (performance.now() - modelledAfter) / 1000 + first.seconds;
    console.log(
      `superstore: ${first.result.rows} rows in ${first.seconds.toFixed(2)} s (${Math.round(first.result.rows / first.seconds)} rows/s)`,
    );
    console.log(
      `superstore: ${progress.done} products modelled, ${progress.failed} failed, ${modelSeconds.toFixed(1)} s from upload start to the last model (debounce 1 s included)`,
    );
    const again = await upload(stack, superstore);
    console.log(
      `re-upload of the same file: ${again.seconds.toFixed(2)} s, ${again.result.retrainsRequested} retrains`,
    );

    const large = largeSuperstoreFile(superstore, 10);
    const big = await upload(stack, large);
    console.log(
      `large file: ${big.result.rows} rows, ${(large.length / 1024 / 1024).toFixed(1)} MiB in ${big.seconds.toFixed(2)} s (${Math.round(big.result.rows / big.seconds)} rows/s)`,
    );
    const bigProgress = await untilModelled(stack, big.result.uploadId);
    console.log(`large file: ${bigProgress.done} retrains done, ${bigProgress.failed} failed`);
    console.log(`service process peak RSS: ${peakRssMiB(stack.servicePid())}`);
  } finally {
    await stack.stop();
  }
}

await main();
