/** `procure create|update|show|stock`: the everyday product calls. */
import { parseArgs } from "node:util";
import type { ProductObject } from "../../product/index.ts";
import { UsageError, type Command, type CommandContext } from "../command.ts";
import { printOutput } from "../output.ts";

export function productFor(context: CommandContext, id: string | undefined) {
  if (!id) throw new UsageError("missing the product id");
  return context.ingress.objectClient<ProductObject>({ name: "product" }, id);
}

const profileOptions = {
  name: { type: "string" },
  sku: { type: "string" },
  category: { type: "string" },
  "sub-category": { type: "string" },
  "lead-time": { type: "string" },
  "unit-cost": { type: "string" },
  currency: { type: "string" },
  stock: { type: "string" },
} as const;

function wholeNumber(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`--${flag} must be a whole number, got "${value}"`);
  return Number(value);
}

function upsertCommand(name: "create" | "update", summary: string): Command {
  return {
    name,
    summary,
    usage: `procure ${name} <product-id> [--name N] [--sku S] [--category C] [--sub-category C] [--lead-time DAYS] [--unit-cost 12.50] [--currency BRL] [--stock N]`,
    async run(args, context) {
      const { values, positionals } = parseArgs({
        args: [...args],
        options: profileOptions,
        allowPositionals: true,
      });
      const input = {
        ...(values.name !== undefined && { name: values.name }),
        ...(values.sku !== undefined && { sku: values.sku }),
        ...(values.category !== undefined && { category: values.category }),
        ...(values["sub-category"] !== undefined && { subCategory: values["sub-category"] }),
        ...(values["unit-cost"] !== undefined && { unitCost: values["unit-cost"] }),
        ...(values.currency !== undefined && { currency: values.currency }),
      };
      const leadTimeDays = wholeNumber("lead-time", values["lead-time"]);
      const stock = wholeNumber("stock", values.stock);
      printOutput(
        context,
        await productFor(context, positionals[0]).upsert({
          ...input,
          ...(leadTimeDays !== undefined && { leadTimeDays }),
          ...(stock !== undefined && { stock }),
        }),
      );
      return 0;
    },
  };
}

export const createCommand = upsertCommand("create", "create a product (or update it if it exists)");
export const updateCommand = upsertCommand("update", "change some fields of a product");

export const showCommand: Command = {
  name: "show",
  summary: "show a product's status",
  usage: "procure show <product-id>",
  async run(args, context) {
    printOutput(context, await productFor(context, args[0]).status());
    return 0;
  },
};

export const stockCommand: Command = {
  name: "stock",
  summary: "set a product's stock on hand",
  usage: "procure stock <product-id> <quantity>",
  async run(args, context) {
    const stock = wholeNumber("quantity", args[1]);
    if (stock === undefined) throw new UsageError("missing the quantity");
    printOutput(context, await productFor(context, args[0]).setStock({ stock }));
    return 0;
  },
};
