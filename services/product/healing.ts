/**
 * Repair handler of the product object, sent by the reconciler: `healSchedule` re-arms an active
 * schedule whose pending scrape is gone (killed after its retries ran out), so every scheduled
 * product always has exactly one pending scrape.
 */
import * as restate from "@restatedev/restate-sdk";
import type { ServiceDependencies } from "../dependencies.ts";
import { productKey } from "./catalog.ts";
import { scheduleTimerPending } from "./liveness.ts";
import { armTimer, firstRunDelay } from "./pricing.ts";
import type { ProductState, ScheduleState } from "./state.ts";

export function healingHandlers(deps: ServiceDependencies) {
  return {
    healSchedule: restate.handlers.object.exclusive(
      { ingressPrivate: true },
      async (ctx: restate.ObjectContext<ProductState>): Promise<ScheduleState | null> => {
        productKey(ctx);
        const current = await ctx.get("schedule");
        if (!current?.active || (await scheduleTimerPending(ctx, deps, current))) return current;
        return armTimer(
          ctx,
          { ...current, generation: current.generation + 1 },
          firstRunDelay(ctx, current.intervalSeconds),
        );
      },
    ),
  };
}
