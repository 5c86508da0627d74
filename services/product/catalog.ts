/** Catalogue handlers of the product object: create/update the profile, set stock, read status. */
import * as restate from "@restatedev/restate-sdk";
import {
  ProductId,
  ProductProfileInput,
  StockInput,
  Product,
  applyProfile,
} from "../../shared/catalog/product.ts";
import { findProduct, saveProduct, updateStock } from "../../shared/db/products.ts";
import type { ServiceDependencies } from "../dependencies.ts";
import { NotFoundError } from "../errors.ts";
import { evaluateAlerts } from "./alerts.ts";
import { checkedKey, schemaInput, schemaOutput } from "../options.ts";
import type { ModelPointer, ProductState, RetrainState, ScheduleState, ScrapeSummary } from "./state.ts";

export interface ProductStatus {
  readonly product: Product;
  readonly revision: number;
  readonly model: ModelPointer | null;
  readonly retrain: RetrainState | null;
  readonly schedule: ScheduleState | null;
  readonly lastScrape: ScrapeSummary | null;
}

export function productKey(ctx: { readonly key: string }): string {
  return checkedKey(ctx, ProductId, "product id");
}

export async function loadProduct(
  ctx: restate.ObjectSharedContext<ProductState>,
  { db }: ServiceDependencies,
): Promise<Product> {
  const id = productKey(ctx);
  const product = await ctx.run("load product", async () => (await findProduct(db, id)) ?? null);
  if (product === null) throw new NotFoundError(`product "${id}" does not exist`);
  return product;
}

export function catalogHandlers(deps: ServiceDependencies) {
  return {
    upsert: restate.handlers.object.exclusive(
      { input: schemaInput(ProductProfileInput), output: schemaOutput(Product) },
      async (ctx: restate.ObjectContext<ProductState>, input: ProductProfileInput): Promise<Product> => {
        const id = productKey(ctx);
        const saved = await ctx.run("save product", async () =>
          saveProduct(deps.db, applyProfile(id, await findProduct(deps.db, id), input)),
        );
        ctx.set("revision", ((await ctx.get("revision")) ?? 0) + 1);
        return saved;
      },
    ),

    setStock: restate.handlers.object.exclusive(
      { input: schemaInput(StockInput), output: schemaOutput(Product) },
      async (ctx: restate.ObjectContext<ProductState>, input: StockInput): Promise<Product> => {
        const id = productKey(ctx);
        const updated = await ctx.run(
          "update stock",
          async () => (await updateStock(deps.db, id, input.stock)) ?? null,
        );
        if (updated === null) throw new NotFoundError(`product "${id}" does not exist`);
        await evaluateAlerts(ctx, deps);
        return updated;
      },
    ),

    status: restate.handlers.object.shared(
      async (ctx: restate.ObjectSharedContext<ProductState>): Promise<ProductStatus> => ({
        product: await loadProduct(ctx, deps),
        revision: (await ctx.get("revision")) ?? 0,
        model: await ctx.get("model"),
        retrain: await ctx.get("retrain"),
        schedule: await ctx.get("schedule"),
        lastScrape: await ctx.get("lastScrape"),
      }),
    ),
  };
}
