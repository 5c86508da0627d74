/**
 * The `ingestion` service: `upload` takes a sales CSV as the raw request body (text/csv,
 * Superstore export or plain sku,date,quantity[,price]), stores it all-or-nothing and asks the
 * product object of every product whose sales changed to retrain (debounced there). `progress`
 * reports how many of those retrains are queued, done or failed. Called by the CLI, the
 * dashboard and `npm run seed` through the ingress.
 */
import * as restate from "@restatedev/restate-sdk";
import { Schema } from "effect";
import { ACCEPTED_FORMATS } from "../shared/ingest/index.ts";
import { retrainProgress, type RetrainProgress } from "../shared/db/sales.ts";
import type { ServiceDependencies } from "./dependencies.ts";
import { InvalidRequestError, NotFoundError } from "./errors.ts";
import { storeUpload, type UploadOutcome } from "./ingestion-store.ts";
import { schemaInput, serviceOptions } from "./options.ts";
import type { ProductObject } from "./product/index.ts";
import { productObjectName, type ServiceName } from "./registry.ts";

const ProgressRequest = Schema.Struct({ uploadId: Schema.String.pipe(Schema.pattern(/^[0-9a-f]{64}$/)) });

export type UploadResult = Exclude<UploadOutcome, { status: "rejected" }> & {
  readonly retrainsRequested: number;
};

function rejectionMessage(outcome: Extract<UploadOutcome, { status: "rejected" }>): string {
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

export function createIngestionService(deps: ServiceDependencies) {
  return restate.service({
    name: "ingestion" satisfies ServiceName,
    handlers: {
      upload: restate.handlers.handler(
        { input: restate.serde.binary, accept: "*/*" },
        async (ctx: restate.Context, body: Uint8Array): Promise<UploadResult> => {
          const filename = ctx.request().headers.get("x-filename") ?? null;
          const outcome = await ctx.run("store sales", () =>
            storeUpload(deps.db, body, { filename, invocationId: ctx.request().id }),
          );
          if (outcome.status === "rejected") throw new InvalidRequestError(rejectionMessage(outcome));
          for (const productId of outcome.changedProducts) {
            ctx
              .objectSendClient<ProductObject>({ name: productObjectName }, productId)
              .requestRetrain({ uploadId: outcome.uploadId });
          }
          return { ...outcome, retrainsRequested: outcome.changedProducts.length };
        },
      ),

      progress: restate.handlers.handler(
        { input: schemaInput(ProgressRequest) },
        async (ctx: restate.Context, request: typeof ProgressRequest.Type): Promise<RetrainProgress> => {
          // A read: fails fast (a few attempts) rather than hold its caller through a database outage.
          const progress = await ctx.run(
            "read retrain progress",
            async () => (await retrainProgress(deps.db, request.uploadId)) ?? null,
            { maxRetryAttempts: 3, initialRetryInterval: 500 },
          );
          if (progress === null) throw new NotFoundError(`upload ${request.uploadId} does not exist`);
          return progress;
        },
      ),
    },
    options: serviceOptions,
  });
}

export type IngestionService = ReturnType<typeof createIngestionService>;
