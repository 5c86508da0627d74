import { afterAll, describe, expect, it } from "vitest";
import type { UploadResult } from "../../services/ingestion.ts";
import {
  productClient,
  testDatabase,
  uniqueId,
  uploadCsv,
  waitForRetrains,
  plainSalesCsv,
} from "../support/clients.ts";
import { provisionDatabase, startStack } from "../support/stack.ts";

const db = testDatabase();
afterAll(() => db.end());

async function upload(csv: string, url?: string): Promise<UploadResult> {
  const response = await uploadCsv(csv, url);
  expect(response.status, response.body).toBe(200);
  return JSON.parse(response.body) as UploadResult;
}

async function salesCount(sku: string): Promise<number> {
  const [row] =
    await db`select count(*)::int as count, coalesce(sum(quantity), 0)::int as total from sales where product_id = ${sku}`;
  return row?.count as number;
}

describe("sales upload → retrain → forecast", () => {
  it("creates missing products, trains a model per product and serves forecasts with intervals", async () => {
    const skus = [uniqueId("SKU"), uniqueId("SKU")];
    const result = await upload(plainSalesCsv(skus, 60));
    expect(result).toMatchObject({
      status: "stored",
      format: "plain",
      rows: 240,
      changedRows: 240,
      newProducts: 2,
    });
    expect([...result.changedProducts].sort()).toEqual([...skus].sort());

    const progress = await waitForRetrains(result.uploadId);
    expect(progress).toMatchObject({ queued: 0, done: 2, failed: 0 });

    const forecast = await productClient(skus[0]!).forecast({ horizon: 8 });
    expect(forecast.points).toHaveLength(8);
    for (const point of forecast.points) {
      expect(point.lo80).toBeLessThanOrEqual(point.p50);
      expect(point.p50).toBeLessThanOrEqual(point.hi80);
      expect(point.lo80).toBeGreaterThanOrEqual(0);
    }
    // About 13 units a week were sold every week: the forecast must be in that range.
    expect(forecast.points[0]!.mean).toBeGreaterThan(9);
    expect(forecast.points[0]!.mean).toBeLessThan(17);
    expect(forecast.accuracy.mase).not.toBeNull();

    const daily = await productClient(skus[0]!).forecast({ horizon: 10, unit: "day" });
    expect(daily.points).toHaveLength(10);
    expect(daily.points[0]!.days).toBe(1);

    const status = await productClient(skus[0]!).status();
    expect(status.product.name).toBe(skus[0]);
    expect(status.model?.method).toBe(forecast.method);
    const [model] = await db`select method, sales_rows from models where product_id = ${skus[0]!}`;
    expect(model).toMatchObject({ method: forecast.method, salesRows: 120 });
  });

  it("never double-counts a re-uploaded file or an overlapping one", async () => {
    const sku = uniqueId("SKU");
    const first = plainSalesCsv([sku], 30);
    await upload(first);
    expect(await salesCount(sku)).toBe(60);

    const again = await upload(first);
    expect(again).toMatchObject({ status: "duplicate", changedRows: 0, retrainsRequested: 0 });

    const overlapping = plainSalesCsv([sku], 40);
    const overlap = await upload(overlapping);
    expect(overlap).toMatchObject({ status: "stored", rows: 80, changedRows: 20, unchangedRows: 60 });
    expect(await salesCount(sku)).toBe(80);
  });

  it("stores nothing of a file with bad lines and names each of them", async () => {
    const sku = uniqueId("SKU");
    const csv = [
      "sku,date,quantity",
      `${sku},2024-01-01,3`,
      `${sku},2024-02-30,2`,
      `${sku},2024-01-03,-4`,
      `${sku},2024-01-04,7`,
    ].join("\n");
    const response = await uploadCsv(csv);
    expect(response.status).toBe(400);
    expect(response.body).toContain("nothing was stored");
    expect(response.body).toContain("line 3");
    expect(response.body).toContain("line 4");
    expect(await salesCount(sku)).toBe(0);
    const products = await db`select id from products where id = ${sku}`;
    expect(products).toHaveLength(0);
  });

  it("answers a file with an unknown header with the accepted formats", async () => {
    const response = await uploadCsv("product,when,how many\nx,2024-01-01,1\n");
    expect(response.status).toBe(400);
    expect(response.body).toMatch(/unrecognised header.*accepted formats.*sku, date, quantity/);
  });

  it("debounces: ten uploads in quick succession retrain the product once", async () => {
    const sku = uniqueId("SKU");
    const uploads: UploadResult[] = [];
    for (let batch = 1; batch <= 10; batch++) uploads.push(await upload(plainSalesCsv([sku], 10 + batch)));
    for (const result of uploads) await waitForRetrains(result.uploadId);
    const status = await productClient(sku).status();
    expect(status.retrain?.runs).toBe(1);
    expect(status.model?.salesRows).toBe(40);
  });
});

describe("crash safety", () => {
  it("loses and duplicates nothing when the service is killed with SIGKILL during an upload and its retrains", async () => {
    const database = await provisionDatabase();
    const stack = await startStack({ database });
    try {
      const skus = Array.from({ length: 40 }, (_, index) => `CRASH-${index}`);
      const csv = plainSalesCsv(skus, 150);
      const pending = uploadCsv(csv, stack.ingressUrl);
      await new Promise((resolve) => setTimeout(resolve, 150));
      await stack.killService();
      await stack.startService();
      const response = await pending;
      expect(response.status, response.body).toBe(200);
      const result = JSON.parse(response.body) as UploadResult;
      expect(result.changedProducts).toHaveLength(40);

      await new Promise((resolve) => setTimeout(resolve, 1200));
      await stack.killService();
      await stack.startService();
      const progress = await waitForRetrains(result.uploadId, stack.ingressUrl);
      expect(progress).toMatchObject({ queued: 0, done: 40, failed: 0 });

      const check = (await import("../../shared/db/connection.ts")).connectDatabase(database.url, {
        maxConnections: 1,
      });
      try {
        const [sales] = await check`select count(*)::int as count from sales`;
        expect(sales?.count).toBe(40 * 300);
        const perProduct =
          await check`select product_id, count(*)::int as models from models group by product_id`;
        expect(perProduct).toHaveLength(40);
        for (const row of perProduct) expect(row.models).toBe(1);
      } finally {
        await check.end();
      }
    } finally {
      await stack.stop();
      await database.drop();
    }
  });
});
