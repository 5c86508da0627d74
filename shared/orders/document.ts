/**
 * The purchase order as the supplier receives it (pure): a JSON document for the webhook and the
 * e-mail attachment, and a plain-text e-mail body with the same lines and total.
 */
export interface OrderDocumentLine {
  readonly sku: string;
  readonly name: string;
  readonly quantity: number;
  readonly unitPrice: string | null;
  readonly lineTotal: string | null;
}

export interface OrderDocument {
  readonly type: "purchase_order.approved";
  readonly orderId: string;
  readonly supplier: string;
  readonly currency: string;
  readonly total: string;
  readonly approvedAt: string;
  readonly lines: readonly OrderDocumentLine[];
}

export function orderEmailSubject(document: OrderDocument): string {
  return `Purchase order ${document.orderId}`;
}

export function orderEmailText(document: OrderDocument): string {
  const rows = document.lines.map(
    (line) =>
      `${line.sku.padEnd(24)} ${String(line.quantity).padStart(8)}  ${(line.unitPrice ?? "—").padStart(12)}  ${(line.lineTotal ?? "—").padStart(14)}`,
  );
  return [
    `Purchase order ${document.orderId} for ${document.supplier}, approved ${document.approvedAt}.`,
    "",
    `${"SKU".padEnd(24)} ${"Quantity".padStart(8)}  ${"Unit price".padStart(12)}  ${"Line total".padStart(14)}`,
    ...rows,
    "",
    `Total: ${document.total} ${document.currency}`,
    "",
    `Please quote order ${document.orderId} on the delivery note. The order is attached as JSON.`,
    "",
  ].join("\n");
}
