/**
 * Alerts, model history and forecast accountability from the command line: `procure alerts`
 * (the feed, and the rules), `procure model history|rollback` and `procure accuracy` (realized
 * accuracy against what the backtests promised, by ABC/XYZ class).
 */
import { parseArgs } from "node:util";
import type { AlertRuleInput } from "../../../shared/alerts/rules.ts";
import type { AlertsService } from "../../alerts.ts";
import { UsageError, printJson, type Command, type CommandContext } from "../command.ts";
import { productFor } from "./products.ts";

const alertsService = (context: CommandContext) =>
  context.ingress.serviceClient<AlertsService>({ name: "alerts" });

function numberFlag(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+(\.\d+)?$/.test(value)) throw new UsageError(`--${flag} must be a number, got "${value}"`);
  return Number(value);
}

function ruleInput(
  kind: string | undefined,
  values: Readonly<Record<string, string | boolean | undefined>>,
): AlertRuleInput {
  const text = (flag: string) => (typeof values[flag] === "string" ? values[flag] : undefined);
  const scope = text("product") !== undefined ? { productId: text("product")! } : {};
  const required = <T>(flag: string, value: T | undefined): T => {
    if (value === undefined) throw new UsageError(`a ${kind} rule needs --${flag}`);
    return value;
  };
  switch (kind) {
    case "price_at_or_below":
      return { ...scope, kind, target: required("target", text("target")) };
    case "price_drop":
      return { ...scope, kind, percent: required("percent", numberFlag("percent", text("percent"))) };
    case "stockout_risk":
      return {
        ...scope,
        kind,
        probability: required("probability", numberFlag("probability", text("probability"))),
      };
    case "drift": {
      const trackingSignal = numberFlag("tracking-signal", text("tracking-signal"));
      return { ...scope, kind, ...(trackingSignal !== undefined && { trackingSignal }) };
    }
    case "source_out_of_stock":
    case "cover_below_lead_time":
      return { ...scope, kind };
    default:
      throw new UsageError(
        `unknown rule kind "${kind ?? ""}": price_at_or_below, price_drop, source_out_of_stock, stockout_risk, cover_below_lead_time or drift`,
      );
  }
}

export const alertsCommand: Command = {
  name: "alerts",
  summary: "list alerts (newest first), or list, add and remove alert rules",
  usage:
    "procure alerts [--product ID] [--open] [--limit N] | procure alerts rules | procure alerts add <kind> [--product ID] [--target 89.90 | --percent 15 | --probability 0.2 | --tracking-signal 4] | procure alerts remove <rule-id>",
  async run(args, context) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: {
        product: { type: "string" },
        open: { type: "boolean" },
        limit: { type: "string" },
        target: { type: "string" },
        percent: { type: "string" },
        probability: { type: "string" },
        "tracking-signal": { type: "string" },
      },
      allowPositionals: true,
    });
    const [action = "list", argument] = positionals;
    const service = alertsService(context);
    if (action === "list") {
      const limit = numberFlag("limit", values.limit);
      printJson(
        context.stdout,
        await service.list({
          ...(values.product !== undefined && { productId: values.product }),
          ...(values.open && { open: true }),
          ...(limit !== undefined && { limit }),
        }),
      );
    } else if (action === "rules") printJson(context.stdout, await service.rules());
    else if (action === "add") printJson(context.stdout, await service.addRule(ruleInput(argument, values)));
    else if (action === "remove") {
      if (!argument || !/^\d+$/.test(argument)) throw new UsageError("missing the numeric rule id");
      printJson(context.stdout, await service.removeRule({ ruleId: Number(argument) }));
    } else throw new UsageError(`unknown action "${action}"`);
    return 0;
  },
};

export const modelCommand: Command = {
  name: "model",
  summary: "a product's model history with realized accuracy, or serve an earlier model again",
  usage: "procure model history <product-id> | procure model rollback <product-id> [version]",
  async run(args, context) {
    const [action, id, version] = args;
    const product = productFor(context, id);
    if (action === "history") printJson(context.stdout, await product.modelHistory());
    else if (action === "rollback") {
      if (version !== undefined && !/^\d+$/.test(version))
        throw new UsageError("the version is a whole number");
      printJson(
        context.stdout,
        await product.rollbackModel(version === undefined ? {} : { version: Number(version) }),
      );
    } else throw new UsageError('expected "history" or "rollback"');
    return 0;
  },
};

export const accuracyCommand: Command = {
  name: "accuracy",
  summary: "realized forecast accuracy and interval coverage against the backtests, by ABC/XYZ class",
  usage: "procure accuracy",
  async run(_args, context) {
    printJson(context.stdout, await alertsService(context).accuracy());
    return 0;
  },
};
