/**
 * The `scheduler` service: `scrapeAll` starts the periodic scrape of every product that has an
 * active price source (a product whose schedule already runs keeps its pending timer). Called by
 * the CLI (`procure schedule all`) and after seeding.
 */
import * as restate from "@restatedev/restate-sdk";
import { productsWithActiveSources } from "../shared/db/prices.ts";
import type { ServiceDependencies } from "./dependencies.ts";
import { serviceOptions } from "./options.ts";
import type { ProductObject } from "./product/index.ts";
import { productObjectName, type ServiceName } from "./registry.ts";

export function createSchedulerService(deps: ServiceDependencies) {
  return restate.service({
    name: "scheduler" satisfies ServiceName,
    handlers: {
      scrapeAll: async (ctx: restate.Context): Promise<{ readonly scheduled: number }> => {
        const productIds = await ctx.run("products with active sources", () =>
          productsWithActiveSources(deps.db),
        );
        for (const productId of productIds) {
          ctx.objectSendClient<ProductObject>({ name: productObjectName }, productId).startSchedule({});
        }
        return { scheduled: productIds.length };
      },
    },
    options: serviceOptions,
  });
}

export type SchedulerService = ReturnType<typeof createSchedulerService>;
