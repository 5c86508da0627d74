/**
 * What a person does to an order's lines (pure): edit quantities before approval (rounded to the
 * product's minimum order and pack size; 0 removes a line) and receive goods after it is sent
 * (partial receipts allowed, never more than is outstanding).
 */
import { OrderRuleError } from "./errors.ts";
import { orderableQuantity } from "./plan.ts";

export interface OrderLine {
  readonly productId: string;
  readonly sku: string;
  readonly quantity: number;
  readonly received: number;
  readonly minimumOrderQuantity: number | null;
  readonly packSize: number | null;
}

export interface LineQuantity {
  readonly sku: string;
  readonly quantity: number;
}

export interface ProductQuantity {
  readonly productId: string;
  readonly sku: string;
  readonly quantity: number;
}

function lineBySku(lines: readonly OrderLine[], sku: string): OrderLine {
  const line = lines.find((candidate) => candidate.sku === sku || candidate.productId === sku);
  if (line === undefined) throw new OrderRuleError(`"${sku}" is not a line of this order`);
  return line;
}

function distinct(requested: readonly LineQuantity[], lines: readonly OrderLine[]): Map<OrderLine, number> {
  const byLine = new Map<OrderLine, number>();
  for (const item of requested) {
    const line = lineBySku(lines, item.sku);
    if (byLine.has(line)) throw new OrderRuleError(`"${item.sku}" is given twice`);
    if (!Number.isSafeInteger(item.quantity) || item.quantity < 0)
      throw new OrderRuleError(`quantity of "${item.sku}" must be a whole number >= 0`);
    byLine.set(line, item.quantity);
  }
  return byLine;
}

/** The lines' new quantities (every line, in order); at least one line must keep a quantity. */
export function editedQuantities(
  lines: readonly OrderLine[],
  edits: readonly LineQuantity[],
): ProductQuantity[] {
  if (edits.length === 0) throw new OrderRuleError("an edit needs at least one line");
  const byLine = distinct(edits, lines);
  const result = lines.map((line) => {
    const wanted = byLine.get(line);
    return {
      productId: line.productId,
      sku: line.sku,
      quantity:
        wanted === undefined
          ? line.quantity
          : orderableQuantity(wanted, line.minimumOrderQuantity, line.packSize),
    };
  });
  if (result.every((line) => line.quantity === 0))
    throw new OrderRuleError("an edit cannot set every line to 0: reject the order instead");
  return result;
}

export interface ReceiptOutcome {
  /** The quantities this receipt adds, one entry per product received (none of 0). */
  readonly accepted: readonly ProductQuantity[];
  /** Every line is fully received once this receipt is counted. */
  readonly complete: boolean;
}

/** Accepts a receipt of the given lines, or of everything outstanding when none are given. */
export function acceptReceipt(
  lines: readonly OrderLine[],
  received?: readonly LineQuantity[],
): ReceiptOutcome {
  const outstanding = (line: OrderLine) => Math.max(0, line.quantity - line.received);
  const requested =
    received === undefined
      ? new Map(lines.map((line) => [line, outstanding(line)] as const))
      : distinct(received, lines);
  const accepted: ProductQuantity[] = [];
  for (const [line, quantity] of requested) {
    if (quantity > outstanding(line))
      throw new OrderRuleError(
        `"${line.sku}": ${quantity} received but only ${outstanding(line)} of ${line.quantity} outstanding`,
      );
    if (quantity > 0) accepted.push({ productId: line.productId, sku: line.sku, quantity });
  }
  if (accepted.length === 0)
    throw new OrderRuleError("nothing to receive: every quantity is 0 or already received");
  const complete = lines.every(
    (line) =>
      line.received + (accepted.find((item) => item.productId === line.productId)?.quantity ?? 0) >=
      line.quantity,
  );
  return { accepted, complete };
}
