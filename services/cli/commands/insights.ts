/** `procure forecast|advice|best-price`: a product's forecast, purchase advice and best current price. */
import { parseArgs } from "node:util";
import { UsageError, printJson, type Command } from "../command.ts";
import { productFor } from "./products.ts";

export const forecastCommand: Command = {
  name: "forecast",
  summary: "show a product's demand forecast with 80% intervals",
  usage: "procure forecast <product-id> [--weeks N | --days N]",
  async run(args, context) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { weeks: { type: "string" }, days: { type: "string" } },
      allowPositionals: true,
    });
    if (values.weeks !== undefined && values.days !== undefined)
      throw new UsageError("give --weeks or --days, not both");
    const count = values.weeks ?? values.days;
    if (count !== undefined && !/^\d+$/.test(count))
      throw new UsageError(`the horizon must be a whole number, got "${count}"`);
    printJson(
      context.stdout,
      await productFor(context, positionals[0]).forecast({
        ...(count !== undefined && { horizon: Number(count) }),
        unit: values.days !== undefined ? "day" : "week",
      }),
    );
    return 0;
  },
};

export const adviceCommand: Command = {
  name: "advice",
  summary: "show purchase advice: safety stock, reorder point, order quantity, best source",
  usage:
    "procure advice <product-id> [--service-level 0.95] [--review-days 7] [--ordering-cost 25.00] [--holding-rate 0.25]",
  async run(args, context) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: {
        "service-level": { type: "string" },
        "review-days": { type: "string" },
        "ordering-cost": { type: "string" },
        "holding-rate": { type: "string" },
      },
      allowPositionals: true,
    });
    printJson(
      context.stdout,
      await productFor(context, positionals[0]).advice({
        ...(values["service-level"] !== undefined && { serviceLevel: Number(values["service-level"]) }),
        ...(values["review-days"] !== undefined && { reviewPeriodDays: Number(values["review-days"]) }),
        ...(values["ordering-cost"] !== undefined && { orderingCost: values["ordering-cost"] }),
        ...(values["holding-rate"] !== undefined && { holdingCostRate: Number(values["holding-rate"]) }),
      }),
    );
    return 0;
  },
};

export const bestPriceCommand: Command = {
  name: "best-price",
  summary: "show the lowest current in-stock price across a product's sources",
  usage: "procure best-price <product-id>",
  async run(args, context) {
    printJson(context.stdout, await productFor(context, args[0]).bestPrice());
    return 0;
  },
};
