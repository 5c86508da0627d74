/**
 * Stores one sales CSV all-or-nothing in a single transaction while it is parsed in a stream:
 * valid rows go in batch by batch; the first bad line means nothing is kept (rollback), and the
 * result names every bad line (up to a cap). Returns only counts and product ids.
 */
import { createHash } from "node:crypto";
import { parseSalesCsv } from "../shared/ingest/index.ts";
import type { IngestSummary, RowError, SalesFormat } from "../shared/ingest/index.ts";
import type { Database } from "../shared/db/connection.ts";
import { closeUpload, openUpload, queueRetrains, storeSalesBatch, storedUpload } from "../shared/db/sales.ts";

export type UploadOutcome =
  | {
      readonly status: "stored" | "duplicate";
      readonly uploadId: string;
      readonly format: string | null;
      readonly rows: number;
      readonly changedRows: number;
      readonly unchangedRows: number;
      readonly newProducts: number;
      readonly changedProducts: string[];
    }
  | {
      readonly status: "rejected";
      readonly uploadId: string;
      readonly format: string | null;
      readonly errorCount: number;
      readonly errors: readonly RowError[];
    };

class RejectedUpload extends Error {
  constructor(readonly summary: IngestSummary) {
    super("upload rejected");
  }
}

const chunkBytes = 256 * 1024;

function* chunksOf(body: Uint8Array): Generator<Uint8Array> {
  for (let offset = 0; offset < body.length; offset += chunkBytes)
    yield body.subarray(offset, offset + chunkBytes);
}

export async function storeUpload(
  db: Database,
  body: Uint8Array,
  upload: { readonly filename: string | null; readonly invocationId: string },
): Promise<UploadOutcome> {
  const uploadId = createHash("sha256").update(body).digest("hex");
  try {
    return await db.begin(async (tx) => {
      const events = parseSalesCsv(chunksOf(body));
      let opened: "new" | "retry" | "duplicate" | undefined;
      const open = async (format: SalesFormat) =>
        (opened ??= await openUpload(tx, {
          id: uploadId,
          invocationId: upload.invocationId,
          filename: upload.filename,
          format,
        }));
      let newProducts = 0;
      const changed = new Map<string, number>();
      for await (const event of events) {
        if (event.kind === "summary") {
          const summary = event.summary;
          if (summary.errorCount > 0 || summary.format === null) throw new RejectedUpload(summary);
          await open(summary.format);
          if (opened !== "new") {
            const stored = opened === "retry" ? await storedUpload(tx, uploadId) : undefined;
            return {
              status: opened === "retry" ? "stored" : "duplicate",
              uploadId,
              format: summary.format,
              rows: summary.validRows,
              changedRows: stored?.newRows ?? 0,
              unchangedRows: summary.validRows - (stored?.newRows ?? 0),
              newProducts: 0,
              changedProducts: stored?.productIds ?? [],
            } as const;
          }
          const changedProducts = [...changed.keys()].sort();
          const changedRows = [...changed.values()].reduce((sum, count) => sum + count, 0);
          await queueRetrains(tx, uploadId, changedProducts);
          await closeUpload(tx, uploadId, {
            rowCount: summary.validRows,
            newRows: changedRows,
            productCount: changedProducts.length,
          });
          return {
            status: "stored",
            uploadId,
            format: summary.format,
            rows: summary.validRows,
            changedRows,
            unchangedRows: summary.validRows - changedRows,
            newProducts,
            changedProducts,
          } as const;
        }
        if (event.errorCount > 0) continue;
        if ((await open(event.format)) !== "new") continue;
        const outcome = await storeSalesBatch(tx, uploadId, event.rows);
        newProducts += outcome.createdProducts;
        for (const [productId, count] of outcome.changedByProduct)
          changed.set(productId, (changed.get(productId) ?? 0) + count);
      }
      throw new Error("the sales parser ended without a summary");
    });
  } catch (error) {
    if (error instanceof RejectedUpload) {
      return {
        status: "rejected",
        uploadId,
        format: error.summary.format,
        errorCount: Math.max(error.summary.errorCount, 1),
        errors: error.summary.errors,
      };
    }
    throw error;
  }
}
