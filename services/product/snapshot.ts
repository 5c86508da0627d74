/**
 * The product object's advice snapshot: `refreshAdvice` asks the object's own `advice` handler
 * and stores a summary row with the money at stake (shared/catalog/stake.ts), so lists and the
 * analysis read one table instead of calling every product. Sent whenever an input of the advice
 * changes: a retrain, a stock or profile change, a scrape, a catalogue import.
 */
import * as restate from "@restatedev/restate-sdk";
import type { AdviceResponse } from "../../shared/catalog/insights.ts";
import { adviceSnapshot } from "../../shared/catalog/stake.ts";
import { findProduct } from "../../shared/db/products.ts";
import { averageSellingPrice, saveSnapshots } from "../../shared/db/snapshots.ts";
import type { ServiceDependencies } from "../dependencies.ts";
import { productKey } from "./catalog.ts";
import { productObjectName } from "../registry.ts";
import type { ProductObject } from "./index.ts";
import type { ProductState } from "./state.ts";

type SnapshotContext = restate.ObjectContext<ProductState> | restate.Context;

/** Asks the product object to refresh its advice snapshot (after this invocation ends). */
export function requestAdviceRefresh(ctx: SnapshotContext, productId: string): void {
  ctx.objectSendClient<ProductObject>({ name: productObjectName }, productId).refreshAdvice();
}

export function snapshotHandlers(deps: ServiceDependencies) {
  return {
    refreshAdvice: restate.handlers.object.exclusive(
      async (ctx: restate.ObjectContext<ProductState>): Promise<{ saved: boolean }> => {
        const id = productKey(ctx);
        let advice: AdviceResponse | null = null;
        let error: string | null = null;
        if ((await ctx.get("model")) === null) {
          error = "no forecast model yet: upload the product's sales history";
        } else {
          try {
            advice = await ctx.objectClient<ProductObject>({ name: productObjectName }, id).advice({});
          } catch (failure) {
            if (!(failure instanceof restate.TerminalError)) throw failure;
            error = failure.message;
          }
        }
        const computedAt = new Date(await ctx.date.now()).toISOString();
        const saved = await ctx.run("save advice snapshot", async () => {
          const product = await findProduct(deps.db, id);
          if (product === undefined) return false;
          const sellingPrice = await averageSellingPrice(deps.db, id);
          await saveSnapshots(
            deps.db,
            [adviceSnapshot({ product, advice, error, sellingPrice })],
            computedAt,
          );
          return true;
        });
        return { saved };
      },
    ),
  };
}
