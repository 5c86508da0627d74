import { describe, expect, it } from "vitest";
import { orderEmailSubject, orderEmailText, type OrderDocument } from "../../../shared/orders/document.ts";

const document: OrderDocument = {
  type: "purchase_order.approved",
  orderId: "PO-20261204-1",
  supplier: "Acme",
  currency: "USD",
  total: "79.60",
  approvedAt: "2026-12-04T10:00:00.000Z",
  lines: [
    { sku: "LAMP-1", name: "Desk lamp", quantity: 4, unitPrice: "19.90", lineTotal: "79.60" },
    { sku: "CHAIR-9", name: "Chair", quantity: 2, unitPrice: null, lineTotal: null },
  ],
};

describe("the order e-mail", () => {
  it("names the order in the subject and lists every line with the exact total", () => {
    expect(orderEmailSubject(document)).toBe("Purchase order PO-20261204-1");
    const lines = orderEmailText(document).split("\n");
    expect(lines[0]).toBe("Purchase order PO-20261204-1 for Acme, approved 2026-12-04T10:00:00.000Z.");
    expect(lines.find((line) => line.startsWith("LAMP-1"))?.split(/\s+/)).toEqual([
      "LAMP-1",
      "4",
      "19.90",
      "79.60",
    ]);
    expect(lines.find((line) => line.startsWith("CHAIR-9"))?.split(/\s+/)).toEqual([
      "CHAIR-9",
      "2",
      "—",
      "—",
    ]);
    expect(lines).toContain("Total: 79.60 USD");
  });
});
