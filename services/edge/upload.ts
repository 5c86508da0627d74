/**
 * `POST /api/upload` (text/csv body, optional x-filename): streams the sales CSV from the request
 * straight into PostgreSQL — staged and merged all-or-nothing in one transaction — and then hands
 * only the upload id to the ingestion service through the ingress, which requests the retrains.
 * No size cap and flat memory; Restate never holds the file. If the retrains cannot be requested
 * the sales stay stored, and sending the same file again (a no-op for the data) requests them.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import * as clients from "@restatedev/restate-sdk-clients";
import type { Config } from "../../shared/config/index.ts";
import type { Database } from "../../shared/db/connection.ts";
import { saleDateWindow } from "../../shared/ingest/index.ts";
import { log } from "../../shared/runtime/log.ts";
import type { IngestionService, UploadResult } from "../ingestion.ts";
import { rejectionMessage, storeUpload } from "../ingestion-store.ts";
import { credentialOf } from "./gateway.ts";

/** An upload that sends nothing for this long is dropped (and rolled back). */
const idleUploadMs = 120_000;

export interface UploadDependencies {
  readonly config: Pick<
    Config,
    "PROCURE_API_KEY" | "RESTATE_INGRESS_URL" | "SALES_EARLIEST_DATE" | "SALES_MAX_DAYS_AHEAD"
  >;
  readonly db: Database;
}

export type UploadReply =
  | { readonly status: 200; readonly body: UploadResult }
  | { readonly status: 400 | 401 | 415 | 502; readonly error: string };

function failure(status: 400 | 401 | 415 | 502, error: string): UploadReply {
  return { status, error };
}

export async function receiveUpload(
  request: IncomingMessage,
  deps: UploadDependencies,
): Promise<UploadReply> {
  const apiKey = deps.config.PROCURE_API_KEY;
  if (apiKey !== undefined && credentialOf(request.headers, apiKey) === "none")
    return failure(
      401,
      'uploads change data: send "Authorization: Bearer <PROCURE_API_KEY>" or sign in on the dashboard',
    );
  // A cross-site form cannot send text/csv without a CORS preflight, which this server never grants.
  if (!/^text\/csv\b/i.test(request.headers["content-type"] ?? ""))
    return failure(415, "send the sales CSV as the request body with content-type: text/csv");
  request.setTimeout(idleUploadMs);
  request.once("end", () => request.setTimeout(0));
  const filename = request.headers["x-filename"];
  const outcome = await storeUpload(deps.db, request as AsyncIterable<Uint8Array>, {
    filename: typeof filename === "string" ? filename.slice(0, 255) : null,
    invocationId: `edge:${randomUUID()}`,
    saleDates: saleDateWindow(deps.config.SALES_EARLIEST_DATE, deps.config.SALES_MAX_DAYS_AHEAD, Date.now()),
  });
  if (outcome.status === "rejected") return failure(400, rejectionMessage(outcome));
  log.info("sales upload stored", { uploadId: outcome.uploadId, status: outcome.status, rows: outcome.rows });
  try {
    const ingestion = clients
      .connect({ url: deps.config.RESTATE_INGRESS_URL })
      .serviceClient<IngestionService>({ name: "ingestion" });
    const { requested } = await ingestion.requestRetrains(
      { uploadId: outcome.uploadId },
      clients.rpc.opts({ idempotencyKey: `retrains-${outcome.uploadId}` }),
    );
    return { status: 200, body: { ...outcome, retrainsRequested: requested } };
  } catch (error) {
    log.error("requesting retrains failed", { uploadId: outcome.uploadId, error: String(error) });
    return failure(
      502,
      `the sales are stored (upload ${outcome.uploadId}) but the retrains could not be requested: send the same file again to request them`,
    );
  }
}
