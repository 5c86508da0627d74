/**
 * `procure order create|list|show|approve|reject|edit|receive` and `procure supplier`: purchase
 * orders from an analysis or by hand, the person's decision, receipts, and how suppliers take orders.
 */
import { randomBytes } from "node:crypto";
import { userInfo } from "node:os";
import { parseArgs } from "node:util";
import { Schema } from "effect";
import { OrderStatus } from "../../../shared/orders/schema.ts";
import type { PurchasingService } from "../../orders/purchasing.ts";
import type { OrderWorkflow } from "../../orders/workflow.ts";
import { UsageError, printJson, type Command, type CommandContext } from "../command.ts";

const orderUsage = [
  "procure order create (--analysis ANALYSIS-ID | --lines SKU=QTY,...) [--budget AMOUNT --currency USD] [--expires-in SECONDS] [--id PREFIX]",
  "       procure order list [--status STATUS] [--product PRODUCT-ID]",
  "       procure order show|approve|reject|edit|receive ORDER-ID",
  "         approve [--lines SKU=QTY,...] [--by NAME] [--note TEXT]   reject [--by NAME] [--note TEXT]",
  "         edit --lines SKU=QTY,...   receive [--lines SKU=QTY,...] [--receipt RECEIPT-ID]",
].join("\n");

/** `A=3,B=10` as order lines; every quantity a whole number. */
export function parseLines(text: string): { sku: string; quantity: number }[] {
  const lines = text
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item.length > 0)
    .map((item) => {
      const match = /^(.+)=(\d+)$/.exec(item);
      if (match === null) throw new UsageError(`--lines: "${item}" is not SKU=QUANTITY (a whole number)`);
      return { sku: match[1]!.trim(), quantity: Number(match[2]) };
    });
  if (lines.length === 0) throw new UsageError("--lines needs at least one SKU=QUANTITY");
  return lines;
}

function orderStatus(value: string): OrderStatus {
  if (!Schema.is(OrderStatus)(value))
    throw new UsageError(`--status must be one of ${OrderStatus.literals.join(", ")}, got "${value}"`);
  return value;
}

function wholeSeconds(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`--expires-in must be whole seconds, got "${value}"`);
  return Number(value);
}

const options = {
  analysis: { type: "string" },
  lines: { type: "string" },
  budget: { type: "string" },
  currency: { type: "string" },
  "expires-in": { type: "string" },
  id: { type: "string" },
  status: { type: "string" },
  product: { type: "string" },
  by: { type: "string" },
  note: { type: "string" },
  receipt: { type: "string" },
} as const;

function orderClient(context: CommandContext, id: string | undefined) {
  if (!id) throw new UsageError("missing the order id");
  return context.ingress.workflowClient<OrderWorkflow>({ name: "order" }, id);
}

export const orderCommand: Command = {
  name: "order",
  summary: "purchase orders: create from an analysis or by hand, approve/reject/edit, receive goods",
  usage: orderUsage,
  async run(args, context) {
    const { values, positionals } = parseArgs({ args: [...args], options, allowPositionals: true });
    const [action, id] = positionals;
    const purchasing = context.ingress.serviceClient<PurchasingService>({ name: "purchasing" });
    const by = values.by ?? userInfo().username;
    const lines = values.lines === undefined ? undefined : parseLines(values.lines);
    switch (action) {
      case "create": {
        if (values.budget !== undefined && values.currency === undefined)
          throw new UsageError("--budget needs --currency (e.g. --currency USD)");
        const approvalTimeoutSeconds = wholeSeconds(values["expires-in"]);
        printJson(
          context.stdout,
          await purchasing.create({
            ...(values.analysis !== undefined && { analysisId: values.analysis }),
            ...(lines !== undefined && { lines }),
            ...(values.budget !== undefined && {
              budget: { amount: values.budget, currency: values.currency ?? "" },
            }),
            ...(approvalTimeoutSeconds !== undefined && { approvalTimeoutSeconds }),
            ...(values.id !== undefined && { idPrefix: values.id }),
          }),
        );
        return 0;
      }
      case "list":
        printJson(
          context.stdout,
          await purchasing.list({
            ...(values.status !== undefined && { status: orderStatus(values.status) }),
            ...(values.product !== undefined && { productId: values.product }),
          }),
        );
        return 0;
      case "show":
        printJson(context.stdout, await orderClient(context, id).show());
        return 0;
      case "approve":
        printJson(
          context.stdout,
          await orderClient(context, id).approve({
            by,
            ...(values.note !== undefined && { note: values.note }),
            ...(lines !== undefined && { lines }),
          }),
        );
        return 0;
      case "reject":
        printJson(
          context.stdout,
          await orderClient(context, id).reject({
            by,
            ...(values.note !== undefined && { note: values.note }),
          }),
        );
        return 0;
      case "edit":
        if (lines === undefined) throw new UsageError("edit needs --lines SKU=QTY,...");
        printJson(context.stdout, await orderClient(context, id).edit({ by, lines }));
        return 0;
      case "receive":
        printJson(
          context.stdout,
          await orderClient(context, id).receive({
            by,
            receiptId: values.receipt ?? `receipt-${randomBytes(6).toString("hex")}`,
            ...(lines !== undefined && { lines }),
          }),
        );
        return 0;
      default:
        throw new UsageError(
          action === undefined ? "missing what to do with orders" : `unknown order action "${action}"`,
        );
    }
  },
};

export const supplierCommand: Command = {
  name: "supplier",
  summary: "set how a supplier takes orders: a signed webhook or an e-mail address",
  usage: "procure supplier <supplier> [--webhook URL --secret SECRET] [--email ADDRESS]",
  async run(args, context) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { webhook: { type: "string" }, secret: { type: "string" }, email: { type: "string" } },
      allowPositionals: true,
    });
    const id = positionals[0];
    if (id === undefined) throw new UsageError("missing the supplier");
    const purchasing = context.ingress.serviceClient<PurchasingService>({ name: "purchasing" });
    printJson(
      context.stdout,
      await purchasing.setSupplier({
        id,
        ...(values.webhook !== undefined && { webhookUrl: values.webhook }),
        ...(values.secret !== undefined && { webhookSecret: values.secret }),
        ...(values.email !== undefined && { email: values.email }),
      }),
    );
    return 0;
  },
};
