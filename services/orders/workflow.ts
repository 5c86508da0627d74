/**
 * The `order` workflow, keyed by order id: one purchase order from creation to receipt.
 * `run` records the order, then waits for a person — a durable promise resolved by `approve` or
 * `reject`, raced with a durable timer that expires the order — and on approval sends it to the
 * supplier exactly once (signed webhook or e-mail, retried durably with the same message id),
 * then waits until `receive` has booked every line. The shared handlers change the order in
 * Postgres under a guarded status update, so a decision and the expiry cannot both win.
 */
import * as restate from "@restatedev/restate-sdk";
import {
  findOrder,
  findSupplier,
  decideOrder,
  editOrder,
  ensureOrder,
  recordDelivery,
  recordReceipt,
  type OrderRecord,
} from "../../shared/db/orders.ts";
import type { LineQuantity, ProductQuantity } from "../../shared/orders/lines.ts";
import { orderEmailSubject, orderEmailText, type OrderDocument } from "../../shared/orders/document.ts";
import {
  ApproveInput,
  EditInput,
  OrderDraft,
  OrderId,
  ReceiveInput,
  RejectInput,
  type OrderStatus,
} from "../../shared/orders/schema.ts";
import { deliverEmail, EmailRejectedError } from "../delivery/email.ts";
import { deliverWebhook, WebhookRejectedError } from "../delivery/webhook.ts";
import type { ServiceDependencies } from "../dependencies.ts";
import { ConflictError, NotFoundError } from "../errors.ts";
import { checkedKey, schemaInput, serviceOptions, stepRetries } from "../options.ts";
import type { ProductObject } from "../product/index.ts";
import { productObjectName, type ServiceName } from "../registry.ts";

export const orderWorkflowName = "order" satisfies ServiceName;

/** What the person decided; the promise `decision` carries it from `approve`/`reject` to `run`. */
type Decision = "approved" | "rejected";

export interface OrderOutcome {
  readonly orderId: string;
  readonly status: OrderStatus;
}

export interface ReceiptResult {
  readonly orderId: string;
  readonly receiptId: string;
  readonly status: OrderStatus;
  readonly received: readonly ProductQuantity[];
}

type Channel =
  | { readonly kind: "webhook"; readonly url: string }
  | { readonly kind: "email"; readonly to: string }
  | { readonly kind: "none"; readonly reason: string };

/** The order as sent: its message id and time come from the journal, so every attempt is identical. */
interface OutgoingOrder {
  readonly id: string;
  readonly timestampSeconds: number;
  readonly body: string;
  readonly document: OrderDocument;
}

function orderKey(ctx: { readonly key: string }): string {
  return checkedKey(ctx, OrderId, "order id");
}

function isoAt(ms: number): string {
  return new Date(ms).toISOString();
}

function documentOf(order: OrderRecord, approvedAt: string): OrderDocument {
  return {
    type: "purchase_order.approved",
    orderId: order.id,
    supplier: order.supplier,
    currency: order.currency,
    total: order.total,
    approvedAt,
    lines: order.lines
      .filter((line) => line.quantity > 0)
      .map((line) => ({
        sku: line.sku,
        name: line.name,
        quantity: line.quantity,
        unitPrice: line.unitPrice,
        lineTotal: line.lineTotal,
      })),
  };
}

async function loadOrder(deps: ServiceDependencies, id: string): Promise<OrderRecord> {
  const order = await findOrder(deps.db, id);
  if (order === undefined) throw new NotFoundError(`order "${id}" does not exist`);
  return order;
}

export function createOrderWorkflow(deps: ServiceDependencies) {
  const { db, config } = deps;

  /** Sends the approved order once per attempt; every attempt carries the same message id and body. */
  async function send(
    channel: Channel,
    message: { id: string; timestampSeconds: number; body: string; document: OrderDocument },
  ) {
    if (channel.kind === "webhook") {
      const supplier = await findSupplier(db, message.document.supplier);
      if (!supplier?.webhookUrl || !supplier.webhookSecret)
        throw new restate.TerminalError(`supplier "${message.document.supplier}" no longer has a webhook`);
      await deliverWebhook({
        url: supplier.webhookUrl,
        secret: supplier.webhookSecret,
        messageId: message.id,
        timestampSeconds: message.timestampSeconds,
        body: message.body,
      });
      return;
    }
    if (channel.kind === "email") {
      if (config.SMTP_URL === undefined)
        throw new restate.TerminalError("SMTP_URL is not set: cannot e-mail the order");
      await deliverEmail({
        smtpUrl: config.SMTP_URL,
        from: config.SMTP_FROM,
        to: channel.to,
        subject: orderEmailSubject(message.document),
        text: orderEmailText(message.document),
        messageId: message.id,
        attachment: { filename: `${message.document.orderId}.json`, json: message.body },
      });
    }
  }

  /**
   * Sends until the supplier takes the order, refuses it (a permanent 4xx / SMTP 5xx), or
   * ORDER_DELIVERY_GIVE_UP_HOURS have passed: each round is a step retried within the invocation's
   * retry window, then a durable pause (1 minute, doubling to an hour). Every attempt carries the
   * same message id, time and body. Answers null once delivered, else why it was not.
   */
  async function deliver(ctx: restate.WorkflowContext, channel: Channel, message: OutgoingOrder) {
    if (channel.kind === "none") return channel.reason;
    const startedMs = await ctx.date.now();
    for (let round = 1; ; round++) {
      const outcome = await ctx
        .run(
          `send order to supplier (round ${round})`,
          async () => {
            try {
              await send(channel, message);
              return { refused: null };
            } catch (failure) {
              if (failure instanceof WebhookRejectedError || failure instanceof EmailRejectedError)
                return { refused: failure.message };
              throw failure;
            }
          },
          stepRetries(config, 0.5),
        )
        .catch((failure: unknown) => {
          if (failure instanceof restate.TerminalError) return { failed: failure.message };
          throw failure;
        });
      if ("refused" in outcome) return outcome.refused;
      if ((await ctx.date.now()) - startedMs >= config.ORDER_DELIVERY_GIVE_UP_HOURS * 3_600_000)
        return `not delivered within ${config.ORDER_DELIVERY_GIVE_UP_HOURS} hours: ${outcome.failed}`;
      await ctx.sleep(Math.min(60_000 * 2 ** (round - 1), 3_600_000), `delivery pause ${round}`);
    }
  }

  /** Records a person's decision (if the order still awaits one) and hands it to `run`. */
  async function decide(
    ctx: restate.WorkflowSharedContext,
    kind: Decision,
    input: { readonly by?: string; readonly note?: string },
    edits?: readonly LineQuantity[],
  ): Promise<OrderOutcome> {
    const orderId = orderKey(ctx);
    const at = isoAt(await ctx.date.now());
    const decision = { kind, by: input.by ?? null, note: input.note ?? null, at, ...(edits && { edits }) };
    const result = await ctx.run(`record ${kind}`, () => decideOrder(db, orderId, decision));
    if (!result.applied)
      throw new ConflictError(`order "${orderId}" is ${result.status}: it can no longer be ${kind}`);
    await ctx.promise<Decision>("decision").resolve(kind);
    return { orderId, status: kind };
  }

  return restate.workflow({
    name: orderWorkflowName,
    handlers: {
      run: restate.handlers.workflow.workflow(
        { input: schemaInput(OrderDraft) },
        async (ctx: restate.WorkflowContext, draft: OrderDraft): Promise<OrderOutcome> => {
          const orderId = orderKey(ctx);
          const createdMs = await ctx.date.now();
          const timeoutMs = draft.approvalTimeoutSeconds * 1000;
          await ctx.run("record order", () =>
            ensureOrder(db, {
              id: orderId,
              ...draft,
              createdAt: isoAt(createdMs),
              expiresAt: isoAt(createdMs + timeoutMs),
            }),
          );

          const decision = ctx.promise<Decision>("decision");
          let decided = await restate.RestatePromise.race([
            decision.get(),
            ctx.sleep(timeoutMs, "approval deadline").map(() => "expired" as const),
          ]);
          if (decided === "expired") {
            const expiredAt = isoAt(await ctx.date.now());
            const expiry = await ctx.run("expire order", () =>
              decideOrder(db, orderId, {
                kind: "expired",
                by: null,
                note: "no decision before the deadline",
                at: expiredAt,
              }),
            );
            // A decision recorded just before the deadline wins; its promise is resolved right after.
            if (expiry.applied) return { orderId, status: "expired" };
            decided = await decision.get();
          }
          if (decided === "rejected") return { orderId, status: "rejected" };

          const approvedAt = isoAt(await ctx.date.now());
          const prepared = await ctx.run("prepare delivery", async () => {
            const order = await loadOrder(deps, orderId);
            const supplier = await findSupplier(db, order.supplier);
            const channel: Channel = supplier?.webhookUrl
              ? { kind: "webhook", url: supplier.webhookUrl }
              : supplier?.email
                ? { kind: "email", to: supplier.email }
                : { kind: "none", reason: `supplier "${order.supplier}" has no webhook or e-mail address` };
            return { channel, body: JSON.stringify(documentOf(order, approvedAt)) };
          });
          const message = {
            id: `po_${orderId}`,
            timestampSeconds: Math.floor((await ctx.date.now()) / 1000),
            body: prepared.body,
            document: JSON.parse(prepared.body) as OrderDocument,
          };
          const channel = prepared.channel;
          const error = await deliver(ctx, channel, message);
          const deliveredAt = isoAt(await ctx.date.now());
          const channelKind = channel.kind === "none" ? null : channel.kind;
          await ctx.run("record delivery", () =>
            error === null && channelKind !== null
              ? recordDelivery(db, orderId, {
                  outcome: "sent",
                  channel: channelKind,
                  deliveryId: message.id,
                  at: deliveredAt,
                  detail:
                    channel.kind === "webhook"
                      ? { host: new URL(channel.url).host }
                      : { to: channel.kind === "email" ? channel.to : null },
                })
              : recordDelivery(db, orderId, {
                  outcome: "failed",
                  channel: channelKind,
                  error: error ?? "not sent",
                  at: deliveredAt,
                }),
          );

          await ctx.promise<"received">("received").get();
          return { orderId, status: "received" };
        },
      ),

      approve: restate.handlers.workflow.shared(
        { input: schemaInput(ApproveInput) },
        async (ctx: restate.WorkflowSharedContext, input: ApproveInput): Promise<OrderOutcome> =>
          decide(ctx, "approved", input, input.lines),
      ),

      reject: restate.handlers.workflow.shared(
        { input: schemaInput(RejectInput) },
        async (ctx: restate.WorkflowSharedContext, input: RejectInput): Promise<OrderOutcome> =>
          decide(ctx, "rejected", input),
      ),

      edit: restate.handlers.workflow.shared(
        { input: schemaInput(EditInput) },
        async (ctx: restate.WorkflowSharedContext, input: EditInput): Promise<OrderRecord> => {
          const orderId = orderKey(ctx);
          const at = isoAt(await ctx.date.now());
          const key = `edit:${ctx.rand.uuidv4()}`;
          await ctx.run("record edit", () =>
            editOrder(db, orderId, { lines: input.lines, by: input.by ?? null, at, key }),
          );
          return ctx.run("load order", () => loadOrder(deps, orderId));
        },
      ),

      receive: restate.handlers.workflow.shared(
        { input: schemaInput(ReceiveInput) },
        async (ctx: restate.WorkflowSharedContext, input: ReceiveInput): Promise<ReceiptResult> => {
          const orderId = orderKey(ctx);
          const receiptId = input.receiptId ?? ctx.rand.uuidv4();
          const at = isoAt(await ctx.date.now());
          const receipt = await ctx.run("record receipt", () =>
            recordReceipt(db, orderId, {
              receiptId,
              by: input.by ?? null,
              at,
              ...(input.lines && { lines: input.lines }),
            }),
          );
          for (const line of receipt.accepted) {
            await ctx
              .objectClient<ProductObject>({ name: productObjectName }, line.productId)
              .receiveStock({ receiptId: `${orderId}/${receiptId}`, quantity: line.quantity });
          }
          // A repeated receipt finds the order already closed: the promise is resolved only once.
          const received = ctx.promise<"received">("received");
          if (receipt.status === "received" && (await received.peek()) === undefined)
            await received.resolve("received");
          return { orderId, receiptId, status: receipt.status, received: receipt.accepted };
        },
      ),

      show: restate.handlers.workflow.shared(
        async (ctx: restate.WorkflowSharedContext): Promise<OrderRecord> => {
          const orderId = orderKey(ctx);
          return ctx.run("load order", () => loadOrder(deps, orderId));
        },
      ),
    },
    options: serviceOptions,
  });
}

export type OrderWorkflow = ReturnType<typeof createOrderWorkflow>;
