/**
 * The `reconciler` object (one key, "procure"): a durable self-rescheduling tick, every
 * RECONCILE_INTERVAL_SECONDS, that repairs what an invocation killed after exhausting its retries
 * left behind — retrain requests still queued with no retrain pending (the product is asked to
 * retrain again), active schedules without a pending scrape (re-armed), analyses still marked
 * running whose workflow is gone (recorded as failed). `start` (sent by `npm start` at every
 * start) arms the tick unless one is pending; each tick arms the next before it works, so a tick
 * that fails does not end the chain.
 */
import * as restate from "@restatedev/restate-sdk";
import {
  analysesRunningSince,
  failRunningAnalysis,
  productsWithStaleRetrains,
} from "../shared/db/healing.ts";
import { log } from "../shared/runtime/log.ts";
import type { ServiceDependencies } from "./dependencies.ts";
import { serviceOptions } from "./options.ts";
import type { ServiceName } from "./registry.ts";
import { productObjectName, type ProductObject } from "./product/index.ts";
import type { ScheduleState } from "./product/state.ts";
import { armedInvocationPending, keysWithPendingInvocations, objectStates } from "./runtime/invocations.ts";

export const reconcilerName = "reconciler" satisfies ServiceName;
export const reconcilerKey = "procure";

/** Products repaired per tick at most; the next tick takes the rest. */
const repairsPerTick = 1000;
const passRetries = { maxRetryAttempts: 3, initialRetryInterval: 1000 };

interface Timer {
  readonly invocationId: string;
  readonly dueAt: string;
}

export interface ReconcileSummary {
  readonly at: string;
  /** Products asked to retrain again, schedules re-armed, analyses recorded as failed. */
  readonly retrains: number;
  readonly schedules: number;
  readonly analyses: number;
  /** Passes that could not run this time (the database or the admin API did not answer). */
  readonly skipped: readonly string[];
}

interface ReconcilerState {
  timer: Timer;
  lastRun: ReconcileSummary;
}

type Ctx = restate.ObjectContext<ReconcilerState>;

function isActiveSchedule(value: unknown): boolean {
  return typeof value === "object" && value !== null && (value as Partial<ScheduleState>).active === true;
}

export function createReconciler(deps: ServiceDependencies) {
  const { db, config } = deps;
  const adminUrl = config.RESTATE_ADMIN_URL;
  const intervalMs = config.RECONCILE_INTERVAL_SECONDS * 1000;
  const staleSeconds = config.RETRAIN_DEBOUNCE_SECONDS + config.RECONCILE_INTERVAL_SECONDS;

  const arm = async (ctx: Ctx, delayMs: number): Promise<Timer> => {
    const handle = ctx
      .objectSendClient<Reconciler>({ name: reconcilerName }, ctx.key)
      .tick(restate.rpc.sendOpts({ delay: delayMs }));
    const timer = {
      invocationId: await handle.invocationId,
      dueAt: new Date((await ctx.date.now()) + delayMs).toISOString(),
    };
    ctx.set("timer", timer);
    return timer;
  };

  /** One repair pass; a pass that cannot run now (database or admin API down) waits for the next tick. */
  const pass = async <T>(ctx: Ctx, name: string, action: () => Promise<T[]>): Promise<T[] | undefined> => {
    try {
      return await ctx.run(name, action, passRetries);
    } catch (error) {
      if (!(error instanceof restate.TerminalError)) throw error;
      return undefined;
    }
  };

  return restate.object({
    name: reconcilerName,
    handlers: {
      start: restate.handlers.object.exclusive(async (ctx: Ctx): Promise<Timer> => {
        const timer = await ctx.get("timer");
        const lostAfter =
          timer === null ? 0 : Date.parse(timer.dueAt) + config.RETRY_WINDOW_SECONDS * 1000 + intervalMs;
        if (timer !== null && (await armedInvocationPending(ctx, adminUrl, timer.invocationId, lostAfter)))
          return timer;
        return arm(ctx, 0);
      }),

      tick: restate.handlers.object.exclusive(
        { ingressPrivate: true },
        async (ctx: Ctx): Promise<ReconcileSummary | null> => {
          // Only the armed tick continues the chain: a stray second one ends here.
          const armed = await ctx.get("timer");
          if (armed !== null && armed.invocationId !== ctx.request().id) return null;
          await arm(ctx, intervalMs);
          const product = (id: string) =>
            ctx.objectSendClient<ProductObject>({ name: productObjectName }, id);

          const retrains = await pass(ctx, "products with lost retrains", async () => {
            const stale = await productsWithStaleRetrains(db, staleSeconds, repairsPerTick);
            if (stale.length === 0) return [];
            const pending = await keysWithPendingInvocations(adminUrl, productObjectName, "retrain");
            return stale.filter((id) => !pending.has(id));
          });
          for (const id of retrains ?? []) product(id).requestRetrain({});

          const schedules = await pass(ctx, "schedules without a pending scrape", async () => {
            const active = (await objectStates(adminUrl, productObjectName, "schedule"))
              .filter((state) => isActiveSchedule(state.value))
              .map((state) => state.key);
            if (active.length === 0) return [];
            const pending = await keysWithPendingInvocations(adminUrl, productObjectName, "scheduledScrape");
            return active.filter((id) => !pending.has(id)).slice(0, repairsPerTick);
          });
          for (const id of schedules ?? []) product(id).healSchedule();

          const analyses = await pass(ctx, "analyses left running", async () => {
            const running = await analysesRunningSince(db, config.RECONCILE_INTERVAL_SECONDS);
            if (running.length === 0) return [];
            const pending = await keysWithPendingInvocations(adminUrl, "analysis", "run");
            const failed: string[] = [];
            for (const id of running.filter((candidate) => !pending.has(candidate))) {
              const error = "the analysis stopped without a result (its retries ran out): start a new one";
              if (await failRunningAnalysis(db, id, error)) failed.push(id);
            }
            return failed;
          });

          const summary: ReconcileSummary = {
            at: new Date(await ctx.date.now()).toISOString(),
            retrains: retrains?.length ?? 0,
            schedules: schedules?.length ?? 0,
            analyses: analyses?.length ?? 0,
            skipped: [
              ...(retrains ? [] : ["retrains"]),
              ...(schedules ? [] : ["schedules"]),
              ...(analyses ? [] : ["analyses"]),
            ],
          };
          if (summary.retrains + summary.schedules + summary.analyses > 0 || summary.skipped.length > 0) {
            await ctx.run("log repairs", () => log.warn("reconciler repaired", { ...summary }));
          }
          ctx.set("lastRun", summary);
          return summary;
        },
      ),

      lastRun: restate.handlers.object.shared(
        async (ctx: restate.ObjectSharedContext<ReconcilerState>): Promise<ReconcileSummary | null> =>
          ctx.get("lastRun"),
      ),
    },
    options: serviceOptions,
  });
}

export type Reconciler = ReturnType<typeof createReconciler>;
