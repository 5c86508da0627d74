/**
 * The `alerts` service: alert rules (per product or global), the alerts feed, the portfolio's
 * realized forecast accuracy against what the backtests promised, and `deliver`, which posts one
 * alert event to one webhook — signed, retried durably with backoff, the same message on every
 * retry (its `webhook-id` lets the receiver drop a repeat), and recorded once.
 */
import * as restate from "@restatedev/restate-sdk";
import { Schema } from "effect";
import { calibrationTable, type CalibrationRow } from "../shared/accuracy/score.ts";
import { AlertEvent, AlertRuleInput, ruleThreshold } from "../shared/alerts/rules.ts";
import { classifyAbcXyz } from "../shared/inventory/index.ts";
import { scoredModels } from "../shared/db/accuracy.ts";
import {
  activeRules,
  addRule,
  alertById,
  listAlerts,
  recordDelivery,
  removeRule,
  type AlertRecord,
  type DeliveryOutcome,
  type StoredRule,
} from "../shared/db/alerts.ts";
import { findProduct } from "../shared/db/products.ts";
import { recentSalesValues } from "../shared/db/sales.ts";
import { ProductId } from "../shared/catalog/product.ts";
import { WebhookRejectedError, deliverWebhook } from "./delivery/webhook.ts";
import type { ServiceDependencies } from "./dependencies.ts";
import { NotFoundError } from "./errors.ts";
import { schemaInput, serviceOptions, stepRetries } from "./options.ts";
import type { ProductObject } from "./product/index.ts";

const RuleId = Schema.Struct({ ruleId: Schema.Number.pipe(Schema.int(), Schema.positive()) });
const ListRequest = Schema.Struct({
  productId: Schema.optionalWith(ProductId, { exact: true }),
  open: Schema.optionalWith(Schema.Boolean, { exact: true }),
  limit: Schema.optionalWith(Schema.Number.pipe(Schema.int(), Schema.between(1, 500)), { exact: true }),
});
const DeliverRequest = Schema.Struct({ alertId: Schema.String, event: AlertEvent, url: Schema.String });

/** The error code of a webhook's permanent rejection (a 4xx other than 408/429). */
const rejectedCode = 422;

export interface PortfolioAccuracy {
  readonly scoredModels: number;
  readonly calibration: CalibrationRow[];
}

async function portfolioAccuracy(deps: ServiceDependencies): Promise<PortfolioAccuracy> {
  const [models, values] = await Promise.all([scoredModels(deps.db), recentSalesValues(deps.db)]);
  const cvByProduct = new Map(models.map((model) => [model.productId, model.demandCv]));
  const valueByProduct = new Map(values.map((item) => [item.productId, Math.max(0, item.value)]));
  const classes = new Map(
    classifyAbcXyz(
      [...new Set([...valueByProduct.keys(), ...cvByProduct.keys()])].map((productId) => ({
        productId,
        annualValue: valueByProduct.get(productId) ?? 0,
        demandCv: cvByProduct.get(productId) ?? null,
      })),
    ).map((item) => [item.productId, item]),
  );
  return {
    scoredModels: models.length,
    calibration: calibrationTable(
      models.map((model) => ({
        abc: classes.get(model.productId)?.abc ?? "C",
        xyz: classes.get(model.productId)?.xyz ?? "Z",
        realized: model,
        backtest: model.metrics,
      })),
    ),
  };
}

async function postAlert(
  secret: string,
  message: { url: string; messageId: string; timestampSeconds: number; body: string },
): Promise<number> {
  try {
    return (await deliverWebhook({ ...message, secret })).status;
  } catch (error) {
    if (error instanceof WebhookRejectedError) {
      throw new restate.TerminalError(error.message, { errorCode: rejectedCode });
    }
    throw error;
  }
}

export function createAlertsService(deps: ServiceDependencies) {
  const secret = deps.config.ALERT_WEBHOOK_SECRET;
  // A failing webhook is retried with backoff for most of the invocation's retry window, then
  // recorded as failed (never left to the invocation's own retry limit).
  const deliveryRetries = stepRetries(deps.config, 0.8);
  if (deps.config.ALERT_WEBHOOK_URLS.length > 0 && secret === undefined) {
    throw new Error("ALERT_WEBHOOK_URLS is set but ALERT_WEBHOOK_SECRET is not: webhooks must be signed");
  }
  return restate.service({
    name: "alerts",
    handlers: {
      addRule: restate.handlers.handler(
        { input: schemaInput(AlertRuleInput) },
        async (ctx: restate.Context, input: AlertRuleInput): Promise<StoredRule> => {
          const productId = input.productId ?? null;
          const rule = await ctx.run("add rule", async () => {
            if (productId !== null && !(await findProduct(deps.db, productId))) {
              throw new NotFoundError(`product "${productId}" does not exist`);
            }
            return addRule(deps.db, { productId, kind: input.kind, threshold: ruleThreshold(input) });
          });
          // A product's new rule is checked at once; a global one at each product's next data change.
          if (productId !== null)
            ctx.objectSendClient<ProductObject>({ name: "product" }, productId).checkAlerts();
          return rule;
        },
      ),

      removeRule: restate.handlers.handler(
        { input: schemaInput(RuleId) },
        async (ctx: restate.Context, input: typeof RuleId.Type): Promise<StoredRule> => {
          const removed = await ctx.run(
            "remove rule",
            async () => (await removeRule(deps.db, input.ruleId)) ?? null,
          );
          if (removed === null) throw new NotFoundError(`there is no active alert rule ${input.ruleId}`);
          if (removed.productId !== null) {
            ctx.objectSendClient<ProductObject>({ name: "product" }, removed.productId).checkAlerts();
          }
          return removed;
        },
      ),

      rules: async (ctx: restate.Context): Promise<StoredRule[]> =>
        ctx.run("list rules", () => activeRules(deps.db)),

      list: restate.handlers.handler(
        { input: schemaInput(ListRequest) },
        async (ctx: restate.Context, request: typeof ListRequest.Type): Promise<AlertRecord[]> =>
          ctx.run("list alerts", () =>
            listAlerts(deps.db, {
              limit: request.limit ?? 100,
              ...(request.productId !== undefined && { productId: request.productId }),
              ...(request.open && { open: true }),
            }),
          ),
      ),

      accuracy: async (ctx: restate.Context): Promise<PortfolioAccuracy> =>
        ctx.run("portfolio accuracy", () => portfolioAccuracy(deps)),

      deliver: restate.handlers.handler(
        { input: schemaInput(DeliverRequest), ingressPrivate: true },
        async (
          ctx: restate.Context,
          request: typeof DeliverRequest.Type,
        ): Promise<DeliveryOutcome | null> => {
          if (secret === undefined) throw new restate.TerminalError("ALERT_WEBHOOK_SECRET is not set");
          const alert = await ctx.run(
            "load alert",
            async () => (await alertById(deps.db, request.alertId)) ?? null,
          );
          if (alert === null) return null;
          const now = await ctx.date.now();
          const { deliveries: _deliveries, ...data } = alert;
          const body = JSON.stringify({
            type: `alert.${request.event}`,
            timestamp: new Date(now).toISOString(),
            data,
          });
          const message = {
            url: request.url,
            messageId: `alert_${alert.id}_${request.event}`,
            timestampSeconds: Math.floor(now / 1000),
            body,
          };
          let result: Pick<DeliveryOutcome, "status" | "httpStatus" | "detail">;
          try {
            const httpStatus = await ctx.run(
              "post webhook",
              () => postAlert(secret, message),
              deliveryRetries,
            );
            result = { status: "delivered", httpStatus, detail: null };
          } catch (error) {
            if (!(error instanceof restate.TerminalError)) throw error;
            result = {
              status: error.code === rejectedCode ? "rejected" : "failed",
              httpStatus: null,
              detail: error.message,
            };
          }
          const outcome: DeliveryOutcome = {
            alertId: alert.id,
            event: request.event,
            url: request.url,
            ...result,
            finishedAt: new Date(await ctx.date.now()).toISOString(),
          };
          await ctx.run("record delivery", () => recordDelivery(deps.db, outcome));
          return outcome;
        },
      ),
    },
    options: serviceOptions,
  });
}

export type AlertsService = ReturnType<typeof createAlertsService>;
