/**
 * Alerts and forecast accountability inside the product object (so evaluation is serial per
 * product and survives crashes): `holdModelToAccount` scores the serving model on sales added
 * since its training and retrains at once on drift; `evaluateAlerts` turns the product's rules
 * and facts into alert episodes and sends each raised or resolved alert to the webhooks. Both are
 * called where the product's data changes (upload, retrain, scrape, stock); `alerts` lists its alerts.
 */
import * as restate from "@restatedev/restate-sdk";
import { Schema } from "effect";
import { scoreModel } from "../../shared/accuracy/realized.ts";
import {
  adviceKinds,
  episodeTransitions,
  evaluateRules,
  priceKinds,
  type AlertEvent,
  type AlertRule,
  type ProductFacts,
  type Transitions,
} from "../../shared/alerts/rules.ts";
import { adviceResponse } from "../../shared/catalog/advice-view.ts";
import { bestQuote } from "../../shared/catalog/best-price.ts";
import { saveAccuracy, trackingSignalOf } from "../../shared/db/accuracy.ts";
import {
  activeRules,
  listAlerts,
  medianPrice30d,
  openEpisodes,
  recordTransitions,
  type AlertRecord,
} from "../../shared/db/alerts.ts";
import { productAsOfDate } from "../../shared/db/models.ts";
import { latestObservations } from "../../shared/db/prices.ts";
import { openOrderQuantity } from "../../shared/db/orders.ts";
import { findProduct } from "../../shared/db/products.ts";
import { dailySales } from "../../shared/db/sales.ts";
import type { AlertsService } from "../alerts.ts";
import type { ServiceDependencies } from "../dependencies.ts";
import { schemaInput, stepRetries } from "../options.ts";
import { log } from "../../shared/runtime/log.ts";
import { productKey } from "./catalog.ts";
import type { ProductObject } from "./index.ts";
import { loadModel } from "./model-store.ts";
import type { ModelPointer, ProductState } from "./state.ts";

type Ctx = restate.ObjectContext<ProductState>;

const iso = (ms: number) => new Date(ms).toISOString();

/** A step whose retries ran out yields `fallback`; any other error propagates (and is retried). */
function skipWhenExhausted<T>(fallback: T): (error: unknown) => T {
  return (error) => {
    if (error instanceof restate.TerminalError) {
      log.warn("alert step gave up; the next evaluation retries it", { error: error.message });
      return fallback;
    }
    throw error;
  };
}
const noTransitions: Transitions = { raise: [], resolve: [] };

async function productFacts(
  deps: ServiceDependencies,
  productId: string,
  pointer: ModelPointer | null,
  rules: readonly AlertRule[],
  nowMs: number,
): Promise<ProductFacts | undefined> {
  const product = await findProduct(deps.db, productId);
  if (!product) return undefined;
  const needs = (kinds: readonly string[]) => rules.some((rule) => kinds.includes(rule.kind));
  const observations = needs(priceKinds) ? await latestObservations(deps.db, productId) : [];
  const best = bestQuote(observations, product.currency, nowMs);
  const median = rules.some((rule) => rule.kind === "price_drop")
    ? await medianPrice30d(deps.db, productId, best?.currency ?? product.currency, iso(nowMs))
    : null;
  const advice =
    pointer && needs(adviceKinds)
      ? adviceResponse({
          product,
          model: await loadModel(deps, pointer.path),
          request: {},
          bestPrice: best,
          abc: null,
          demandCv: pointer.demandCv,
          onOrder: await openOrderQuantity(deps.db, productId),
        })
      : null;
  return {
    productId,
    currency: product.currency,
    bestPrice: best && { amount: best.amount, currency: best.currency, label: best.label },
    medianPrice30d: median,
    sources: observations
      .filter((observation) => observation.active)
      .map((observation) => ({
        sourceId: observation.sourceId,
        label: observation.label,
        availability:
          observation.status === "ok" || observation.status === "not_modified"
            ? observation.availability
            : null,
      })),
    stockoutRisk: advice?.stockoutRisk ?? null,
    daysOfCover: advice?.daysOfCover ?? null,
    leadTimeDays: product.leadTimeDays,
    trackingSignal: pointer ? ((await trackingSignalOf(deps.db, pointer.path)) ?? null) : null,
  };
}

async function productTransitions(
  deps: ServiceDependencies,
  productId: string,
  pointer: ModelPointer | null,
  nowMs: number,
): Promise<Transitions> {
  const [rules, open] = await Promise.all([
    activeRules(deps.db, productId),
    openEpisodes(deps.db, productId),
  ]);
  if (rules.length === 0 && open.length === 0) return noTransitions;
  const facts = await productFacts(deps, productId, pointer, rules, nowMs);
  if (!facts) return noTransitions;
  return episodeTransitions(
    open,
    evaluateRules(rules, facts, { driftTrackingSignal: deps.config.DRIFT_TRACKING_SIGNAL }),
  );
}

/**
 * Evaluates the product's alert rules on its current data: opens an episode (raises an alert)
 * for each condition that became true, closes those that became false, and sends each raised
 * or resolved alert to every configured webhook. Journaled, so a retry raises nothing twice.
 */
export async function evaluateAlerts(ctx: Ctx, deps: ServiceDependencies): Promise<void> {
  const id = productKey(ctx);
  const pointer = await ctx.get("model");
  const now = await ctx.date.now();
  // Steps that give up leave nothing half done: episodes live in Postgres, so the next
  // evaluation (at the product's next data change) picks up where this one stopped.
  const transitions = await ctx
    .run("evaluate alerts", () => productTransitions(deps, id, pointer, now), stepRetries(deps.config, 0.2))
    .catch(skipWhenExhausted(noTransitions));
  if (transitions.raise.length === 0 && transitions.resolve.length === 0) return;
  const raised = transitions.raise.map(({ ruleId, kind, subject, message, details }) => ({
    alertId: ctx.rand.uuidv4(),
    ruleId,
    kind,
    subject,
    message,
    details,
  }));
  const resolved = transitions.resolve.map(({ episode, condition }) => ({
    alertId: episode.alertId,
    resolution: condition?.message ?? "closed: its rule or source was removed",
    notify: condition !== null,
  }));
  const recorded = await ctx
    .run(
      "record alerts",
      async () => {
        await recordTransitions(deps.db, id, iso(now), { raised, resolved });
        return true;
      },
      stepRetries(deps.config, 0.2),
    )
    .catch(skipWhenExhausted(false));
  if (!recorded) return;
  const events: { alertId: string; event: AlertEvent }[] = [
    ...raised.map(({ alertId }) => ({ alertId, event: "raised" as const })),
    ...resolved
      .filter(({ notify }) => notify)
      .map(({ alertId }) => ({ alertId, event: "resolved" as const })),
  ];
  const delivery = ctx.serviceSendClient<AlertsService>({ name: "alerts" });
  for (const url of deps.config.ALERT_WEBHOOK_URLS) {
    for (const event of events) delivery.deliver({ ...event, url });
  }
}

/** Scores the serving model on the periods sold since its training; its tracking signal, or null. */
async function scoreServingModel(
  deps: ServiceDependencies,
  productId: string,
  path: string,
  scoredAt: string,
): Promise<number | null> {
  const [model, sales, asOf] = await Promise.all([
    loadModel(deps, path),
    dailySales(deps.db, productId),
    productAsOfDate(deps.db, productId),
  ]);
  if (asOf === undefined) return null;
  const score = scoreModel(model, sales, asOf);
  if (score === null) return null;
  await saveAccuracy(deps.db, { productId, modelPath: path, score, scoredAt });
  return score.accuracy.trackingSignal;
}

/**
 * After an upload added sales: scores the serving model's forecast against them, evaluates the
 * alerts (drift among them) and, when the tracking signal is past DRIFT_TRACKING_SIGNAL, retrains
 * at once instead of waiting for the debounced retrain.
 */
export async function holdModelToAccount(ctx: Ctx, deps: ServiceDependencies): Promise<void> {
  const id = productKey(ctx);
  const pointer = await ctx.get("model");
  if (pointer === null) return;
  const scoredAt = iso(await ctx.date.now());
  const signal = await ctx
    .run(
      "score forecast on new sales",
      () => scoreServingModel(deps, id, pointer.path, scoredAt),
      stepRetries(deps.config, 0.2),
    )
    .catch(skipWhenExhausted(null));
  await evaluateAlerts(ctx, deps);
  if (signal !== null && Math.abs(signal) >= deps.config.DRIFT_TRACKING_SIGNAL) {
    ctx.objectSendClient<ProductObject>({ name: "product" }, id).retrain();
  }
}

const AlertsRequest = Schema.Struct({
  open: Schema.optionalWith(Schema.Boolean, { exact: true }),
  limit: Schema.optionalWith(Schema.Number.pipe(Schema.int(), Schema.between(1, 500)), { exact: true }),
});

export function alertHandlers(deps: ServiceDependencies) {
  return {
    /** Re-evaluates the product's alerts (after one of its rules was added or removed). */
    checkAlerts: restate.handlers.object.exclusive(async (ctx: Ctx): Promise<void> =>
      evaluateAlerts(ctx, deps),
    ),

    alerts: restate.handlers.object.shared(
      { input: schemaInput(AlertsRequest) },
      async (
        ctx: restate.ObjectSharedContext<ProductState>,
        request: typeof AlertsRequest.Type,
      ): Promise<AlertRecord[]> => {
        const productId = productKey(ctx);
        return ctx.run("list alerts", () =>
          listAlerts(deps.db, { productId, limit: request.limit ?? 50, ...(request.open && { open: true }) }),
        );
      },
    ),
  };
}
