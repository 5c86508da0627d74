/**
 * Price handlers of the product object: its sources, `scrape` (every active source once), the
 * durable 8-hourly schedule (one pending delayed self-call per product, generation-checked),
 * and the shared `bestPrice`.
 */
import * as restate from "@restatedev/restate-sdk";
import { Schema } from "effect";
import { bestQuote, quoteOf } from "../../shared/catalog/best-price.ts";
import { BestPriceResponse } from "../../shared/catalog/insights.ts";
import {
  addSource,
  deactivateSource,
  lastGoodPrice,
  latestObservations,
  listSources,
  priceHistorySummary,
  recordPrice,
  type PriceSource,
  type PriceStatus,
} from "../../shared/db/prices.ts";
import { findProduct } from "../../shared/db/products.ts";
import { AddressPolicy, validateSourceUrl } from "../../shared/scrape/address.ts";
import { scrapeSource } from "../../shared/scrape/scrape-source.ts";
import type { ServiceDependencies } from "../dependencies.ts";
import { InvalidRequestError, NotFoundError } from "../errors.ts";
import { schemaInput, schemaOutput } from "../options.ts";
import { evaluateAlerts } from "./alerts.ts";
import { loadProduct, productKey } from "./catalog.ts";
import { productObjectName } from "../registry.ts";
import type { ProductObject } from "./index.ts";
import { scheduleTimerPending } from "./liveness.ts";
import type { ProductState, ScheduleState, ScrapeSummary } from "./state.ts";

const AddSourceInput = Schema.Struct({
  url: Schema.String.pipe(Schema.maxLength(2000)),
  label: Schema.optionalWith(Schema.String.pipe(Schema.minLength(1), Schema.maxLength(100)), { exact: true }),
});
const RemoveSourceInput = Schema.Struct({ sourceId: Schema.Number.pipe(Schema.int(), Schema.positive()) });
const StartScheduleInput = Schema.Struct({
  intervalSeconds: Schema.optionalWith(Schema.Number.pipe(Schema.int(), Schema.between(1, 30 * 24 * 3600)), {
    exact: true,
  }),
});
const ScheduledScrapeInput = Schema.Struct({ generation: Schema.Number.pipe(Schema.int()) });

/** Spread of each interval: ±10%, so products started together drift apart. */
const intervalJitter = 0.1;
/** The first scrape after a start comes within this much (or one interval, if shorter). */
const firstRunSpreadSeconds = 300;

type Ctx = restate.ObjectContext<ProductState>;

/** The delay of the first scrape after a (re)start: spread so products started together drift apart. */
export function firstRunDelay(ctx: Ctx, intervalSeconds: number): number {
  return Math.round(ctx.rand.random() * Math.min(intervalSeconds, firstRunSpreadSeconds) * 1000);
}

interface AttemptSummary {
  readonly status: PriceStatus;
}

async function scrapeAndRecord(
  deps: ServiceDependencies,
  productId: string,
  source: Pick<PriceSource, "id" | "url">,
  attemptId: string,
  collectedAt: string,
): Promise<AttemptSummary> {
  const last = await lastGoodPrice(deps.db, source.id);
  const validators = last
    ? {
        ...(last.etag !== null && { etag: last.etag }),
        ...(last.lastModified !== null && { lastModified: last.lastModified }),
      }
    : undefined;
  const observation = await scrapeSource(deps.fetcher, source.url, validators);
  const reused = observation.status === "not_modified" ? last : undefined;
  const status: PriceStatus =
    observation.status === "not_modified" && !reused ? "http_error" : observation.status;
  await recordPrice(deps.db, {
    attemptId,
    productId,
    sourceId: source.id,
    status,
    amount: reused?.amount ?? observation.amount ?? null,
    currency: reused?.currency ?? observation.currency ?? null,
    availability: reused?.availability ?? observation.availability,
    rule: reused?.rule ?? observation.rule ?? null,
    httpStatus: observation.httpStatus ?? null,
    detail: observation.detail ?? null,
    etag: observation.etag ?? reused?.etag ?? null,
    lastModified: observation.lastModified ?? reused?.lastModified ?? null,
    collectedAt,
  });
  return { status };
}

async function scrapeOnce(ctx: Ctx, deps: ServiceDependencies): Promise<ScrapeSummary> {
  const id = productKey(ctx);
  const sources = await ctx.run("list active sources", async () =>
    (await listSources(deps.db, id)).filter((source) => source.active).map(({ id, url }) => ({ id, url })),
  );
  let succeeded = 0;
  let failed = 0;
  for (const source of sources) {
    const attemptId = ctx.rand.uuidv4();
    const collectedAt = new Date(await ctx.date.now()).toISOString();
    try {
      const attempt = await ctx.run(
        `scrape source ${source.id}`,
        () => scrapeAndRecord(deps, id, source, attemptId, collectedAt),
        { maxRetryAttempts: 3, initialRetryInterval: { seconds: 1 } },
      );
      if (attempt.status === "ok" || attempt.status === "not_modified") succeeded++;
      else failed++;
    } catch (error) {
      if (!(error instanceof restate.TerminalError)) throw error;
      failed++;
    }
  }
  const summary: ScrapeSummary = {
    at: new Date(await ctx.date.now()).toISOString(),
    sources: sources.length,
    succeeded,
    failed,
  };
  ctx.set("lastScrape", summary);
  await evaluateAlerts(ctx, deps);
  return summary;
}

/** Sends the next scheduled scrape, replacing (cancelling) any pending one, and records it. */
export async function armTimer(ctx: Ctx, schedule: ScheduleState, delayMs: number): Promise<ScheduleState> {
  if (schedule.timerInvocationId !== null) ctx.cancel(schedule.timerInvocationId);
  const handle = ctx
    .objectSendClient<ProductObject>({ name: productObjectName }, ctx.key)
    .scheduledScrape({ generation: schedule.generation }, restate.rpc.sendOpts({ delay: delayMs }));
  const next: ScheduleState = {
    ...schedule,
    timerInvocationId: await handle.invocationId,
    nextRunAt: new Date((await ctx.date.now()) + delayMs).toISOString(),
  };
  ctx.set("schedule", next);
  return next;
}

export function pricingHandlers(deps: ServiceDependencies) {
  const addressPolicy = new AddressPolicy(deps.config.SCRAPE_ALLOW_PRIVATE_HOSTS);
  const defaultIntervalSeconds = deps.config.SCRAPE_INTERVAL_SECONDS;
  const jittered = (ctx: Ctx, seconds: number) =>
    Math.round(seconds * 1000 * (1 + intervalJitter * (2 * ctx.rand.random() - 1)));

  return {
    addSource: restate.handlers.object.exclusive(
      { input: schemaInput(AddSourceInput) },
      async (ctx: Ctx, input: typeof AddSourceInput.Type): Promise<PriceSource> => {
        const id = productKey(ctx);
        const check = validateSourceUrl(input.url, addressPolicy);
        if (!check.valid) throw new InvalidRequestError(`source url rejected: ${check.error}`);
        const label = input.label ?? check.url.hostname;
        return ctx.run("add source", async () => {
          if (!(await findProduct(deps.db, id))) throw new NotFoundError(`product "${id}" does not exist`);
          return addSource(deps.db, id, check.url.href, label);
        });
      },
    ),

    removeSource: restate.handlers.object.exclusive(
      { input: schemaInput(RemoveSourceInput) },
      async (ctx: Ctx, input: typeof RemoveSourceInput.Type): Promise<PriceSource> => {
        const id = productKey(ctx);
        const removed = await ctx.run(
          "deactivate source",
          async () => (await deactivateSource(deps.db, id, input.sourceId)) ?? null,
        );
        if (removed === null) throw new NotFoundError(`product "${id}" has no source ${input.sourceId}`);
        return removed;
      },
    ),

    sources: restate.handlers.object.shared(
      async (ctx: restate.ObjectSharedContext<ProductState>): Promise<PriceSource[]> => {
        const id = productKey(ctx);
        return ctx.run("list sources", () => listSources(deps.db, id));
      },
    ),

    scrape: restate.handlers.object.exclusive(async (ctx: Ctx): Promise<ScrapeSummary> =>
      scrapeOnce(ctx, deps),
    ),

    startSchedule: restate.handlers.object.exclusive(
      { input: schemaInput(StartScheduleInput) },
      async (ctx: Ctx, input: typeof StartScheduleInput.Type): Promise<ScheduleState> => {
        await loadProduct(ctx, deps);
        const intervalSeconds = input.intervalSeconds ?? defaultIntervalSeconds;
        const current = await ctx.get("schedule");
        if (
          current?.active &&
          current.intervalSeconds === intervalSeconds &&
          (await scheduleTimerPending(ctx, deps, current))
        ) {
          return current;
        }
        const schedule: ScheduleState = {
          active: true,
          intervalSeconds,
          generation: (current?.generation ?? 0) + 1,
          timerInvocationId: current?.timerInvocationId ?? null,
          nextRunAt: null,
        };
        return armTimer(ctx, schedule, firstRunDelay(ctx, intervalSeconds));
      },
    ),

    stopSchedule: restate.handlers.object.exclusive(async (ctx: Ctx): Promise<ScheduleState | null> => {
      const current = await ctx.get("schedule");
      if (!current) return null;
      if (current.timerInvocationId !== null) ctx.cancel(current.timerInvocationId);
      const stopped: ScheduleState = { ...current, active: false, timerInvocationId: null, nextRunAt: null };
      ctx.set("schedule", stopped);
      return stopped;
    }),

    scheduledScrape: restate.handlers.object.exclusive(
      { input: schemaInput(ScheduledScrapeInput), ingressPrivate: true },
      async (ctx: Ctx, input: typeof ScheduledScrapeInput.Type): Promise<ScrapeSummary | null> => {
        const schedule = await ctx.get("schedule");
        if (!schedule?.active || schedule.generation !== input.generation) return null;
        const summary = await scrapeOnce(ctx, deps);
        await armTimer(
          ctx,
          { ...schedule, timerInvocationId: null },
          jittered(ctx, schedule.intervalSeconds),
        );
        return summary;
      },
    ),

    bestPrice: restate.handlers.object.shared(
      { output: schemaOutput(BestPriceResponse) },
      async (ctx: restate.ObjectSharedContext<ProductState>): Promise<BestPriceResponse> => {
        const product = await loadProduct(ctx, deps);
        const now = await ctx.date.now();
        return ctx.run("best price", async () => {
          const observations = await latestObservations(deps.db, product.id);
          const best = bestQuote(observations, product.currency, now);
          const historyCurrency = best?.currency ?? product.currency;
          return {
            productId: product.id,
            best,
            sources: observations.map((observation) => ({
              sourceId: observation.sourceId,
              label: observation.label,
              active: observation.active,
              lastStatus: observation.status,
              lastQuote: quoteOf(observation, now),
            })),
            history: (await priceHistorySummary(deps.db, product.id, historyCurrency)) ?? null,
          };
        });
      },
    ),
  };
}
