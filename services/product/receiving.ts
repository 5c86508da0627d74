/** Receiving handler of the product object: goods received raise the stock once per receipt id. */
import * as restate from "@restatedev/restate-sdk";
import { applyStockReceipt } from "../../shared/db/orders.ts";
import { StockReceiptInput } from "../../shared/orders/schema.ts";
import type { ServiceDependencies } from "../dependencies.ts";
import { NotFoundError } from "../errors.ts";
import { schemaInput } from "../options.ts";
import { productKey } from "./catalog.ts";
import type { ProductState } from "./state.ts";

export function receivingHandlers({ db }: ServiceDependencies) {
  return {
    receiveStock: restate.handlers.object.exclusive(
      { input: schemaInput(StockReceiptInput) },
      async (
        ctx: restate.ObjectContext<ProductState>,
        input: StockReceiptInput,
      ): Promise<{ stock: number }> => {
        const id = productKey(ctx);
        const stock = await ctx.run(
          "apply stock receipt",
          async () => (await applyStockReceipt(db, { ...input, productId: id })) ?? null,
        );
        if (stock === null) throw new NotFoundError(`product "${id}" does not exist`);
        return { stock };
      },
    ),
  };
}
