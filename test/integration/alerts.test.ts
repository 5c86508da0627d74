/**
 * Alerts on the real stack: a loopback shop whose price and stock change between scrapes, and a
 * loopback webhook receiver that fails each message twice. Every condition episode is raised once
 * and delivered exactly once (signed), also across a kill -9 of the service mid-delivery.
 */
import { spawn } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import * as clients from "@restatedev/restate-sdk-clients";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AlertsService } from "../../services/alerts.ts";
import type { UploadResult } from "../../services/ingestion.ts";
import type { ProductObject } from "../../services/product/index.ts";
import { connectDatabase, type Database } from "../../shared/db/connection.ts";
import { verifyWebhook } from "../../shared/webhook/signature.ts";
import { eventually, plainSalesCsv, uploadCsv, waitForRetrains } from "../support/clients.ts";
import { jsonLdPage, startShop, type Shop } from "../support/shop.ts";
import {
  projectRoot,
  provisionDatabase,
  startStack,
  type Stack,
  type TestDatabase,
} from "../support/stack.ts";

const secret = "test-webhook-secret-0123456789";

interface Received {
  readonly id: string;
  readonly status: number;
  readonly signed: boolean;
  readonly body: { type: string; data: { id: string; kind: string; productId: string; message: string } };
}

/** Answers 500 to the first two attempts of every message, then 200; records every request. */
async function startReceiver(): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server: Server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      const id = String(request.headers["webhook-id"]);
      const signed = verifyWebhook(
        secret,
        {
          id,
          timestamp: String(request.headers["webhook-timestamp"]),
          signature: String(request.headers["webhook-signature"]),
        },
        body,
      );
      const status = received.filter((message) => message.id === id).length < 2 ? 500 : 200;
      received.push({ id, status, signed, body: JSON.parse(body) as Received["body"] });
      response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/procure`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let database: TestDatabase;
let stack: Stack;
let shop: Shop;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let db: Database;
let ingress: clients.Ingress;

beforeAll(async () => {
  [shop, receiver, database] = await Promise.all([startShop(), startReceiver(), provisionDatabase()]);
  stack = await startStack({
    database,
    // Retries back off to 5 s at most, so the delivery resumes soon after the service restarts.
    env: { ALERT_WEBHOOK_URLS: receiver.url, ALERT_WEBHOOK_SECRET: secret, RETRY_MAX_INTERVAL_SECONDS: "5" },
  });
  db = connectDatabase(stack.databaseUrl, { maxConnections: 1 });
  ingress = clients.connect({ url: stack.ingressUrl });
});

afterAll(async () => {
  await db?.end();
  await stack?.stop();
  await Promise.all([database?.drop(), shop?.close(), receiver?.close()]);
});

const product = (id: string) => ingress.objectClient<ProductObject>({ name: "product" }, id);
const alertsService = () => ingress.serviceClient<AlertsService>({ name: "alerts" });

/** Accepted (2xx) deliveries per message id, once every message sent so far has been accepted. */
async function acceptedDeliveries(expectedMessages: number): Promise<Map<string, number>> {
  return eventually(
    `${expectedMessages} accepted webhook messages`,
    () => {
      const accepted = new Map<string, number>();
      for (const message of receiver.received) {
        if (message.status === 200) accepted.set(message.id, (accepted.get(message.id) ?? 0) + 1);
      }
      return accepted.size >= expectedMessages ? accepted : undefined;
    },
    60_000,
  );
}

async function procure(args: readonly string[]): Promise<{ code: number | null; stdout: string }> {
  const child = spawn(process.execPath, ["bin/procure.mjs", ...args], {
    cwd: projectRoot,
    env: { ...process.env, RESTATE_INGRESS_URL: stack.ingressUrl },
  });
  let stdout = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  return { code, stdout };
}

describe("alerts", () => {
  const id = "ALERT-CHAIR-1";
  const page = (price: string, availability = "InStock") =>
    shop.setPage("/chair", jsonLdPage("Chair", price, "BRL", availability));

  it("raises each episode once over repeated scrapes and delivers each event once, signed, after two failures", async () => {
    await product(id).upsert({ name: "Office chair", sku: id, currency: "BRL" });
    await product(id).addSource({ url: `${shop.url}/chair`, label: "Loopback shop" });
    const added = await procure(["alerts", "add", "price_at_or_below", "--product", id, "--target", "90.00"]);
    expect(added.code).toBe(0);
    await alertsService().addRule({ productId: id, kind: "source_out_of_stock" });

    page("99.90");
    await product(id).scrape();
    page("89.90");
    await product(id).scrape(); // price at or below 90: raised
    await product(id).scrape(); // still true: nothing new
    page("89.90", "OutOfStock");
    await product(id).scrape(); // out of stock: raised (the price is unknown while out of stock)
    await product(id).scrape();
    page("99.90");
    await product(id).scrape(); // back in stock and above the target: both resolved

    const alerts = await db<{ kind: string; resolvedAt: Date | null }[]>`
      select kind, resolved_at from alerts where product_id = ${id} order by raised_at`;
    expect(alerts.map((alert) => [alert.kind, alert.resolvedAt !== null])).toEqual([
      ["price_at_or_below", true],
      ["source_out_of_stock", true],
    ]);

    const accepted = await acceptedDeliveries(4);
    expect([...accepted.values()]).toEqual([1, 1, 1, 1]);
    expect(receiver.received).toHaveLength(12); // each message: two failures, then accepted
    expect(receiver.received.every((message) => message.signed)).toBe(true);
    expect(new Set(receiver.received.map((message) => message.body.type))).toEqual(
      new Set(["alert.raised", "alert.resolved"]),
    );
    const backInStock = receiver.received.find(
      (message) => message.body.type === "alert.resolved" && message.body.data.kind === "source_out_of_stock",
    );
    expect(backInStock?.body.data).toMatchObject({ productId: id });
    const delivered = await eventually("delivery records", async () => {
      const rows = await db<{ status: string }[]>`
        select d.status from alert_deliveries d join alerts a on a.id = d.alert_id where a.product_id = ${id}`;
      return rows.length === 4 ? rows : undefined;
    });
    expect(delivered.every((row) => row.status === "delivered")).toBe(true);

    const badRule = await fetch(new URL("/alerts/addRule", stack.ingressUrl), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ kind: "price_drop", percent: 150 }),
    });
    expect(badRule.status).toBe(400);
    expect(await badRule.text()).toContain("percent must be below 100");
    expect((await procure(["alerts", "add", "sunny_day"])).code).toBe(2);
    const unknownProduct = await fetch(new URL("/alerts/addRule", stack.ingressUrl), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ kind: "source_out_of_stock", productId: "NO-SUCH-PRODUCT" }),
    });
    expect(unknownProduct.status).toBe(404);

    const listed = await procure(["alerts", "--product", id]);
    expect(listed.code).toBe(0);
    expect((JSON.parse(listed.stdout) as unknown[]).length).toBe(2);
  });

  it("delivers a new episode exactly once across a kill -9 of the service mid-delivery", async () => {
    const before = receiver.received.length;
    page("80.00");
    await product(id).scrape(); // a second price episode
    await eventually("the first failed attempt", () =>
      receiver.received.length > before ? true : undefined,
    );
    await stack.killService();
    await stack.startService();
    await product(id).scrape(); // still at 80: no new episode

    const accepted = await acceptedDeliveries(5);
    const fresh = receiver.received.slice(before);
    const ids = new Set(fresh.map((message) => message.id));
    expect(ids.size).toBe(1);
    expect(accepted.get([...ids][0]!)).toBe(1);
    const [row] = await db<{ count: number }[]>`
      select count(*)::int as count from alerts where product_id = ${id} and kind = 'price_at_or_below'`;
    expect(row?.count).toBe(2);
  });

  it("raises days of cover under the lead time when the stock is set low, and resolves it when restocked", async () => {
    const sku = "ALERT-COVER-1";
    const response = await uploadCsv(plainSalesCsv([sku], 30), stack.ingressUrl);
    expect(response.status, response.body).toBe(200);
    await waitForRetrains((JSON.parse(response.body) as UploadResult).uploadId, stack.ingressUrl);
    await product(sku).upsert({ leadTimeDays: 14 });
    await product(sku).setStock({ stock: 1000 });
    await alertsService().addRule({ productId: sku, kind: "cover_below_lead_time" });
    await product(sku).setStock({ stock: 2 });
    await product(sku).setStock({ stock: 1 });
    let open = await alertsService().list({ productId: sku, open: true });
    expect(open.map((alert) => alert.kind)).toEqual(["cover_below_lead_time"]);
    await product(sku).setStock({ stock: 1000 });
    open = await alertsService().list({ productId: sku, open: true });
    expect(open).toEqual([]);
    expect(await product(sku).alerts({})).toHaveLength(1);
  });
});
