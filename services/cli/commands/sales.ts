/** `procure upload FILE.csv` (with progress of the upload and of the retrains it triggers) and `procure progress`. */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { Readable, Transform } from "node:stream";
import { basename } from "node:path";
import type { UploadResult } from "../../ingestion.ts";
import type { IngestionService } from "../../ingestion.ts";
import { UsageError, ingressHeaders, printJson, type Command, type CommandContext } from "../command.ts";
import { localDashboardUrl } from "./doctor.ts";

const pollIntervalMs = 500;

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Polls the ingestion service until no retrain of the upload is queued; prints a progress line. */
export async function followRetrains(
  context: CommandContext,
  uploadId: string,
  total: number,
): Promise<number> {
  const ingestion = context.ingress.serviceClient<IngestionService>({ name: "ingestion" });
  for (;;) {
    const progress = await ingestion.progress({ uploadId });
    context.stderr.write(
      `\rretrains: ${progress.done + progress.failed}/${total} finished (${progress.queued} queued, ${progress.failed} failed)   `,
    );
    if (progress.queued === 0) {
      context.stderr.write("\n");
      return progress.failed;
    }
    await new Promise((resolve) => setTimeout(resolve, pollIntervalMs));
  }
}

/**
 * Streams the file as a text/csv body to the edge's /api/upload (straight into the database, no size
 * cap, flat memory on both sides), reporting how much of it has gone.
 */
export async function uploadFile(
  context: CommandContext,
  file: string,
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
  const body = Readable.toWeb(createReadStream(file, { highWaterMark: 1024 * 1024 }).pipe(progress));
  const response = await fetch(new URL("/api/upload", localDashboardUrl(context.config)), {
    method: "POST",
    headers: { "content-type": "text/csv", "x-filename": basename(file), ...ingressHeaders(context.config) },
    body,
    duplex: "half",
  } as RequestInit);
  context.stderr.write("\n");
  return { status: response.status, body: await response.text() };
}

/** The `error` (edge) or `message` (ingress) of a JSON error reply, else the reply as it is. */
function errorMessage(body: string): string {
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
  usage: "procure upload <file.csv> [--no-wait]",
  async run(args, context) {
    const file = args.find((arg) => !arg.startsWith("--"));
    if (!file) throw new UsageError("missing the CSV file");
    const started = Date.now();
    const response = await uploadFile(context, file);
    if (response.status !== 200) {
      context.stderr.write(`${errorMessage(response.body)}\n`);
      return 1;
    }
    const result = JSON.parse(response.body) as UploadResult;
    context.stderr.write(
      `${result.status}: ${result.rows} rows (${result.changedRows} new or changed, ${result.unchangedRows} already known), ` +
        `${result.newProducts} new products, ${result.retrainsRequested} retrains requested in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
    );
    const failed =
      result.retrainsRequested > 0 && !args.includes("--no-wait")
        ? await followRetrains(context, result.uploadId, result.retrainsRequested)
        : 0;
    printJson(context.stdout, { ...result, changedProducts: result.changedProducts.length });
    return failed > 0 ? 1 : 0;
  },
};

export const progressCommand: Command = {
  name: "progress",
  summary: "show the retrains an upload triggered (queued, done, failed)",
  usage: "procure progress <upload-id>",
  async run(args, context) {
    if (!args[0]) throw new UsageError("missing the upload id");
    printJson(
      context.stdout,
      await context.ingress
        .serviceClient<IngestionService>({ name: "ingestion" })
        .progress({ uploadId: args[0] }),
    );
    return 0;
  },
};
