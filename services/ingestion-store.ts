/**
 * Stores one sales CSV all-or-nothing in a single transaction while it is parsed from a stream of
 * chunks: lines are staged as they come (shared/db/staging.ts), so memory stays flat whatever the
 * file's size; any bad line, repeated Row ID or SKU taken by another product means nothing is kept
 * (rollback), and the result names those lines (up to a cap). Returns only counts and product ids.
 */
import { ACCEPTED_FORMATS, parseSalesCsv } from "../shared/ingest/index.ts";
import type { DateWindow, IngestSummary, RowError } from "../shared/ingest/index.ts";
import type { Database } from "../shared/db/connection.ts";
import { closeUpload, openUpload, storedUpload } from "../shared/db/sales.ts";
import { createStaging, mergeStaged, refusedData, stageRows, stagedConflicts } from "../shared/db/staging.ts";

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
      /** Why, when the database refused the data as a whole rather than named lines. */
      readonly reason?: string;
    };

export interface UploadRequest {
  readonly filename: string | null;
  /** Who stores it: a retry by the same caller answers "stored" again rather than "duplicate". */
  readonly invocationId: string;
  readonly saleDates: DateWindow;
}

/** What a client is told about a rejected upload: every named bad line, and how many more. */
export function rejectionMessage(outcome: Extract<UploadOutcome, { status: "rejected" }>): string {
  if (outcome.reason !== undefined) return `upload rejected, nothing was stored: ${outcome.reason}`;
  const lines =
    outcome.errors.length > 0
      ? outcome.errors.map((error) => error.message)
      : [`the file is empty or its header matches no known format (${ACCEPTED_FORMATS})`];
  const more =
    outcome.errorCount > outcome.errors.length
      ? [`… and ${outcome.errorCount - outcome.errors.length} more`]
      : [];
  return [`upload rejected, nothing was stored: ${outcome.errorCount} bad line(s)`, ...lines, ...more].join(
    "\n",
  );
}

class RejectedUpload extends Error {
  constructor(readonly summary: IngestSummary) {
    super("upload rejected");
  }
}

const maxErrors = 100;
const stageBatchRows = 5000;

export async function storeUpload(
  db: Database,
  chunks: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
  upload: UploadRequest,
): Promise<UploadOutcome> {
  try {
    return await db.begin(async (tx) => {
      await createStaging(tx);
      let summary: IngestSummary | undefined;
      const events = parseSalesCsv(chunks, {
        identities: "database",
        saleDates: upload.saleDates,
        batchSize: stageBatchRows,
        maxErrors,
      });
      for await (const event of events) {
        if (event.kind === "summary") summary = event.summary;
        else if (event.errorCount === 0) await stageRows(tx, event.rows);
      }
      if (summary === undefined) throw new Error("the sales parser ended without a summary");
      if (summary.errorCount > 0 || summary.format === null) throw new RejectedUpload(summary);
      const conflicts = await stagedConflicts(tx, maxErrors);
      if (conflicts.count > 0)
        throw new RejectedUpload({ ...summary, errorCount: conflicts.count, errors: conflicts.problems });

      const uploadId = summary.sha256;
      const opened = await openUpload(tx, {
        id: uploadId,
        invocationId: upload.invocationId,
        filename: upload.filename,
        format: summary.format,
      });
      if (opened === "new") {
        const merged = await mergeStaged(tx, uploadId);
        const changedProducts = (await storedUpload(tx, uploadId))?.productIds ?? [];
        await closeUpload(tx, uploadId, {
          rowCount: merged.rows,
          newRows: merged.changedRows,
          productCount: changedProducts.length,
          asOf: merged.asOf,
        });
        return {
          status: "stored",
          uploadId,
          format: summary.format,
          rows: merged.rows,
          changedRows: merged.changedRows,
          unchangedRows: merged.rows - merged.changedRows,
          newProducts: merged.createdProducts,
          changedProducts,
        } as const;
      }
      const stored = await storedUpload(tx, uploadId);
      const rows = stored?.rowCount ?? 0;
      const changedRows = opened === "retry" ? (stored?.newRows ?? 0) : 0;
      return {
        status: opened === "retry" ? "stored" : "duplicate",
        uploadId,
        format: summary.format,
        rows,
        changedRows,
        unchangedRows: rows - changedRows,
        newProducts: 0,
        changedProducts: opened === "retry" ? (stored?.productIds ?? []) : [],
      } as const;
    });
  } catch (error) {
    if (error instanceof RejectedUpload) {
      return {
        status: "rejected",
        uploadId: error.summary.sha256,
        format: error.summary.format,
        errorCount: Math.max(error.summary.errorCount, 1),
        errors: error.summary.errors,
      };
    }
    if (refusedData(error)) {
      return {
        status: "rejected",
        uploadId: "",
        format: null,
        errorCount: 1,
        errors: [],
        reason: `the database refused the file's data (${error.message})`,
      };
    }
    throw error;
  }
}
