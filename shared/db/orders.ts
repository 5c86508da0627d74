/**
 * Purchase orders in Postgres: suppliers, orders with lines, their timeline, receipts, and the
 * stock receipts that raise a product's stock. Every write is idempotent — a replayed workflow
 * step (same order id, event key or receipt id) changes nothing — and every status change is a
 * guarded update, so two people deciding at once cannot both win.
 */
import { formatFixed4, parseFixed4 } from "../money/index.ts";
import {
  acceptReceipt,
  editedQuantities,
  type LineQuantity,
  type OrderLine,
  type ProductQuantity,
} from "../orders/lines.ts";
import type { PlannedLine } from "../orders/plan.ts";
import { openStatuses, type OrderStatus } from "../orders/schema.ts";
import type { Database, Transaction } from "./connection.ts";

export interface Supplier {
  readonly id: string;
  readonly webhookUrl: string | null;
  readonly webhookSecret: string | null;
  readonly email: string | null;
}

export async function saveSupplier(sql: Database, supplier: Supplier): Promise<Supplier> {
  const [row] = await sql<Supplier[]>`
    insert into suppliers (id, webhook_url, webhook_secret, email)
    values (${supplier.id}, ${supplier.webhookUrl}, ${supplier.webhookSecret}, ${supplier.email})
    on conflict (id) do update set webhook_url = excluded.webhook_url, webhook_secret = excluded.webhook_secret,
      email = excluded.email, updated_at = now()
    returning id, webhook_url, webhook_secret, email`;
  return row!;
}

export async function findSupplier(sql: Database, id: string): Promise<Supplier | undefined> {
  const [row] = await sql<
    Supplier[]
  >`select id, webhook_url, webhook_secret, email from suppliers where id = ${id}`;
  return row;
}

/** What ordering a product needs to know: its supplier, pack size, minimum order and catalogue cost. */
export interface OrderingProfile {
  readonly id: string;
  readonly sku: string;
  readonly name: string;
  readonly supplier: string | null;
  readonly minOrderQty: number | null;
  readonly packSize: number | null;
  readonly unitCost: string | null;
  readonly currency: string;
}

/** The products named by id or by SKU (either matches). */
export async function orderingProfiles(sql: Database, keys: readonly string[]): Promise<OrderingProfile[]> {
  if (keys.length === 0) return [];
  return sql<OrderingProfile[]>`
    select id, sku, name, supplier, min_order_qty, pack_size, unit_cost::text as unit_cost, currency
    from products where id = any(${sql.array([...keys])}) or sku = any(${sql.array([...keys])})`;
}

export interface NewOrder {
  readonly id: string;
  readonly supplier: string;
  readonly currency: string;
  readonly analysisId: string | null;
  readonly lines: readonly PlannedLine[];
  readonly createdAt: string;
  readonly expiresAt: string | null;
}

async function addEvent(
  tx: Transaction | Database,
  orderId: string,
  event: { readonly key: string; readonly kind: string; readonly at: string; readonly detail?: object },
): Promise<void> {
  await tx`
    insert into purchase_order_events (order_id, event_key, kind, detail, at)
    values (${orderId}, ${event.key}, ${event.kind}, ${tx.json((event.detail ?? {}) as never)}, ${event.at})
    on conflict (order_id, event_key) do nothing`;
}

/** An analysis whose recommendations were already turned into orders. */
export class AnalysisOrderedError extends Error {
  override readonly name = "AnalysisOrderedError";
}

async function insertOrder(tx: Transaction, order: NewOrder): Promise<void> {
  const created = await tx`
    insert into purchase_orders (id, supplier, currency, status, analysis_id, created_at, expires_at)
    values (${order.id}, ${order.supplier}, ${order.currency}, 'awaiting_approval', ${order.analysisId},
            ${order.createdAt}, ${order.expiresAt})
    on conflict (id) do nothing returning id`;
  if (created.length === 0) return;
  const rows = order.lines.map((line) => ({
    order_id: order.id,
    product_id: line.productId,
    sku: line.sku,
    quantity: line.quantity,
    unit_price: line.unitPrice,
    price_source: line.priceSource,
  }));
  await tx`insert into purchase_order_lines ${tx(rows)}`;
  await addEvent(tx, order.id, {
    key: "created",
    kind: "created",
    at: order.createdAt,
    detail: { lines: order.lines.length, analysisId: order.analysisId, expiresAt: order.expiresAt },
  });
}

/**
 * Records new orders all-or-nothing (again: nothing changes). Orders from an analysis are created
 * once: another set of orders for the same analysis is refused, even when both are made at once.
 */
export async function insertOrders(sql: Database, orders: readonly NewOrder[]): Promise<void> {
  await sql.begin(async (tx) => {
    for (const analysisId of new Set(orders.flatMap((order) => order.analysisId ?? []))) {
      await tx`select pg_advisory_xact_lock(hashtext(${`orders-of-${analysisId}`}))`;
      const others = await tx<{ id: string }[]>`
        select id from purchase_orders where analysis_id = ${analysisId}
          and not (id = any(${tx.array(orders.map((order) => order.id))})) order by id`;
      if (others.length > 0)
        throw new AnalysisOrderedError(
          `analysis "${analysisId}" already has orders: ${others.map((row) => row.id).join(", ")}`,
        );
    }
    for (const order of orders) await insertOrder(tx, order);
  });
}

/** Records one order unless it exists (as the workflow does, whoever started it); no analysis check. */
export async function ensureOrder(sql: Database, order: NewOrder): Promise<void> {
  await sql.begin((tx) => insertOrder(tx, order));
}

export interface OrderLineRecord extends OrderLine {
  readonly name: string;
  readonly unitPrice: string | null;
  readonly priceSource: string | null;
  readonly lineTotal: string | null;
}

export interface OrderEvent {
  readonly kind: string;
  readonly at: string;
  readonly detail: Record<string, unknown>;
}

export interface OrderSummary {
  readonly id: string;
  readonly supplier: string;
  readonly currency: string;
  readonly status: OrderStatus;
  readonly analysisId: string | null;
  readonly channel: "webhook" | "email" | null;
  readonly deliveryId: string | null;
  readonly decidedBy: string | null;
  readonly decisionNote: string | null;
  readonly error: string | null;
  readonly total: string;
  readonly lineCount: number;
  readonly createdAt: string;
  readonly expiresAt: string | null;
  readonly decidedAt: string | null;
  readonly sentAt: string | null;
  readonly closedAt: string | null;
}

export interface OrderRecord extends OrderSummary {
  readonly lines: readonly OrderLineRecord[];
  readonly events: readonly OrderEvent[];
}

const iso = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const summaryColumns = (sql: Database | Transaction) =>
  sql.unsafe(`
  o.id, o.supplier, o.currency, o.status, o.analysis_id, o.channel, o.delivery_id, o.decided_by, o.decision_note,
  o.error, ${iso("o.created_at")} as created_at, ${iso("o.expires_at")} as expires_at,
  ${iso("o.decided_at")} as decided_at, ${iso("o.sent_at")} as sent_at, ${iso("o.closed_at")} as closed_at,
  (select coalesce(sum(l.quantity * l.unit_price), 0)::numeric(16, 4)::text from purchase_order_lines l
    where l.order_id = o.id) as total,
  (select count(*)::int from purchase_order_lines l where l.order_id = o.id and l.quantity > 0) as line_count`);

/** numeric text as an amount with 2-4 decimals ("79.6000" → "79.60"). */
function amount(text: string): string;
function amount(text: string | null): string | null;
function amount(text: string | null): string | null {
  if (text === null) return null;
  const value = parseFixed4(text);
  return value === undefined ? text : formatFixed4(value);
}

function summaryOf(row: OrderSummary): OrderSummary {
  return { ...row, total: amount(row.total) };
}

async function orderLines(sql: Database | Transaction, id: string): Promise<OrderLineRecord[]> {
  const rows = await sql<OrderLineRecord[]>`
    select l.product_id, l.sku, p.name, l.quantity, l.received, p.min_order_qty as minimum_order_quantity,
      p.pack_size, l.unit_price::text as unit_price, l.price_source,
      (l.quantity * l.unit_price)::numeric(16, 4)::text as line_total
    from purchase_order_lines l join products p on p.id = l.product_id
    where l.order_id = ${id} order by l.sku`;
  return rows.map((row) => ({ ...row, unitPrice: amount(row.unitPrice), lineTotal: amount(row.lineTotal) }));
}

export async function findOrder(sql: Database, id: string): Promise<OrderRecord | undefined> {
  const [summary] = await sql<
    OrderSummary[]
  >`select ${summaryColumns(sql)} from purchase_orders o where o.id = ${id}`;
  if (summary === undefined) return undefined;
  const events = await sql<OrderEvent[]>`
    select kind, ${sql.unsafe(iso("at"))} as at, detail from purchase_order_events
    where order_id = ${id} order by at, id`;
  return { ...summaryOf(summary), lines: await orderLines(sql, id), events };
}

export async function listOrders(
  sql: Database,
  options: { readonly status?: OrderStatus; readonly productId?: string; readonly limit: number },
): Promise<OrderSummary[]> {
  const status = options.status ?? null;
  const productId = options.productId ?? null;
  const rows = await sql<OrderSummary[]>`
    select ${summaryColumns(sql)} from purchase_orders o
    where (${status}::text is null or o.status = ${status})
      and (${productId}::text is null or exists (
        select 1 from purchase_order_lines l where l.order_id = o.id and l.product_id = ${productId}))
    order by o.created_at desc, o.id limit ${options.limit}`;
  return rows.map(summaryOf);
}

/** Units of each product ordered and not yet received, over every open order. */
export async function openOrderQuantities(
  sql: Database,
  productIds?: readonly string[],
): Promise<Map<string, number>> {
  const ids = productIds === undefined ? null : sql.array([...productIds]);
  const rows = await sql<{ productId: string; onOrder: number }[]>`
    select l.product_id, sum(greatest(l.quantity - l.received, 0))::int as on_order
    from purchase_order_lines l join purchase_orders o on o.id = l.order_id
    where o.status = any(${sql.array([...openStatuses])}) and (${ids}::text[] is null or l.product_id = any(${ids}))
    group by l.product_id`;
  return new Map(rows.map((row) => [row.productId, row.onOrder]));
}

export async function openOrderQuantity(sql: Database, productId: string): Promise<number> {
  return (await openOrderQuantities(sql, [productId])).get(productId) ?? 0;
}

/** A status change refused because the order is not in a state that allows it. */
export class OrderStateError extends Error {
  override readonly name = "OrderStateError";
}

export class OrderNotFoundError extends Error {
  override readonly name = "OrderNotFoundError";
}

async function lockOrder(tx: Transaction, id: string): Promise<{ status: OrderStatus }> {
  const [row] = await tx<
    { status: OrderStatus }[]
  >`select status from purchase_orders where id = ${id} for update`;
  if (row === undefined) throw new OrderNotFoundError(`order "${id}" does not exist`);
  return row;
}

async function setQuantities(
  tx: Transaction,
  id: string,
  quantities: readonly ProductQuantity[],
): Promise<void> {
  for (const line of quantities)
    await tx`update purchase_order_lines set quantity = ${line.quantity} where order_id = ${id} and product_id = ${line.productId}`;
}

export interface Decision {
  readonly kind: "approved" | "rejected" | "expired";
  readonly by: string | null;
  readonly note: string | null;
  readonly at: string;
  /** Quantities changed together with an approval. */
  readonly edits?: readonly LineQuantity[];
}

/**
 * Approves, rejects or expires an order still awaiting approval; false when it is not (any more).
 * Applying the same decision twice (a replayed step) answers true again.
 */
export async function decideOrder(
  sql: Database,
  id: string,
  decision: Decision,
): Promise<{ applied: boolean; status: OrderStatus }> {
  return sql.begin(async (tx) => {
    const { status } = await lockOrder(tx, id);
    if (status !== "awaiting_approval") return { applied: status === decision.kind, status };
    if (decision.edits !== undefined)
      await setQuantities(tx, id, editedQuantities(await orderLines(tx, id), decision.edits));
    await tx`
      update purchase_orders set status = ${decision.kind}, decided_by = ${decision.by}, decision_note = ${decision.note},
        decided_at = ${decision.at}, closed_at = ${decision.kind === "approved" ? null : decision.at}
      where id = ${id}`;
    await addEvent(tx, id, {
      key: decision.kind,
      kind: decision.kind,
      at: decision.at,
      detail: { by: decision.by, note: decision.note, ...(decision.edits && { edits: decision.edits }) },
    });
    return { applied: true, status: decision.kind };
  });
}

/** Changes quantities of an order awaiting approval. */
export async function editOrder(
  sql: Database,
  id: string,
  edit: {
    readonly lines: readonly LineQuantity[];
    readonly by: string | null;
    readonly at: string;
    readonly key: string;
  },
): Promise<void> {
  await sql.begin(async (tx) => {
    const { status } = await lockOrder(tx, id);
    if (status !== "awaiting_approval")
      throw new OrderStateError(`order "${id}" is ${status}: only an order awaiting approval can be edited`);
    await setQuantities(tx, id, editedQuantities(await orderLines(tx, id), edit.lines));
    await addEvent(tx, id, {
      key: edit.key,
      kind: "edited",
      at: edit.at,
      detail: { by: edit.by, lines: edit.lines },
    });
  });
}

export async function recordDelivery(
  sql: Database,
  id: string,
  delivery:
    | {
        readonly outcome: "sent";
        readonly channel: "webhook" | "email";
        readonly deliveryId: string;
        readonly at: string;
        readonly detail: object;
      }
    | {
        readonly outcome: "failed";
        readonly channel: "webhook" | "email" | null;
        readonly error: string;
        readonly at: string;
      },
): Promise<void> {
  await sql.begin(async (tx) => {
    if (delivery.outcome === "sent") {
      await tx`
        update purchase_orders set status = 'sent', channel = ${delivery.channel}, delivery_id = ${delivery.deliveryId},
          sent_at = ${delivery.at}, error = null
        where id = ${id} and status = 'approved'`;
      await addEvent(tx, id, {
        key: "sent",
        kind: "sent",
        at: delivery.at,
        detail: { channel: delivery.channel, deliveryId: delivery.deliveryId, ...delivery.detail },
      });
    } else {
      await tx`
        update purchase_orders set status = 'delivery_failed', channel = ${delivery.channel}, error = ${delivery.error}
        where id = ${id} and status = 'approved'`;
      await addEvent(tx, id, {
        key: "delivery_failed",
        kind: "delivery_failed",
        at: delivery.at,
        detail: { error: delivery.error },
      });
    }
  });
}

export interface RecordedReceipt {
  readonly accepted: readonly ProductQuantity[];
  readonly status: OrderStatus;
}

/**
 * Records a receipt against an order that was sent: checks it against what is outstanding, adds
 * the received quantities and closes the order when everything has arrived. The same receipt id
 * again answers what it recorded the first time.
 */
export async function recordReceipt(
  sql: Database,
  id: string,
  receipt: {
    readonly receiptId: string;
    readonly lines?: readonly LineQuantity[];
    readonly by: string | null;
    readonly at: string;
  },
): Promise<RecordedReceipt> {
  return sql.begin(async (tx) => {
    const { status } = await lockOrder(tx, id);
    const earlier = await tx<ProductQuantity[]>`
      select r.product_id, l.sku, r.quantity from purchase_order_receipts r
      join purchase_order_lines l on l.order_id = r.order_id and l.product_id = r.product_id
      where r.order_id = ${id} and r.receipt_id = ${receipt.receiptId} order by l.sku`;
    if (earlier.length > 0) return { accepted: earlier, status };
    if (!["sent", "partially_received", "delivery_failed"].includes(status))
      throw new OrderStateError(`order "${id}" is ${status}: goods can be received once it is sent`);
    const outcome = acceptReceipt(await orderLines(tx, id), receipt.lines);
    for (const line of outcome.accepted) {
      await tx`
        insert into purchase_order_receipts (order_id, receipt_id, product_id, quantity, received_at)
        values (${id}, ${receipt.receiptId}, ${line.productId}, ${line.quantity}, ${receipt.at})`;
      await tx`update purchase_order_lines set received = received + ${line.quantity} where order_id = ${id} and product_id = ${line.productId}`;
    }
    const next: OrderStatus = outcome.complete ? "received" : "partially_received";
    await tx`update purchase_orders set status = ${next}, closed_at = ${outcome.complete ? receipt.at : null} where id = ${id}`;
    await addEvent(tx, id, {
      key: `receipt:${receipt.receiptId}`,
      kind: outcome.complete ? "received" : "partially_received",
      at: receipt.at,
      detail: { receiptId: receipt.receiptId, by: receipt.by, lines: outcome.accepted },
    });
    return { accepted: outcome.accepted, status: next };
  });
}

/** Raises a product's stock by a receipt's quantity, once per receipt id; answers the stock after it. */
export async function applyStockReceipt(
  sql: Database,
  receipt: { readonly receiptId: string; readonly productId: string; readonly quantity: number },
): Promise<number | undefined> {
  return sql.begin(async (tx) => {
    const inserted = await tx`
      insert into stock_receipts (receipt_id, product_id, quantity)
      select ${receipt.receiptId}, id, ${receipt.quantity} from products where id = ${receipt.productId}
      on conflict (receipt_id, product_id) do nothing returning receipt_id`;
    const [row] =
      inserted.length > 0
        ? await tx<{ stock: number }[]>`
            update products set stock = stock + ${receipt.quantity}, updated_at = now() where id = ${receipt.productId}
            returning stock`
        : await tx<{ stock: number }[]>`select stock from products where id = ${receipt.productId}`;
    return row?.stock;
  });
}
