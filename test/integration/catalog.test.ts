import { afterAll, describe, expect, inject, it } from "vitest";
import type { CatalogImportResult } from "../../services/catalog.ts";
import {
  eventually,
  plainSalesCsv,
  productClient,
  testDatabase,
  uniqueId,
  uploadCsv,
  waitForAdviceSnapshots,
  waitForRetrains,
} from "../support/clients.ts";
import type { ProductPage } from "../../services/edge/api.ts";
import type { UploadResult } from "../../services/ingestion.ts";
import { refreshProductClasses } from "../../shared/db/classes.ts";

const db = testDatabase();
afterAll(() => db.end());

async function importCatalog(csv: string): Promise<{ status: number; body: string }> {
  const response = await fetch(new URL("/catalog/import", inject("stack").ingressUrl), {
    method: "POST",
    headers: { "content-type": "text/csv", "x-filename": "catalog.csv" },
    body: csv,
  });
  return { status: response.status, body: await response.text() };
}

async function imported(csv: string): Promise<CatalogImportResult> {
  const response = await importCatalog(csv);
  expect(response.status, response.body).toBe(200);
  return JSON.parse(response.body) as CatalogImportResult;
}

async function storedProducts(ids: readonly string[]) {
  return db<Record<string, unknown>[]>`
    select id, name, category, stock, lead_time_days, unit_cost::text as unit_cost, currency, supplier,
      min_order_qty, pack_size, service_level, review_period_days
    from products where id = any(${[...ids]}) order by id`;
}

async function snapshotStock(id: string): Promise<number | undefined> {
  const [row] = await db<{ stock: number }[]>`select stock from advice_snapshots where product_id = ${id}`;
  return row?.stock;
}

describe("catalogue import", () => {
  const prefix = uniqueId("cat");
  const [a, b] = [`${prefix}-a`, `${prefix}-b`];

  it("creates the products of a full catalogue file and stores every column", async () => {
    const result = await imported(
      [
        "sku,name,category,stock,lead_time_days,unit_cost,currency,supplier,min_order_qty,pack_size,service_level,review_period_days",
        `${a},Desk lamp,Lighting,12,14,8.25,brl,Acme Lights,10,6,0.97,14`,
        `${b},"Chair, oak",Furniture,0,,120.5,BRL,Oak & Co,,,,`,
      ].join("\n"),
    );
    expect(result).toMatchObject({ status: "stored", rows: 2, createdProducts: 2 });
    expect([...result.changedProducts].sort()).toEqual([a, b]);
    expect(await storedProducts([a, b])).toEqual([
      {
        id: a,
        name: "Desk lamp",
        category: "Lighting",
        stock: 12,
        leadTimeDays: 14,
        unitCost: "8.2500",
        currency: "BRL",
        supplier: "Acme Lights",
        minOrderQty: 10,
        packSize: 6,
        serviceLevel: 0.97,
        reviewPeriodDays: 14,
      },
      {
        id: b,
        name: "Chair, oak",
        category: "Furniture",
        stock: 0,
        leadTimeDays: 7,
        unitCost: "120.5000",
        currency: "BRL",
        supplier: "Oak & Co",
        minOrderQty: null,
        packSize: null,
        serviceLevel: null,
        reviewPeriodDays: null,
      },
    ]);
    // Each product object got the change: its snapshot says what is unknown without a forecast.
    await eventually("snapshot of a new product", async () =>
      (await snapshotStock(a)) === 12 ? true : undefined,
    );
    const [snapshot] = await db`select status, unknown from advice_snapshots where product_id = ${a}`;
    expect(snapshot).toEqual({ status: "no_forecast", unknown: ["demand forecast", "selling price"] });
  });

  it("changes only the columns present, and a repeated file changes nothing", async () => {
    const before = await storedProducts([a, b]);
    const file = `sku,stock,unit_cost\n${a},30,\n${b},,99.90\n`;
    const first = await imported(file);
    expect(first).toMatchObject({ status: "stored", columns: ["stock", "unit_cost"], createdProducts: 0 });
    expect([...first.changedProducts].sort()).toEqual([a, b]);
    const after = await storedProducts([a, b]);
    expect(after).toEqual([
      { ...before[0], stock: 30 },
      { ...before[1], unitCost: "99.9000" },
    ]);
    const again = await imported(file);
    expect(again).toMatchObject({ status: "unchanged", rows: 2, changedProducts: [] });
    expect(await storedProducts([a, b])).toEqual(after);
  });

  it("rejects a file with bad lines as a whole, naming every bad line", async () => {
    const before = await storedProducts([a, b]);
    const fresh = `${prefix}-new`;
    const response = await importCatalog(
      [
        "sku,stock,lead_time_days,currency,pack_size",
        `${fresh},5,3,USD,1`,
        `${a},-4,3,USD,1`,
        `${b},7,400,US,0`,
        `${a},1,1,USD,1`,
      ].join("\n"),
    );
    expect(response.status).toBe(400);
    const { message } = JSON.parse(response.body) as { message: string };
    expect(message).toContain("nothing was stored: 5 bad line(s)");
    expect(message).toContain('line 3: stock "-4" is not a non-negative integer');
    expect(message).toContain('line 4: lead_time_days "400" is not between 0 and 365');
    expect(message).toContain('line 4: currency "US" is not a 3-letter ISO currency code');
    expect(message).toContain('line 4: pack_size "0" is not between 1 and 1000000000');
    expect(message).toContain(`line 5: sku "${a}" repeats line 3`);
    expect(await storedProducts([a, b, fresh])).toEqual(before);

    const unknownColumn = await importCatalog(`sku,stok\n${a},3\n`);
    expect(unknownColumn.status).toBe(400);
    expect(unknownColumn.body).toContain('line 1: unknown column(s) \\"stok\\"');
  });

  it("takes a stock-only file from the till and refreshes the advice of products with a forecast", async () => {
    const skus = [`${prefix}-s1`, `${prefix}-s2`];
    const upload = await uploadCsv(plainSalesCsv(skus, 40));
    expect(upload.status, upload.body).toBe(200);
    await waitForRetrains((JSON.parse(upload.body) as UploadResult).uploadId);
    await waitForAdviceSnapshots(skus);
    const [status] = await db`select status from advice_snapshots where product_id = ${skus[0]!}`;
    expect(status?.status).toBe("out_of_stock");

    const result = await imported(`sku,stock\n${skus[0]},500\n${skus[1]},0\n`);
    expect(result.changedProducts).toEqual([skus[0]]);
    expect((await productClient(skus[0]!).status()).product.stock).toBe(500);
    await eventually("snapshot with the new stock", async () =>
      (await snapshotStock(skus[0]!)) === 500 ? true : undefined,
    );
    const [snapshot] = await db`
      select status, stockout_risk, money_at_stake::text as money_at_stake, unknown
      from advice_snapshots where product_id = ${skus[0]!}`;
    expect(snapshot?.status).toBe("ok");
    expect(snapshot?.stockoutRisk).toBeLessThan(0.01);
    // No unit cost yet: the money at stake is unknown, and the snapshot says why.
    expect(snapshot?.unknown).toEqual(["unit cost"]);
    expect(snapshot?.moneyAtStake).toBeNull();

    // The dashboard's list reads the snapshots: sorted by risk, filtered by status, in one query.
    const list = async (query: string) => {
      const response = await fetch(
        new URL(`/api/products?search=${prefix}-s&${query}`, inject("stack").dashboardUrl),
      );
      return { status: response.status, page: (await response.json()) as ProductPage };
    };
    const byRisk = await list("sort=risk");
    expect(byRisk.page.products.map((product) => [product.id, product.status])).toEqual([
      [skus[1], "out_of_stock"],
      [skus[0], "ok"],
    ]);
    expect((await list("status=ok")).page).toMatchObject({
      total: 1,
      products: [{ id: skus[0], stock: 500 }],
    });
    expect((await list("sort=cheapest")).status).toBe(400);
  });

  it("records each product's unit cost from a Superstore upload where it has none", async () => {
    const [fresh, priced] = [`${prefix}-ss-new`, `${prefix}-ss-priced`];
    await imported(`sku,unit_cost\n${priced},7.5\n`);
    const upload = await uploadCsv(
      [
        "Order ID,Order Date,Product ID,Quantity,Sales,Profit",
        `${prefix}-O1,2016-11-08,${fresh},2,261.96,41.9136`,
        `${prefix}-O2,2016-11-09,${fresh},3,22.368,-15.5655`,
        `${prefix}-O3,2016-11-09,${priced},1,10,2`,
      ].join("\n"),
    );
    expect(upload.status, upload.body).toBe(200);
    const costs = await db<{ id: string; unitCost: string }[]>`
      select id, unit_cost::text as unit_cost from products where id in (${fresh}, ${priced}) order by id`;
    // The first line of the new product decides: (261.96 − 41.9136) / 2; the catalogue's cost stays.
    expect(Object.fromEntries(costs.map((row) => [row.id, row.unitCost]))).toEqual({
      [fresh]: "110.0232",
      [priced]: "7.5000",
    });
  });
});

describe("stored ABC classes", () => {
  it("end their window at the shop's latest sale up to today, so a sale dated in the future moves no class", async () => {
    const [steady, future] = [uniqueId("abc-steady"), uniqueId("abc-future")];
    // Sales up to this week, so they are inside the window whatever other tests stored before.
    const today = new Date().toISOString().slice(0, 10);
    const tenWeeksAgo = new Date(Date.now() - 70 * 86_400_000).toISOString().slice(0, 10);
    const upload = await uploadCsv(plainSalesCsv([steady], 10, tenWeeksAgo));
    expect(upload.status, upload.body).toBe(200);
    const { uploadId } = JSON.parse(upload.body) as UploadResult;
    const before = await refreshProductClasses(db, today);
    const classes = async () =>
      db<
        { productId: string; abc: string }[]
      >`select product_id, abc from product_classes order by product_id`;
    const classesBefore = await classes();
    expect(classesBefore.find((row) => row.productId === steady)?.abc).toMatch(/^[ABC]$/);

    await db`insert into products (id, sku, name) values (${future}, ${future}, ${future})`;
    await db`
      insert into sales (product_id, row_key, sale_date, quantity, unit_price, revenue, upload_id)
      values (${future}, 'day:future', '2999-01-01', 1000000, 1000, 1000000000, ${uploadId})`;
    const after = await refreshProductClasses(db, today);
    expect(after.windowEnd).toBe(before.windowEnd);
    expect(after.windowEnd! <= today).toBe(true);
    expect(await classes()).toEqual(classesBefore);
    await db`delete from products where id = ${future}`;
  });
});
