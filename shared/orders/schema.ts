/** Wire types of purchase orders as Effect Schemas: creating, deciding, editing, receiving, suppliers. */
import { Schema } from "effect";
import { identifier } from "../ids/index.ts";
import { CurrencyCode, DecimalAmount } from "../money/index.ts";

export const OrderId = identifier("an order id");
export const ReceiptId = identifier("a receipt id");
export const SupplierId = Schema.String.pipe(
  Schema.trimmed({ message: () => "remove leading and trailing spaces" }),
  Schema.length({ min: 1, max: 100 }, { message: () => "a supplier is 1-100 characters" }),
);

const Quantity = Schema.Number.pipe(
  Schema.int({ message: () => "expected a whole number" }),
  Schema.nonNegative({ message: () => "expected a number >= 0" }),
);

export const LineQuantity = Schema.Struct({
  sku: Schema.String.pipe(Schema.minLength(1)),
  quantity: Quantity,
});
const Lines = Schema.Array(LineQuantity).pipe(
  Schema.minItems(1, { message: () => "give at least one line" }),
  Schema.maxItems(5000),
);

export const OrderStatus = Schema.Literal(
  "awaiting_approval",
  "approved",
  "sent",
  "delivery_failed",
  "partially_received",
  "received",
  "rejected",
  "expired",
);
export type OrderStatus = typeof OrderStatus.Type;

/** Orders still to come in: their outstanding quantities count as on order. */
export const openStatuses: readonly OrderStatus[] = [
  "awaiting_approval",
  "approved",
  "sent",
  "delivery_failed",
  "partially_received",
];

const Budget = Schema.Struct({ amount: DecimalAmount, currency: CurrencyCode });

/** Body of `purchasing/create`: an analysis's buy-now recommendations, or lines given by hand. */
export const CreateOrdersInput = Schema.Struct({
  analysisId: Schema.optionalWith(identifier("an analysis id"), { exact: true }),
  lines: Schema.optionalWith(Lines, { exact: true }),
  budget: Schema.optionalWith(Budget, { exact: true }),
  /** Seconds the orders wait for a decision before they expire (default ORDER_APPROVAL_TIMEOUT_SECONDS). */
  approvalTimeoutSeconds: Schema.optionalWith(
    Schema.Number.pipe(Schema.int(), Schema.between(1, 366 * 24 * 3600)),
    { exact: true },
  ),
  /** Prefix of the new order ids (default PO-<date>-<random>); each order adds -1, -2, ... */
  idPrefix: Schema.optionalWith(identifier("an order id prefix").pipe(Schema.maxLength(56)), { exact: true }),
});
export type CreateOrdersInput = typeof CreateOrdersInput.Type;

const Actor = Schema.optionalWith(Schema.String.pipe(Schema.length({ min: 1, max: 100 })), { exact: true });
const Note = Schema.optionalWith(Schema.String.pipe(Schema.maxLength(500)), { exact: true });

export const ApproveInput = Schema.Struct({
  by: Actor,
  note: Note,
  lines: Schema.optionalWith(Lines, { exact: true }),
});
export type ApproveInput = typeof ApproveInput.Type;

export const RejectInput = Schema.Struct({ by: Actor, note: Note });
export type RejectInput = typeof RejectInput.Type;

export const EditInput = Schema.Struct({ by: Actor, lines: Lines });
export type EditInput = typeof EditInput.Type;

export const ReceiveInput = Schema.Struct({
  /** Names this receipt: receiving the same id again changes nothing. */
  receiptId: Schema.optionalWith(ReceiptId, { exact: true }),
  /** Quantities received; everything outstanding when left out. */
  lines: Schema.optionalWith(Lines, { exact: true }),
  by: Actor,
});
export type ReceiveInput = typeof ReceiveInput.Type;

export const SupplierInput = Schema.Struct({
  id: SupplierId,
  webhookUrl: Schema.optionalWith(Schema.NullOr(Schema.String.pipe(Schema.pattern(/^https?:\/\/\S+$/))), {
    exact: true,
  }),
  /** HMAC key the supplier verifies the webhook signature with (16+ characters). */
  webhookSecret: Schema.optionalWith(Schema.NullOr(Schema.String.pipe(Schema.minLength(16))), {
    exact: true,
  }),
  email: Schema.optionalWith(Schema.NullOr(Schema.String.pipe(Schema.pattern(/^[^@\s]+@[^@\s]+$/))), {
    exact: true,
  }),
});
export type SupplierInput = typeof SupplierInput.Type;

export const StockReceiptInput = Schema.Struct({
  receiptId: Schema.String.pipe(Schema.length({ min: 1, max: 200 })),
  quantity: Quantity.pipe(Schema.positive()),
});
export type StockReceiptInput = typeof StockReceiptInput.Type;

/** Input of `order/{id}/run`: one planned order (see shared/orders/plan.ts), started by `purchasing/create`. */
export const OrderDraft = Schema.Struct({
  supplier: SupplierId,
  currency: CurrencyCode,
  analysisId: Schema.NullOr(Schema.String),
  approvalTimeoutSeconds: Schema.Number.pipe(Schema.positive()),
  lines: Schema.Array(
    Schema.Struct({
      productId: Schema.String,
      sku: Schema.String,
      quantity: Quantity,
      unitPrice: Schema.NullOr(DecimalAmount),
      priceSource: Schema.NullOr(Schema.String),
      lineTotal: Schema.NullOr(Schema.String),
    }),
  ).pipe(Schema.minItems(1)),
});
export type OrderDraft = typeof OrderDraft.Type;
