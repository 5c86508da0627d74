/**
 * The `health` service: `ping` answers once a request has gone all the way through the ingress
 * to this endpoint and back. Start-up and `procure doctor` use it as the readiness probe,
 * because Restate's own /health answers before its partitions are ready.
 */
import * as restate from "@restatedev/restate-sdk";
import { serviceOptions } from "./options.ts";
import type { ServiceName } from "./registry.ts";

export const healthService = restate.service({
  name: "health" satisfies ServiceName,
  handlers: {
    ping: async (ctx: restate.Context): Promise<{ readonly ok: true; readonly at: string }> => ({
      ok: true,
      at: new Date(await ctx.date.now()).toISOString(),
    }),
  },
  options: serviceOptions,
});
