/**
 * The `ingestion` service: `upload` takes a sales CSV as the raw request body (text/csv,
 * Superstore export or plain sku,date,quantity[,price]), stores it all-or-nothing and asks the
 * product object of every product whose sales changed to retrain (debounced there). `progress`
 * reports how many of those retrains are queued, done or failed. `requestRetrains` takes only the id
 * of an upload the edge already streamed into the database (POST /api/upload) and asks for its
 * queued retrains, reading the product ids page by page: no file content goes through Restate.
 */
import * as restate from "@restatedev/restate-sdk";
import { Schema } from "effect";
import { saleDateWindow } from "../shared/ingest/index.ts";
import { refreshProductClasses } from "../shared/db/classes.ts";
import { queuedRetrainPage, retrainProgress, type RetrainProgress } from "../shared/db/sales.ts";
import type { ServiceDependencies } from "./dependencies.ts";
import { InvalidRequestError, NotFoundError } from "./errors.ts";
import { rejectionMessage, storeUpload, type UploadOutcome } from "./ingestion-store.ts";
import { schemaInput, serviceOptions } from "./options.ts";
import type { ProductObject } from "./product/index.ts";
import { productObjectName, type ServiceName } from "./registry.ts";

const UploadIdRequest = Schema.Struct({ uploadId: Schema.String.pipe(Schema.pattern(/^[0-9a-f]{64}$/)) });
const retrainPageSize = 2000;

export type UploadResult = Exclude<UploadOutcome, { status: "rejected" }> & {
  readonly retrainsRequested: number;
};

function sendRetrains(ctx: restate.Context, uploadId: string, productIds: readonly string[]): void {
  for (const productId of productIds) {
    ctx.objectSendClient<ProductObject>({ name: productObjectName }, productId).requestRetrain({ uploadId });
  }
}

export function createIngestionService(deps: ServiceDependencies) {
  /** ABC classes from the sales as of today: once per upload that changed sales, before its retrains. */
  const classifyProducts = async (ctx: restate.Context): Promise<void> => {
    const today = new Date(await ctx.date.now()).toISOString().slice(0, 10);
    await ctx.run("classify products", () => refreshProductClasses(deps.db, today));
  };

  return restate.service({
    name: "ingestion" satisfies ServiceName,
    handlers: {
      upload: restate.handlers.handler(
        { input: restate.serde.binary, accept: "*/*" },
        async (ctx: restate.Context, body: Uint8Array): Promise<UploadResult> => {
          const filename = ctx.request().headers.get("x-filename") ?? null;
          const saleDates = saleDateWindow(
            deps.config.SALES_EARLIEST_DATE,
            deps.config.SALES_MAX_DAYS_AHEAD,
            await ctx.date.now(),
          );
          const outcome = await ctx.run("store sales", () =>
            storeUpload(deps.db, [body], { filename, invocationId: ctx.request().id, saleDates }),
          );
          if (outcome.status === "rejected") throw new InvalidRequestError(rejectionMessage(outcome));
          if (outcome.changedProducts.length > 0) await classifyProducts(ctx);
          sendRetrains(ctx, outcome.uploadId, outcome.changedProducts);
          return { ...outcome, retrainsRequested: outcome.changedProducts.length };
        },
      ),

      requestRetrains: restate.handlers.handler(
        { input: schemaInput(UploadIdRequest) },
        async (
          ctx: restate.Context,
          request: typeof UploadIdRequest.Type,
        ): Promise<{ requested: number }> => {
          await classifyProducts(ctx);
          let requested = 0;
          for (let after = ""; ;) {
            const page = await ctx.run(`queued retrains after "${after}"`, () =>
              queuedRetrainPage(deps.db, request.uploadId, after, retrainPageSize),
            );
            sendRetrains(ctx, request.uploadId, page);
            requested += page.length;
            if (page.length < retrainPageSize) return { requested };
            after = page.at(-1)!;
          }
        },
      ),

      progress: restate.handlers.handler(
        { input: schemaInput(UploadIdRequest) },
        async (ctx: restate.Context, request: typeof UploadIdRequest.Type): Promise<RetrainProgress> => {
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
