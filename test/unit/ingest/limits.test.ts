import { describe, expect, it } from "vitest";
import { parseSalesCsv, parseSalesCsvText, saleDateWindow } from "../../../shared/ingest/index.ts";

const window = { earliest: "1990-01-01", latest: "2026-12-05" };

describe("sale dates outside the accepted window", () => {
  it("rejects a future-dated line, naming the line, the column and the latest accepted date", async () => {
    const text = "sku,date,quantity\nA-1,2026-12-05,1\nZZ-FUTURE,2999-01-01,1\n";
    const { rows, summary } = await parseSalesCsvText(text, { saleDates: window });
    expect(summary.errors).toEqual([
      {
        line: 3,
        field: "date",
        message: 'line 3: date "2999-01-01" is after 2026-12-05, the latest accepted sale date',
      },
    ]);
    expect(rows.map((row) => row.sku)).toEqual(["A-1"]);
  });

  it("rejects a Superstore line dated before the earliest accepted date", async () => {
    const text = "Order ID,Order Date,Product ID,Quantity\nO-1,12/31/1989,P-1,1\nO-2,1/1/1990,P-1,1\n";
    const { summary } = await parseSalesCsvText(text, { saleDates: window });
    expect(summary.errors.map((error) => error.message)).toEqual([
      'line 2: Order Date "12/31/1989" is before 1990-01-01, the earliest accepted sale date',
    ]);
  });

  it("ends the window the given number of days after today (UTC)", () => {
    const now = Date.parse("2026-12-04T23:30:00Z");
    expect(saleDateWindow("1990-01-01", 1, now)).toEqual({ earliest: "1990-01-01", latest: "2026-12-05" });
    expect(saleDateWindow("2000-01-01", 0, now).latest).toBe("2026-12-04");
  });
});

describe("fields too long to store", () => {
  it("rejects a 20,000-character Order ID and an over-long product name, naming line and column", async () => {
    const text = [
      "Order ID,Order Date,Product ID,Product Name,Quantity",
      `${"X".repeat(20_000)},2017-01-01,P-1,Chair,1`,
      `O-2,2017-01-01,P-2,${"N".repeat(301)},1`,
      `O-3,2017-01-01,P-3,${"N".repeat(300)},1`,
    ].join("\n");
    const { rows, summary } = await parseSalesCsvText(text);
    expect(summary.errors.map((error) => [error.line, error.field])).toEqual([
      [2, "Order ID"],
      [3, "Product Name"],
    ]);
    expect(summary.errors[0]?.message).toMatch(/^line 2: Order ID "X+\.\.\." is longer than 100 characters$/);
    expect(rows.map((row) => row.sku)).toEqual(["P-3"]);
  });
});

describe("identities resolved in the database", () => {
  it("streams every line at once with its base key, holding no per-row state", async () => {
    const text = [
      "sku,date,quantity,price",
      "A-1,2024-01-01,2,1.50",
      "A-1,2024-01-01,1,3",
      "B-1,2024-01-02,4,",
    ].join("\n");
    const events = [];
    for await (const event of parseSalesCsv([text], { identities: "database", batchSize: 1 }))
      events.push(event);
    expect(events.map((event) => event.kind)).toEqual(["rows", "rows", "rows", "summary"]);
    expect(events.flatMap((event) => (event.kind === "rows" ? event.rows : []))).toEqual([
      expect.objectContaining({
        rowKey: "day:A-1:2024-01-01",
        quantity: 2,
        revenue: "3.00",
        unitPrice: "1.50",
      }),
      expect.objectContaining({
        rowKey: "day:A-1:2024-01-01",
        quantity: 1,
        revenue: "3.00",
        unitPrice: "3.00",
      }),
      expect.objectContaining({ rowKey: "day:B-1:2024-01-02", quantity: 4, revenue: undefined }),
    ]);
  });

  it("leaves repeated order lines and Row IDs unnumbered for the database to resolve", async () => {
    const orders = "Order ID,Order Date,Product ID,Quantity\nO-1,2017-01-01,P-1,1\nO-1,2017-01-01,P-1,4\n";
    const byOrder = await parseSalesCsvText(orders, { identities: "database" });
    expect(byOrder.rows.map((row) => row.rowKey)).toEqual(["order:O-1:P-1", "order:O-1:P-1"]);
    const rowIds = "Row ID,Order Date,Product ID,Quantity\n7,2017-01-01,P-1,1\n7,2017-01-03,P-1,1\n";
    const byRowId = await parseSalesCsvText(rowIds, { identities: "database" });
    expect(byRowId.summary.errorCount).toBe(0);
    expect(byRowId.rows.map((row) => row.rowKey)).toEqual(["row:7", "row:7"]);
  });
});
