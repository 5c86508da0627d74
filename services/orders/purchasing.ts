/**
 * The `purchasing` service: turns an analysis's buy-now recommendations, or lines given by hand,
 * into purchase orders (shared/orders/plan.ts: pack sizes, minimum orders, budget, one order per
 * supplier) and starts one `order` workflow per order; keeps suppliers' delivery channels; lists orders.
 */
import * as restate from "@restatedev/restate-sdk";
import { Schema } from "effect";
import { bestQuote } from "../../shared/catalog/best-price.ts";
import { findAnalysis } from "../../shared/db/analyses.ts";
import {
  findSupplier,
  listOrders,
  orderingProfiles,
  insertOrders,
  saveSupplier,
  type OrderingProfile,
  type OrderSummary,
  type Supplier,
} from "../../shared/db/orders.ts";
import { latestObservations } from "../../shared/db/prices.ts";
import { planOrders, type Candidate, type DroppedLine, type PlannedOrder } from "../../shared/orders/plan.ts";
import { CreateOrdersInput, OrderStatus, SupplierInput } from "../../shared/orders/schema.ts";
import type { ServiceDependencies } from "../dependencies.ts";
import { ConflictError, InvalidRequestError, NotFoundError } from "../errors.ts";
import { schemaInput, serviceOptions } from "../options.ts";
import type { ServiceName } from "../registry.ts";
import { orderWorkflowName, type OrderWorkflow } from "./workflow.ts";

export const purchasingServiceName = "purchasing" satisfies ServiceName;

export interface CreatedOrder extends PlannedOrder {
  readonly orderId: string;
}

export interface CreateOrdersResult {
  readonly orders: readonly CreatedOrder[];
  readonly dropped: readonly DroppedLine[];
}

const ListInput = Schema.Struct({
  status: Schema.optionalWith(OrderStatus, { exact: true }),
  productId: Schema.optionalWith(Schema.String, { exact: true }),
  limit: Schema.optionalWith(Schema.Number.pipe(Schema.int(), Schema.between(1, 500)), { exact: true }),
});
type ListInput = typeof ListInput.Type;

/** A supplier as shown back: whether a webhook secret is set, never the secret itself. */
export interface SupplierView {
  readonly id: string;
  readonly webhookUrl: string | null;
  readonly webhookSecretSet: boolean;
  readonly email: string | null;
}

function viewOf(supplier: Supplier): SupplierView {
  return {
    id: supplier.id,
    webhookUrl: supplier.webhookUrl,
    webhookSecretSet: supplier.webhookSecret !== null,
    email: supplier.email,
  };
}

function profileFor(profiles: readonly OrderingProfile[], key: string): OrderingProfile | undefined {
  return profiles.find((profile) => profile.id === key) ?? profiles.find((profile) => profile.sku === key);
}

function candidateOf(
  profile: OrderingProfile,
  quantity: number,
  price: { amount: string; currency: string; source: string | null } | null,
  moneyAtStake: string | null,
): Candidate {
  return {
    productId: profile.id,
    sku: profile.sku,
    quantity,
    unitPrice: price && { amount: price.amount, currency: price.currency },
    priceSource: price?.source ?? null,
    supplier: profile.supplier,
    currency: profile.currency,
    minimumOrderQuantity: profile.minOrderQty,
    packSize: profile.packSize,
    moneyAtStake,
  };
}

export function createPurchasingService(deps: ServiceDependencies) {
  const { db, config } = deps;

  /** The analysis's buy-now recommendations as candidates, at the price the analysis found. */
  async function fromAnalysis(analysisId: string): Promise<Candidate[]> {
    const analysis = await findAnalysis(db, analysisId);
    if (analysis === undefined) throw new NotFoundError(`analysis "${analysisId}" does not exist`);
    if (analysis.report === null)
      throw new ConflictError(
        `analysis "${analysisId}" is ${analysis.status}: it has no recommendations yet`,
      );
    const buys = analysis.report.recommendations.filter(
      (item) => item.action === "buy_now" && item.quantity > 0,
    );
    if (buys.length === 0)
      throw new ConflictError(`analysis "${analysisId}" recommends buying nothing: no order to create`);
    const profiles = await orderingProfiles(
      db,
      buys.map((item) => item.productId),
    );
    return buys.flatMap((item) => {
      const profile = profileFor(profiles, item.productId);
      if (profile === undefined) return [];
      // A catalogue cost has no source (sourceId null): such lines go to the product's supplier.
      const source = item.source?.sourceId == null ? null : item.source.label;
      const price = item.unitPrice && { ...item.unitPrice, source };
      return [candidateOf(profile, Math.ceil(item.quantity), price, item.expectedCost?.amount ?? null)];
    });
  }

  /** Lines given by hand, priced at the best current quote, else the catalogue unit cost. */
  async function fromLines(
    lines: NonNullable<CreateOrdersInput["lines"]>,
    nowMs: number,
  ): Promise<Candidate[]> {
    const profiles = await orderingProfiles(
      db,
      lines.map((line) => line.sku),
    );
    const unknown = lines
      .filter((line) => profileFor(profiles, line.sku) === undefined)
      .map((line) => line.sku);
    if (unknown.length > 0) throw new InvalidRequestError(`unknown products: ${unknown.join(", ")}`);
    return Promise.all(
      lines.map(async (line) => {
        const profile = profileFor(profiles, line.sku)!;
        const quote = bestQuote(await latestObservations(db, profile.id), profile.currency, nowMs);
        const price = quote
          ? { amount: quote.amount, currency: quote.currency, source: quote.label }
          : profile.unitCost !== null
            ? { amount: profile.unitCost, currency: profile.currency, source: null }
            : null;
        return candidateOf(profile, line.quantity, price, null);
      }),
    );
  }

  return restate.service({
    name: purchasingServiceName,
    handlers: {
      create: restate.handlers.handler(
        { input: schemaInput(CreateOrdersInput) },
        async (ctx: restate.Context, input: CreateOrdersInput): Promise<CreateOrdersResult> => {
          if ((input.analysisId === undefined) === (input.lines === undefined))
            throw new InvalidRequestError("give either analysisId or lines (not both)");
          const nowMs = await ctx.date.now();
          const plan = await ctx.run("plan orders", async () => {
            const candidates =
              input.analysisId !== undefined
                ? await fromAnalysis(input.analysisId)
                : await fromLines(input.lines ?? [], nowMs);
            return planOrders(candidates, input.budget);
          });
          if (plan.orders.length === 0)
            throw new ConflictError(
              `no order to create: ${plan.dropped.map((line) => `${line.sku} (${line.reason})`).join("; ")}`,
            );
          const stamp = new Date(nowMs).toISOString().slice(0, 10).replace(/-/g, "");
          const prefix =
            input.idPrefix ??
            `PO-${stamp}-${Math.floor(ctx.rand.random() * 0xffffff)
              .toString(16)
              .padStart(6, "0")}`;
          const orders = plan.orders.map((order, index) => ({ ...order, orderId: `${prefix}-${index + 1}` }));
          const analysisId = input.analysisId ?? null;
          const approvalTimeoutSeconds =
            input.approvalTimeoutSeconds ?? config.ORDER_APPROVAL_TIMEOUT_SECONDS;
          const expiresAt = new Date(nowMs + approvalTimeoutSeconds * 1000).toISOString();
          await ctx.run("record orders", () =>
            insertOrders(
              db,
              orders.map((order) => ({
                id: order.orderId,
                supplier: order.supplier,
                currency: order.currency,
                analysisId,
                lines: order.lines,
                createdAt: new Date(nowMs).toISOString(),
                expiresAt,
              })),
            ),
          );
          for (const order of orders) {
            ctx.workflowSendClient<OrderWorkflow>({ name: orderWorkflowName }, order.orderId).run({
              supplier: order.supplier,
              currency: order.currency,
              analysisId,
              approvalTimeoutSeconds,
              lines: order.lines,
            });
          }
          return { orders, dropped: plan.dropped };
        },
      ),

      list: restate.handlers.handler(
        { input: schemaInput(ListInput) },
        async (ctx: restate.Context, input: ListInput): Promise<OrderSummary[]> =>
          ctx.run("list orders", () =>
            listOrders(db, {
              limit: input.limit ?? 100,
              ...(input.status && { status: input.status }),
              ...(input.productId && { productId: input.productId }),
            }),
          ),
      ),

      setSupplier: restate.handlers.handler(
        { input: schemaInput(SupplierInput) },
        async (ctx: restate.Context, input: SupplierInput): Promise<SupplierView> =>
          ctx.run("save supplier", async () => {
            const current = await findSupplier(db, input.id);
            const merged: Supplier = {
              id: input.id,
              webhookUrl: input.webhookUrl === undefined ? (current?.webhookUrl ?? null) : input.webhookUrl,
              webhookSecret:
                input.webhookSecret === undefined ? (current?.webhookSecret ?? null) : input.webhookSecret,
              email: input.email === undefined ? (current?.email ?? null) : input.email,
            };
            if ((merged.webhookUrl === null) !== (merged.webhookSecret === null))
              throw new InvalidRequestError("a webhook needs both webhookUrl and webhookSecret");
            return viewOf(await saveSupplier(db, merged));
          }),
      ),
    },
    options: serviceOptions,
  });
}

export type PurchasingService = ReturnType<typeof createPurchasingService>;
