import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HttpCallError } from "@restatedev/restate-sdk-clients";
import type { SchedulerService } from "../../services/scheduler.ts";
import {
  eventually,
  ingress,
  productClient,
  testDatabase,
  unfinishedInvocations,
  uniqueId,
} from "../support/clients.ts";
import { startShop, type Shop } from "../support/shop.ts";
import { provisionDatabase, startStack } from "../support/stack.ts";

const db = testDatabase();
let shop: Shop;
beforeAll(async () => {
  shop = await startShop();
});
afterAll(async () => {
  await shop.close();
  await db.end();
});

async function productWithSources(paths: readonly string[], url?: string) {
  const id = uniqueId("priced");
  const product = productClient(id, url);
  await product.upsert({ name: "Chair", currency: "BRL" });
  const sources = [];
  for (const path of paths)
    sources.push(await product.addSource({ url: `${shop.url}${path}`, label: path.slice(1) }));
  return { id, product, sources };
}

/** Delayed scrapes waiting for their time (at most one may exist per product). */
async function scheduledScrapes(productId: string, adminUrl?: string) {
  return (await unfinishedInvocations(productId, "scheduledScrape", adminUrl)).filter(
    (row) => row.status === "scheduled",
  );
}

/** True when the only unfinished scrape of the product is the one pending timer. */
async function onlyOnePending(productId: string, adminUrl?: string): Promise<boolean> {
  const unfinished = await unfinishedInvocations(productId, "scheduledScrape", adminUrl);
  return unfinished.length === 1 && unfinished[0]?.status === "scheduled";
}

async function priceRows(productId: string) {
  return db`
    select s.label, p.status, p.amount::text as amount, p.currency, p.availability, p.rule, p.http_status
    from prices p join product_sources s on s.id = p.source_id
    where p.product_id = ${productId} order by p.id`;
}

describe("scraping a product's sources", () => {
  it("records one row per source with the right status, and never a failure as a price", async () => {
    const { id, product } = await productWithSources([
      "/jsonld",
      "/mercadolivre",
      "/throttled",
      "/slow",
      "/captcha",
      "/private/secret",
      "/gone",
    ]);
    const summary = await product.scrape();
    expect(summary).toMatchObject({ sources: 7, succeeded: 3, failed: 4 });

    const rows = await priceRows(id);
    const byLabel = Object.fromEntries(rows.map((row) => [row.label, row]));
    expect(byLabel.jsonld).toMatchObject({
      status: "ok",
      amount: "1299.9000",
      currency: "BRL",
      availability: "in_stock",
      rule: "json-ld",
    });
    expect(byLabel.mercadolivre).toMatchObject({
      status: "ok",
      amount: "1299.9000",
      currency: "BRL",
      rule: "site:mercadolivre",
    });
    expect(byLabel.throttled).toMatchObject({ status: "ok", amount: "89.9000" });
    expect(shop.hits.get("/throttled")).toBe(2);
    expect(byLabel.slow).toMatchObject({ status: "network_error", amount: null, availability: "unknown" });
    expect(byLabel.captcha).toMatchObject({ status: "blocked", amount: null, availability: "unknown" });
    expect(byLabel["private/secret"]).toMatchObject({ status: "robots_disallowed", amount: null });
    expect(shop.hits.get("/private/secret")).toBeUndefined();
    expect(byLabel.gone).toMatchObject({ status: "not_found", amount: null, httpStatus: 404 });
  });

  it("asks with the stored ETag and records a 304 as the unchanged price", async () => {
    const { id, product } = await productWithSources(["/cached"]);
    await product.scrape();
    await product.scrape();
    const rows = await priceRows(id);
    expect(rows.map((row) => [row.status, row.amount])).toEqual([
      ["ok", "42.5000"],
      ["not_modified", "42.5000"],
    ]);
    expect((await product.bestPrice()).best).toMatchObject({ amount: "42.5000", currency: "BRL" });
  });

  it("serves the lowest in-stock price as the best price, with its source and history", async () => {
    const { product, sources } = await productWithSources(["/jsonld", "/throttled", "/captcha"]);
    await product.scrape();
    const best = await product.bestPrice();
    expect(best.best).toMatchObject({
      amount: "89.9000",
      currency: "BRL",
      sourceId: sources[1]!.id,
      label: "throttled",
    });
    expect(best.best!.ageHours).toBeLessThan(1);
    expect(best.history).toMatchObject({
      currency: "BRL",
      min: "89.9000",
      max: "1299.9000",
      observations: 2,
    });
    expect(best.sources.map((source) => source.lastStatus)).toEqual(["ok", "ok", "blocked"]);
  });

  it("ignores out-of-stock offers and removed sources when choosing the best price", async () => {
    const id = uniqueId("stock");
    shop.setPage(
      `/${id}-cheap`,
      (await import("../support/shop.ts")).jsonLdPage("X", "10.00", "BRL", "OutOfStock"),
    );
    const { product, sources } = await productWithSources([`/${id}-cheap`, "/jsonld", "/mercadolivre"]);
    await product.scrape();
    expect((await product.bestPrice()).best).toMatchObject({ amount: "1299.9000", label: "jsonld" });
    await product.removeSource({ sourceId: sources[1]!.id });
    expect((await product.bestPrice()).best).toMatchObject({ amount: "1299.9000", label: "mercadolivre" });
  });

  it("refuses source URLs that point at metadata or private addresses, or are not http", async () => {
    const { product } = await productWithSources([]);
    for (const url of [
      "http://169.254.169.254/latest/meta-data",
      "http://10.0.0.7/shop",
      "file:///etc/passwd",
      "not a url",
    ]) {
      const error = await Promise.resolve(product.addSource({ url })).catch((caught: unknown) => caught);
      expect(error, url).toBeInstanceOf(HttpCallError);
      expect((error as HttpCallError).status).toBe(400);
    }
  });
});

describe("the scrape schedule", () => {
  it("scrapeAll starts the schedule of every product with an active source, and only those", async () => {
    const withSource = await productWithSources(["/jsonld"]);
    const withoutSource = await productWithSources([]);
    const result = await ingress().serviceClient<SchedulerService>({ name: "scheduler" }).scrapeAll();
    expect(result.scheduled).toBeGreaterThanOrEqual(1);
    await eventually("the schedule to start", async () =>
      (await withSource.product.status()).schedule?.active ? true : undefined,
    );
    expect((await withoutSource.product.status()).schedule).toBeNull();
    await withSource.product.stopSchedule();
  });

  it("keeps exactly one pending scrape however often it is started, and fires on time", async () => {
    const { id, product } = await productWithSources(["/jsonld"]);
    for (let start = 0; start < 4; start++) await product.startSchedule({ intervalSeconds: 2 });
    await product.startSchedule({ intervalSeconds: 3 });
    await product.startSchedule({ intervalSeconds: 2 });
    expect(await onlyOnePending(id)).toBe(true);

    const scheduledCounts: number[] = [];
    const sampleUntil = Date.now() + 7_500;
    while (Date.now() < sampleUntil) {
      scheduledCounts.push((await scheduledScrapes(id)).length);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(Math.max(...scheduledCounts)).toBe(1);
    const rows = await priceRows(id);
    // First run within 2 s, then every 2 s ± 10%: 3 or 4 scrapes in 7.5 s, never a double fire.
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(rows.length).toBeLessThanOrEqual(4);
    await eventually("one pending scrape", async () => ((await onlyOnePending(id)) ? true : undefined));

    const stopped = await product.stopSchedule();
    expect(stopped?.active).toBe(false);
    await eventually("the pending scrape to be cancelled", async () =>
      (await unfinishedInvocations(id, "scheduledScrape")).length === 0 ? true : undefined,
    );
    const before = (await priceRows(id)).length;
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect((await priceRows(id)).length).toBe(before);
  });

  it("survives a kill -9 of the service and a restart of the Restate server", async () => {
    const database = await provisionDatabase();
    const stack = await startStack({ database });
    const check = (await import("../../shared/db/connection.ts")).connectDatabase(database.url, {
      maxConnections: 1,
    });
    try {
      const { id, product } = await productWithSources(["/jsonld"], stack.ingressUrl);
      await product.startSchedule({ intervalSeconds: 2 });
      const count = async () =>
        ((await check`select count(*)::int as n from prices where product_id = ${id}`)[0]?.n as number) ?? 0;
      await eventually(
        "a first scheduled scrape",
        async () => ((await count()) >= 1 ? true : undefined),
        10_000,
      );

      await stack.killService();
      await stack.restartRestate();
      await stack.startService();
      const afterRestart = await count();
      await eventually(
        "scrapes after the restarts",
        async () => ((await count()) >= afterRestart + 2 ? true : undefined),
        45_000,
      );
      await eventually("one pending scrape", async () =>
        (await onlyOnePending(id, stack.adminUrl)) ? true : undefined,
      );
      for (let sample = 0; sample < 20; sample++) {
        expect((await scheduledScrapes(id, stack.adminUrl)).length).toBeLessThanOrEqual(1);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    } finally {
      await check.end();
      await stack.stop();
      await database.drop();
    }
  });
});
