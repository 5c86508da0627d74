/**
 * Forecasting handlers of the product object: a debounced `requestRetrain` (sent by uploads),
 * the `retrain` it schedules, and the shared `forecast` and `advice` served from the stored model.
 */
import * as restate from "@restatedev/restate-sdk";
import { Schema } from "effect";
import { adviceResponse } from "../../shared/catalog/advice-view.ts";
import { bestQuote } from "../../shared/catalog/best-price.ts";
import { forecastResponse } from "../../shared/catalog/forecast-view.ts";
import {
  AdviceRequest,
  ForecastRequest,
  AdviceResponse,
  ForecastResponse,
} from "../../shared/catalog/insights.ts";
import { openOrderQuantity } from "../../shared/db/orders.ts";
import { latestObservations } from "../../shared/db/prices.ts";
import { recentSalesValues, settleRetrains } from "../../shared/db/sales.ts";
import type { ServiceDependencies } from "../dependencies.ts";
import { NotFoundError } from "../errors.ts";
import { schemaInput, schemaOutput, stepRetries } from "../options.ts";
import { armedInvocationPending } from "../runtime/invocations.ts";
import { evaluateAlerts, holdModelToAccount } from "./alerts.ts";
import { loadProduct, productKey } from "./catalog.ts";
import { productObjectName } from "../registry.ts";
import type { ProductObject } from "./index.ts";
import { loadModel, trainAndStore, type TrainingOutcome } from "./model-store.ts";
import type { ModelPointer, ProductState, RetrainState } from "./state.ts";

const RetrainRequest = Schema.Struct({ uploadId: Schema.optionalWith(Schema.String, { exact: true }) });
type RetrainRequest = typeof RetrainRequest.Type;

/** The training step gave up (e.g. the database stayed down): worth another run later. */
type Unavailable = { readonly outcome: "unavailable"; readonly error: string };

/** Runs in a row that could not train before the upload's retrain requests are failed. */
const maxUnavailableRuns = 3;

/** How the product's queued retrain requests end; null: they stay queued for another run. */
function settlementOf(
  result: TrainingOutcome | Unavailable,
  failures: number,
): { readonly status: "done" | "failed"; readonly error?: string } | null {
  if (result.outcome === "trained" || result.outcome === "no_sales") return { status: "done" };
  if (result.outcome === "failed" || failures >= maxUnavailableRuns)
    return { status: "failed", error: result.error };
  return null;
}

/** A debounced retrain that has not run this long after its due time is checked with Restate. */
const retrainGraceMs = 5_000;

const idleRetrain: RetrainState = {
  scheduled: false,
  invocationId: null,
  requestedAt: null,
  lastRunAt: null,
  lastOutcome: null,
  lastError: null,
  runs: 0,
};

async function currentModel(ctx: restate.ObjectSharedContext<ProductState>): Promise<ModelPointer> {
  const model = await ctx.get("model");
  if (model === null) {
    throw new NotFoundError(`product "${ctx.key}" has no forecast model yet: upload its sales history first`);
  }
  return model;
}

export function forecastingHandlers(deps: ServiceDependencies) {
  const debounceMs = deps.config.RETRAIN_DEBOUNCE_SECONDS * 1000;
  const retryWindowMs = deps.config.RETRY_WINDOW_SECONDS * 1000;
  const trainingRetries = stepRetries(deps.config, 0.4);

  /** Whether the armed retrain will still run: due soon, or still pending in Restate. */
  const armedRetrainPending = async (ctx: restate.ObjectContext<ProductState>, retrain: RetrainState) => {
    const dueBy = Date.parse(retrain.requestedAt ?? "1970-01-01") + debounceMs + retrainGraceMs;
    if ((await ctx.date.now()) < dueBy) return true;
    if (!retrain.invocationId) return false;
    return armedInvocationPending(
      ctx,
      deps.config.RESTATE_ADMIN_URL,
      retrain.invocationId,
      dueBy + retryWindowMs,
    );
  };

  return {
    requestRetrain: restate.handlers.object.exclusive(
      { input: schemaInput(RetrainRequest) },
      async (
        ctx: restate.ObjectContext<ProductState>,
        _request: RetrainRequest,
      ): Promise<{ scheduled: boolean }> => {
        productKey(ctx);
        await holdModelToAccount(ctx, deps);
        const retrain = (await ctx.get("retrain")) ?? idleRetrain;
        if (retrain.scheduled && (await armedRetrainPending(ctx, retrain))) return { scheduled: false };
        const handle = ctx
          .objectSendClient<ProductObject>({ name: productObjectName }, ctx.key)
          .retrain(restate.rpc.sendOpts({ delay: debounceMs }));
        ctx.set("retrain", {
          ...retrain,
          scheduled: true,
          invocationId: await handle.invocationId,
          requestedAt: new Date(await ctx.date.now()).toISOString(),
        });
        return { scheduled: true };
      },
    ),

    retrain: restate.handlers.object.exclusive(
      async (ctx: restate.ObjectContext<ProductState>): Promise<RetrainState> => {
        const id = productKey(ctx);
        const startedAt = new Date(await ctx.date.now()).toISOString();
        const runId = ctx.rand.uuidv4();
        const result = await ctx
          .run("fit and store model", () => trainAndStore(deps, id, runId, startedAt), trainingRetries)
          .catch((error: unknown): Unavailable => {
            if (error instanceof restate.TerminalError)
              return { outcome: "unavailable", error: error.message };
            throw error;
          });
        if (result.outcome === "trained") ctx.set("model", result.pointer);
        const previous = (await ctx.get("retrain")) ?? idleRetrain;
        const failures = result.outcome === "unavailable" ? (previous.failures ?? 0) + 1 : 0;
        const settlement = settlementOf(result, failures);
        // When the requests cannot be settled now (database down), they stay queued and the
        // reconciler asks for another retrain.
        const unsettled =
          settlement === null
            ? `retried later (${failures} of ${maxUnavailableRuns} runs could not train)`
            : await ctx
                .run(
                  "settle retrain requests",
                  async () => {
                    await settleRetrains(deps.db, id, settlement);
                    return null;
                  },
                  trainingRetries,
                )
                .catch((error: unknown) => {
                  if (error instanceof restate.TerminalError)
                    return `the outcome was not recorded, retried later: ${error.message}`;
                  throw error;
                });
        const failed = result.outcome === "failed" || result.outcome === "unavailable";
        const retrain: RetrainState = {
          scheduled: false,
          invocationId: null,
          requestedAt: previous.requestedAt,
          lastRunAt: startedAt,
          lastOutcome: failed || unsettled !== null ? "failed" : result.outcome,
          lastError:
            [failed ? result.error : null, unsettled].filter((text) => text !== null).join("; ") || null,
          failures,
          runs: previous.runs + 1,
        };
        ctx.set("retrain", retrain);
        await evaluateAlerts(ctx, deps);
        return retrain;
      },
    ),

    forecast: restate.handlers.object.shared(
      { input: schemaInput(ForecastRequest), output: schemaOutput(ForecastResponse) },
      async (
        ctx: restate.ObjectSharedContext<ProductState>,
        request: ForecastRequest,
      ): Promise<ForecastResponse> => {
        const id = productKey(ctx);
        const pointer = await currentModel(ctx);
        const unit = request.unit ?? "week";
        const horizon = request.horizon ?? (unit === "week" ? 13 : 28);
        return ctx.run("forecast from stored model", async () =>
          forecastResponse(id, pointer, await loadModel(deps, pointer.path), { horizon, unit }),
        );
      },
    ),

    advice: restate.handlers.object.shared(
      { input: schemaInput(AdviceRequest), output: schemaOutput(AdviceResponse) },
      async (
        ctx: restate.ObjectSharedContext<ProductState>,
        request: AdviceRequest,
      ): Promise<AdviceResponse> => {
        const product = await loadProduct(ctx, deps);
        const pointer = await currentModel(ctx);
        const now = await ctx.date.now();
        return ctx.run("purchase advice", async () => {
          const [model, observations, salesValues, onOrder] = await Promise.all([
            loadModel(deps, pointer.path),
            latestObservations(deps.db, product.id),
            recentSalesValues(deps.db),
            openOrderQuantity(deps.db, product.id),
          ]);
          return adviceResponse({
            product,
            model,
            request,
            bestPrice: bestQuote(observations, product.currency, now),
            salesValues,
            demandCv: pointer.demandCv,
            onOrder,
          });
        });
      },
    ),
  };
}
