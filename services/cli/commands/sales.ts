/** `procure upload FILE.csv` (with progress of the upload and of the retrains it triggers) and `procure progress`. */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { Transform } from "node:stream";
import { request } from "undici";
import * as clients from "@restatedev/restate-sdk-clients";
import { basename } from "node:path";
import type { UploadResult } from "../../ingestion.ts";
import type { IngestionService } from "../../ingestion.ts";
import { UsageError, ingressHeaders, type Command, type CommandContext } from "../command.ts";
import { exitCodeForStatus, exitCodes, printOutput } from "../output.ts";
import { localDashboardUrl } from "./doctor.ts";

const pollIntervalMs = 500;
const pollTimeoutMs = 15_000;

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** How long `procure upload` follows the retrains by default (seconds). */
const defaultWaitSeconds = 1800;

/**
 * Polls the ingestion service until no retrain of the upload is queued, for at most `waitSeconds`
 * (a poll that fails, e.g. while Restate restarts, is tried again); prints a progress line.
 * Answers how many retrains failed, or "timeout".
 */
export async function followRetrains(
  context: CommandContext,
  uploadId: string,
  total: number,
  waitSeconds = defaultWaitSeconds,
): Promise<number | "timeout"> {
  const ingestion = context.ingress.serviceClient<IngestionService>({ name: "ingestion" });
  const deadline = Date.now() + waitSeconds * 1000;
  let last = "";
  for (;;) {
    const call = ingestion.progress({ uploadId }, clients.rpc.opts({ timeout: pollTimeoutMs }));
    const progress = await Promise.resolve(call).catch((error: unknown) => {
      last = `progress unavailable (${error instanceof Error ? error.message : String(error)}), retrying`;
      return undefined;
    });
    if (progress !== undefined) {
      last = `${progress.done + progress.failed}/${total} finished (${progress.queued} queued, ${progress.failed} failed)`;
      if (progress.queued === 0) {
        context.stderr.write(`\rretrains: ${last}   \n`);
        return progress.failed;
      }
    }
    context.stderr.write(`\rretrains: ${last}   `);
    if (Date.now() >= deadline) {
      context.stderr.write(
        `\nstopped waiting after ${waitSeconds} s: the retrains go on in the background; ` +
          `follow them with \`procure progress ${uploadId}\`\n`,
      );
      return "timeout";
    }
    await new Promise((resolve) => setTimeout(resolve, pollIntervalMs));
  }
}

function waitOption(args: readonly string[]): number | undefined {
  const index = args.indexOf("--wait");
  if (index === -1) return undefined;
  const seconds = Number(args[index + 1]);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new UsageError("--wait takes a number of seconds");
  return seconds;
}

/**
 * Streams the file as a text/csv body, reporting how much of it has gone: sales go to the edge's
 * /api/upload (straight into the database, no size cap, flat memory on both sides); a catalogue goes
 * to the ingress path it names.
 */
export async function uploadFile(
  context: CommandContext,
  file: string,
  target: URL = new URL("/api/upload", localDashboardUrl(context.config)),
): Promise<{ status: number; body: string }> {
  const size = (await stat(file)).size;
  let sent = 0;
  const progress = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      sent += chunk.length;
      context.stderr.write(`\ruploading ${basename(file)}: ${megabytes(sent)} of ${megabytes(size)}   `);
      callback(null, chunk);
    },
  });
  // No header or body timeouts: a big file's reply comes only after it is merged, minutes later.
  const response = await request(target, {
    method: "POST",
    headers: { "content-type": "text/csv", "x-filename": basename(file), ...ingressHeaders(context.config) },
    body: createReadStream(file, { highWaterMark: 1024 * 1024 }).pipe(progress),
    headersTimeout: 0,
    bodyTimeout: 0,
  });
  context.stderr.write("\n");
  return { status: response.statusCode, body: await response.body.text() };
}

/** The `error` (edge) or `message` (ingress) of a JSON error reply, else the reply as it is. */
export function errorMessage(body: string): string {
  try {
    const reply = JSON.parse(body) as { error?: string; message?: string };
    return reply.error ?? reply.message ?? body;
  } catch {
    return body;
  }
}

export const uploadCommand: Command = {
  name: "upload",
  summary: "upload a sales CSV (Superstore export or sku,date,quantity[,price]) and follow the retrains",
  usage: "procure upload <file.csv> [--no-wait | --wait SECONDS (default 1800)]",
  async run(args, context) {
    const waitSeconds = waitOption(args);
    const file = args.find((arg, index) => !arg.startsWith("--") && args[index - 1] !== "--wait");
    if (!file) throw new UsageError("missing the CSV file");
    const started = Date.now();
    const response = await uploadFile(context, file);
    if (response.status !== 200) {
      context.stderr.write(`${errorMessage(response.body)}\n`);
      return exitCodeForStatus(response.status);
    }
    const result = JSON.parse(response.body) as UploadResult;
    context.stderr.write(
      `${result.status}: ${result.rows} rows (${result.changedRows} new or changed, ${result.unchangedRows} already known), ` +
        `${result.newProducts} new products, ${result.retrainsRequested} retrains requested in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
    );
    const failed =
      result.retrainsRequested > 0 && !args.includes("--no-wait")
        ? await followRetrains(context, result.uploadId, result.retrainsRequested, waitSeconds)
        : 0;
    printOutput(context, { ...result, changedProducts: result.changedProducts.length });
    if (failed === "timeout") return exitCodes.timeout;
    return failed > 0 ? exitCodes.failed : exitCodes.ok;
  },
};

export const progressCommand: Command = {
  name: "progress",
  summary: "show the retrains an upload triggered (queued, done, failed)",
  usage: "procure progress <upload-id>",
  async run(args, context) {
    if (!args[0]) throw new UsageError("missing the upload id");
    printOutput(
      context,
      await context.ingress
        .serviceClient<IngestionService>({ name: "ingestion" })
        .progress({ uploadId: args[0] }),
    );
    return 0;
  },
};
