import { describe, expect, it } from "vitest";
import { acceptReceipt, editedQuantities, type OrderLine } from "../../../shared/orders/lines.ts";

const lines: OrderLine[] = [
  { productId: "p-a", sku: "A", quantity: 12, received: 0, minimumOrderQuantity: null, packSize: 6 },
  { productId: "p-b", sku: "B", quantity: 5, received: 0, minimumOrderQuantity: 5, packSize: null },
];

describe("editedQuantities", () => {
  it("rounds edited quantities to the pack size and minimum order, keeps the others, 0 removes a line", () => {
    expect(editedQuantities(lines, [{ sku: "A", quantity: 7 }])).toEqual([
      { productId: "p-a", sku: "A", quantity: 12 },
      { productId: "p-b", sku: "B", quantity: 5 },
    ]);
    expect(
      editedQuantities(lines, [
        { sku: "p-b", quantity: 0 },
        { sku: "A", quantity: 13 },
      ]),
    ).toEqual([
      { productId: "p-a", sku: "A", quantity: 18 },
      { productId: "p-b", sku: "B", quantity: 0 },
    ]);
  });

  it("names unknown and repeated lines, and refuses an edit that empties the order", () => {
    expect(() => editedQuantities(lines, [{ sku: "Z", quantity: 1 }])).toThrow(
      '"Z" is not a line of this order',
    );
    expect(() =>
      editedQuantities(lines, [
        { sku: "A", quantity: 1 },
        { sku: "A", quantity: 2 },
      ]),
    ).toThrow(/given twice/);
    expect(() =>
      editedQuantities(lines, [
        { sku: "A", quantity: 0 },
        { sku: "B", quantity: 0 },
      ]),
    ).toThrow(/reject the order instead/);
  });
});

describe("acceptReceipt", () => {
  it("receives everything outstanding when no lines are given", () => {
    expect(acceptReceipt([{ ...lines[0]!, received: 4 }, lines[1]!])).toEqual({
      accepted: [
        { productId: "p-a", sku: "A", quantity: 8 },
        { productId: "p-b", sku: "B", quantity: 5 },
      ],
      complete: true,
    });
  });

  it("accepts partial receipts and completes the order with the last one", () => {
    const first = acceptReceipt(lines, [{ sku: "A", quantity: 10 }]);
    expect(first).toEqual({ accepted: [{ productId: "p-a", sku: "A", quantity: 10 }], complete: false });
    const after = [{ ...lines[0]!, received: 10 }, lines[1]!];
    expect(
      acceptReceipt(after, [
        { sku: "A", quantity: 2 },
        { sku: "B", quantity: 5 },
      ]).complete,
    ).toBe(true);
  });

  it("refuses more than is outstanding, and a receipt of nothing", () => {
    expect(() => acceptReceipt([{ ...lines[0]!, received: 10 }], [{ sku: "A", quantity: 3 }])).toThrow(
      '"A": 3 received but only 2 of 12 outstanding',
    );
    expect(() => acceptReceipt(lines, [{ sku: "A", quantity: 0 }])).toThrow(/nothing to receive/);
    expect(() => acceptReceipt(lines.map((line) => ({ ...line, received: line.quantity })))).toThrow(
      /nothing to receive/,
    );
  });
});
