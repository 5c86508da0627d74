import { describe, expect, it } from "vitest";
import { parseSalesCsvText } from "../../../shared/ingest/index.ts";

const header = "Order ID,Order Date,Product ID,Quantity,Sales,Profit";

describe("unit cost from a Superstore file", () => {
  it("is (Sales − Profit) / Quantity, exactly, also for a line sold at a loss", async () => {
    const { rows, summary } = await parseSalesCsvText(
      [
        header,
        "O-1,2016-11-08,P-1,2,261.96,41.9136",
        "O-2,2016-11-09,P-2,3,22.368,-15.5655",
        "O-3,2016-11-09,P-3,1,10,",
      ].join("\n"),
    );
    expect(summary.errorCount).toBe(0);
    expect(rows.map((row) => [row.sku, row.unitCost])).toEqual([
      ["P-1", "110.0232"],
      ["P-2", "12.6445"],
      ["P-3", undefined],
    ]);
  });

  it("names a Profit that is not a number", async () => {
    const { summary } = await parseSalesCsvText([header, "O-1,2016-11-08,P-1,2,261.96,lots"].join("\n"));
    expect(summary.errors.map((error) => error.message)).toEqual([
      'line 2: Profit "lots" is not a decimal number (at most 10 integer digits)',
    ]);
  });
});
