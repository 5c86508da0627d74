/**
 * Whether a product's schedule still has its pending delayed scrape. Restate kills an invocation
 * whose retries run out; a schedule pointing at a killed scrape would otherwise never run again.
 */
import * as restate from "@restatedev/restate-sdk";
import { armedInvocationPending } from "../runtime/invocations.ts";
import type { ServiceDependencies } from "../dependencies.ts";
import type { ProductState, ScheduleState } from "./state.ts";

/** A scrape this late past its due time, with the admin API unreachable, counts as lost. */
const lateScrapeGraceMs = 60_000;

export async function scheduleTimerPending(
  ctx: restate.ObjectContext<ProductState>,
  deps: ServiceDependencies,
  schedule: ScheduleState,
): Promise<boolean> {
  if (schedule.timerInvocationId === null) return false;
  const dueAt = schedule.nextRunAt === null ? 0 : Date.parse(schedule.nextRunAt);
  return armedInvocationPending(
    ctx,
    deps.config.RESTATE_ADMIN_URL,
    schedule.timerInvocationId,
    dueAt + lateScrapeGraceMs + deps.config.RETRY_WINDOW_SECONDS * 1000,
  );
}
