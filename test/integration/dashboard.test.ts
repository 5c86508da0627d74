import { execFile } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import http2 from "node:http2";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { UploadResult } from "../../services/ingestion.ts";
import type { ProductPage } from "../../services/edge/api.ts";
import { clientHeader } from "../../services/edge/gateway.ts";
import { maxIngressBodyBytes } from "../../services/edge/server.ts";
import { serviceNames } from "../../services/registry.ts";
import { plainSalesCsv, uniqueId, waitForRetrains } from "../support/clients.ts";
import {
  freePort,
  projectRoot,
  provisionDatabase,
  startStack,
  type Stack,
  type TestDatabase,
} from "../support/stack.ts";

const chromiumPath = "/usr/bin/chromium";
const screenshots = join(projectRoot, "test-results", "screenshots");

async function call(
  base: string,
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
) {
  const response = await fetch(new URL(path, base), { method: init.method ?? "GET", ...init });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    text,
    json: () => JSON.parse(text) as unknown,
  };
}

async function upload(base: string, csv: string, headers: Record<string, string> = {}) {
  return call(base, "/api/ingress/ingestion/upload", {
    method: "POST",
    headers: { "content-type": "text/csv", [clientHeader]: "test", ...headers },
    body: csv,
  });
}

/** Restate's public key format for an ed25519 key: "publickeyv1_" + base58 of the 32 raw bytes. */
function restatePublicKey(rawKey: Buffer): string {
  const alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  let value = BigInt(`0x${rawKey.toString("hex")}`);
  let encoded = "";
  while (value > 0n) {
    encoded = alphabet[Number(value % 58n)] + encoded;
    value /= 58n;
  }
  for (const byte of rawKey) {
    if (byte !== 0) break;
    encoded = `1${encoded}`;
  }
  return `publickeyv1_${encoded}`;
}

describe("dashboard API (shared stack, no API key: local development)", () => {
  const { dashboardUrl } = inject("stack");
  const prefix = uniqueId("dash");
  const skus = [`${prefix}-a`, `${prefix}-b`];
  const csv = plainSalesCsv(skus, 40);

  beforeAll(async () => {
    const response = await upload(dashboardUrl, csv);
    expect(response.status, response.text).toBe(200);
    await waitForRetrains((response.json() as UploadResult).uploadId, inject("stack").ingressUrl);
  });

  it("serves the page with a strict content security policy", async () => {
    const page = await call(dashboardUrl, "/");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(page.text).toContain('<script type="module" src="/app.js">');
    expect(page.headers.get("content-security-policy")).toContain("script-src 'self'");
    expect((await call(dashboardUrl, "/app.js")).headers.get("content-type")).toMatch(/^text\/javascript/);
    expect((await call(dashboardUrl, "/../package.json")).status).toBe(404);
  });

  it("lists products with their stock status and stock-out risk from the advice", async () => {
    const page = (await call(dashboardUrl, `/api/products?search=${prefix}`)).json() as ProductPage;
    expect(page.total).toBe(2);
    expect(page.products.map((product) => product.id)).toEqual(skus);
    for (const product of page.products) {
      expect(product.status).toBe("out_of_stock");
      expect(product.stockoutRisk).toBeGreaterThanOrEqual(0);
      expect(product.stockoutRisk).toBeLessThanOrEqual(1);
      expect(product.orderQuantity).toBeGreaterThan(0);
    }
  });

  it("gives a product's weekly sales (every unit counted once), forecast band, advice and prices", async () => {
    const detail = (await call(dashboardUrl, `/api/products/${skus[0]}`)).json() as {
      sales: { weekStart: string; quantity: number }[];
      forecast: { value: { points: { lo80: number; mean: number; hi80: number }[] } | null };
      advice: { value: { productId: string } | null };
      prices: { sources: unknown[]; points: unknown[] };
    };
    const fileTotal = csv
      .trim()
      .split("\n")
      .slice(1)
      .filter((line) => line.startsWith(`${skus[0]},`))
      .reduce((sum, line) => sum + Number(line.split(",")[2]), 0);
    expect(detail.sales).toHaveLength(40);
    expect(detail.sales[0]?.weekStart).toBe("2023-01-02");
    expect(detail.sales.reduce((sum, week) => sum + week.quantity, 0)).toBe(fileTotal);
    expect(detail.forecast.value?.points).toHaveLength(12);
    for (const point of detail.forecast.value!.points) {
      expect(point.lo80).toBeLessThanOrEqual(point.mean);
      expect(point.mean).toBeLessThanOrEqual(point.hi80);
    }
    expect(detail.advice.value?.productId).toBe(skus[0]);
    expect(detail.prices).toEqual({ sources: [], points: [] });
  });

  it("answers 404 for an unknown product and 400 for a bad page size", async () => {
    const missing = await call(dashboardUrl, "/api/products/no-such-product");
    expect(missing.status).toBe(404);
    expect(missing.json()).toEqual({ error: 'product "no-such-product" does not exist', code: "not_found" });
    expect((await call(dashboardUrl, "/api/products?limit=5000")).status).toBe(400);
    expect((await call(dashboardUrl, "/api/products?limit=-1")).status).toBe(400);
  });

  it("forwards only known services and POST requests to the ingress", async () => {
    expect((await call(dashboardUrl, "/api/ingress/restate/health", { method: "POST" })).status).toBe(404);
    expect((await call(dashboardUrl, "/api/ingress/health/ping")).status).toBe(405);
    const ping = await call(dashboardUrl, "/api/ingress/health/ping", { method: "POST" });
    expect(ping.status).toBe(200);
    expect(ping.json()).toMatchObject({ ok: true });
  });

  it("refuses a cross-site form that would change data (403, nothing stored), and a body without JSON or the client header", async () => {
    const sku = uniqueId("csrf");
    const host = new URL(dashboardUrl).host;
    const form = (headers: Record<string, string>) =>
      call(dashboardUrl, `/api/ingress/product/${sku}/upsert`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
        body: "name=pwned",
      });
    const crossSite = await form({ origin: "http://evil.example" });
    expect(crossSite.status).toBe(403);
    expect(crossSite.json()).toMatchObject({ code: "forbidden" });
    expect((await form({ origin: `http://${host}` })).status).toBe(403);
    for (const handler of ["scrape", "retrain", "stopSchedule"]) {
      const call_ = await call(dashboardUrl, `/api/ingress/product/${sku}/${handler}`, {
        method: "POST",
        headers: { origin: "http://evil.example", "content-type": "text/plain" },
        body: "{}",
      });
      expect(call_.status, handler).toBe(403);
    }
    expect((await call(dashboardUrl, `/api/products/${sku}`)).status).toBe(404);

    const sameOrigin = await call(dashboardUrl, `/api/ingress/product/${sku}/upsert`, {
      method: "POST",
      headers: { origin: `http://${host}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "Same-origin product" }),
    });
    expect(sameOrigin.status, sameOrigin.text).toBe(200);
  });

  it("answers a body over the ingress limit with 413, whether its size is announced or streamed", async () => {
    const tooLarge = Buffer.alloc(maxIngressBodyBytes + 1024, "a");
    const announced = await upload(dashboardUrl, tooLarge.toString("latin1"));
    expect(announced.status).toBe(413);
    expect(announced.json()).toMatchObject({ code: "payload_too_large" });
    const chunk = Buffer.alloc(1024 * 1024, "a");
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > maxIngressBodyBytes) return controller.close();
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const streamed = await fetch(new URL("/api/ingress/ingestion/upload", dashboardUrl), {
      method: "POST",
      headers: { "content-type": "text/csv", [clientHeader]: "test" },
      body: stream,
      duplex: "half",
    });
    expect(streamed.status).toBe(413);
    expect(await streamed.json()).toMatchObject({ code: "payload_too_large" });
  });

  it("answers malformed percent-encoding with 400 and errors without stack traces", async () => {
    for (const [path, method] of [
      ["/api/products/%E0%A4%A", "GET"],
      ["/api/analyses/%E0%A4%A", "GET"],
      ["/api/ingress/product/%E0%A4%A/status", "POST"],
    ] as const) {
      const response = await call(dashboardUrl, path, { method });
      expect(response.status, path).toBe(400);
      expect(response.json()).toMatchObject({ code: "bad_request" });
    }
    const invalid = await call(dashboardUrl, `/api/ingress/product/${uniqueId("bad")}/upsert`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{not json",
    });
    expect(invalid.status).toBe(400);
    expect(Object.keys(invalid.json() as object).sort()).toEqual(["code", "error"]);
    expect(invalid.text).not.toMatch(/\n\s+at\s|\.ts:\d|\.js:\d/);
  });

  it("reports that no sign-in is needed", async () => {
    expect((await call(dashboardUrl, "/api/session")).json()).toEqual({
      authRequired: false,
      authenticated: true,
    });
  });
});

describe("procure doctor (shared stack)", () => {
  const stack = inject("stack");

  async function doctor(env: Record<string, string>) {
    const base: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: "error" };
    delete base.DATABASE_URL;
    delete base.PROCURE_API_KEY;
    try {
      const { stdout } = await promisify(execFile)(process.execPath, ["bin/procure.mjs", "doctor"], {
        cwd: projectRoot,
        env: { ...base, ...env },
      });
      return { code: 0, stdout };
    } catch (error) {
      const failed = error as { code: number; stdout: string };
      return { code: failed.code, stdout: failed.stdout };
    }
  }

  it("passes every check against a running installation", async (context) => {
    if (new URL(stack.databaseUrl).port !== "5432")
      context.skip("the shared stack runs on PGlite, whose single connection the service holds");
    const result = await doctor({
      RESTATE_ADMIN_URL: stack.adminUrl,
      RESTATE_INGRESS_URL: stack.ingressUrl,
      DATABASE_URL: stack.databaseUrl,
    });
    expect(result.stdout.split("\n").filter((line) => line.startsWith("✓"))).toHaveLength(5);
    expect(result.stdout).toContain(
      `✓ deployment registered: services ${serviceNames.join(", ")} registered`,
    );
    expect(result.code).toBe(0);
  });

  it("checks the embedded database through the running service's dashboard", async () => {
    const health = await call(stack.dashboardUrl, "/healthz/database");
    expect(health.json()).toEqual({ reachable: true, pendingMigrations: [], error: null });
    const result = await doctor({
      RESTATE_ADMIN_URL: stack.adminUrl,
      RESTATE_INGRESS_URL: stack.ingressUrl,
      DASHBOARD_PORT: new URL(stack.dashboardUrl).port,
    });
    expect(result.stdout).toMatch(
      /^✓ database: reachable \(embedded PGlite .* asked through http:\/\/127\.0\.0\.1:\d+\)$/m,
    );
    expect(result.code).toBe(0);
  });

  it("names each failure with what to do and exits with 1", async () => {
    const closed = await freePort();
    const result = await doctor({
      RESTATE_ADMIN_URL: `http://127.0.0.1:${closed}`,
      RESTATE_INGRESS_URL: stack.ingressUrl,
      DATABASE_URL: `postgres://postgres@127.0.0.1:${closed}/none`,
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`✗ Restate admin API: cannot reach http://127.0.0.1:${closed}`);
    expect(result.stdout).toContain("✗ deployment registered: not checked");
    expect(result.stdout).toContain("✓ ingress call health/ping");
    expect(result.stdout).toMatch(/^✗ database: cannot connect with DATABASE_URL: .* check the URL/m);
    expect(result.stdout).toContain("4 check(s) failed");
  });
});

describe("dashboard with PROCURE_API_KEY and signed Restate requests (private stack)", () => {
  const apiKey = "test-key-0123456789abcdef";
  let database: TestDatabase;
  let stack: Stack;
  let keyDir: string;
  let servicePort: number;

  beforeAll(async () => {
    keyDir = await mkdtemp(join(tmpdir(), "procure-identity-"));
    const { privateKey, publicKey } = generateKeyPairSync("ed25519");
    const pemFile = join(keyDir, "restate-identity.pem");
    await writeFile(pemFile, privateKey.export({ type: "pkcs8", format: "pem" }));
    const rawPublicKey = Buffer.from(publicKey.export({ format: "jwk" }).x!, "base64url");
    servicePort = await freePort();
    database = await provisionDatabase();
    // The Restate server of this stack inherits the variable and signs every request with the key.
    process.env.RESTATE_WORKER__INVOKER__REQUEST_IDENTITY_PRIVATE_KEY_PEM_FILE = pemFile;
    try {
      stack = await startStack({
        database,
        env: {
          PROCURE_API_KEY: apiKey,
          RESTATE_IDENTITY_KEYS: restatePublicKey(rawPublicKey),
          SERVICE_PORT: String(servicePort),
        },
      });
    } finally {
      delete process.env.RESTATE_WORKER__INVOKER__REQUEST_IDENTITY_PRIVATE_KEY_PEM_FILE;
    }
  });

  afterAll(async () => {
    await stack?.stop();
    await database?.drop();
    await rm(keyDir, { recursive: true, force: true });
  });

  it("refuses an upload without the key (401, nothing stored) and accepts it with the bearer key", async () => {
    const sku = uniqueId("guarded");
    const csv = plainSalesCsv([sku], 30);
    const refused = await upload(stack.dashboardUrl, csv);
    expect(refused.status).toBe(401);
    expect(refused.text).toContain("Authorization: Bearer");
    expect((await call(stack.dashboardUrl, `/api/products/${sku}`)).status).toBe(404);

    expect(
      (await upload(stack.dashboardUrl, csv, { authorization: "Bearer wrong-key-0123456789" })).status,
    ).toBe(401);
    const accepted = await upload(stack.dashboardUrl, csv, { authorization: `Bearer ${apiKey}` });
    expect(accepted.status, accepted.text).toBe(200);
    expect((await call(stack.dashboardUrl, `/api/products/${sku}`)).status).toBe(200);
  });

  it("leaves read-only handlers open", async () => {
    const ping = await call(stack.dashboardUrl, "/api/ingress/health/ping", { method: "POST" });
    expect(ping.status).toBe(200);
    const missing = await call(stack.dashboardUrl, "/api/ingress/product/no-such-product/status", {
      method: "POST",
    });
    expect(missing.status).toBe(404);
  });

  it("signs in with the key into an HttpOnly same-site cookie that authorises same-origin changes only", async () => {
    expect((await call(stack.dashboardUrl, "/api/session")).json()).toEqual({
      authRequired: true,
      authenticated: false,
    });
    const wrong = await call(stack.dashboardUrl, "/api/session", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ apiKey: "not-the-key-0123456789" }),
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("set-cookie")).toBeNull();

    const signedIn = await call(stack.dashboardUrl, "/api/session", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ apiKey }),
    });
    expect(signedIn.status).toBe(200);
    const setCookie = signedIn.headers.get("set-cookie")!;
    expect(setCookie).toMatch(/^procure_api_key=[^;]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+$/);
    const cookie = setCookie.split(";")[0]!;

    const sku = uniqueId("cookie");
    const upsert = (headers: Record<string, string>) =>
      call(stack.dashboardUrl, `/api/ingress/product/${sku}/upsert`, {
        method: "POST",
        headers: { "content-type": "application/json", cookie, ...headers },
        body: JSON.stringify({ name: "Cookie product", stock: 3 }),
      });
    const host = new URL(stack.dashboardUrl).host;
    expect((await upsert({ origin: "https://evil.example" })).status).toBe(401);
    const sameOrigin = await upsert({ origin: `http://${host}` });
    expect(sameOrigin.status, sameOrigin.text).toBe(200);
    expect(sameOrigin.json()).toMatchObject({ id: sku, name: "Cookie product", stock: 3 });
  });

  it("makes the service endpoint refuse requests that Restate did not sign", async () => {
    const session = http2.connect(`http://127.0.0.1:${servicePort}`);
    try {
      const status = await new Promise<number>((resolve, reject) => {
        const request = session.request({ ":method": "GET", ":path": "/discover" });
        request.once("response", (headers) => {
          request.resume();
          resolve(Number(headers[":status"]));
        });
        request.once("error", reject);
        request.end();
      });
      expect(status).toBe(401);
    } finally {
      session.destroy();
    }
  });

  const browserTest = existsSync(chromiumPath) ? describe : (describe.skip as typeof describe);
  browserTest(
    existsSync(chromiumPath)
      ? "in headless Chromium"
      : `in headless Chromium — SKIPPED: ${chromiumPath} is not installed (apt-get install -y chromium)`,
    () => {
      let browser: Browser;
      let page: Page;
      const sku = uniqueId("browser");

      beforeAll(async () => {
        await mkdir(screenshots, { recursive: true });
        const seeded = await upload(stack.dashboardUrl, plainSalesCsv([sku], 52), {
          authorization: `Bearer ${apiKey}`,
        });
        expect(seeded.status, seeded.text).toBe(200);
        await waitForRetrains((seeded.json() as UploadResult).uploadId, stack.ingressUrl);
        browser = await chromium.launch({
          executablePath: chromiumPath,
          args: [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
          ],
        });
        page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      });

      afterAll(async () => {
        await browser?.close();
      });

      it("lists the products and opens one with its demand chart", async () => {
        await page.goto(stack.dashboardUrl);
        const row = page.locator(`tr[data-product="${sku}"]`);
        await row.waitFor();
        expect(await row.locator(".badge").textContent()).toBe("Out of stock");
        await page.screenshot({ path: join(screenshots, "products.png"), fullPage: true });

        await row.locator("a").click();
        await page.locator("#demand svg polyline").first().waitFor();
        expect(await page.locator("h1").textContent()).toContain(sku);
        expect(await page.locator("#demand svg polyline").count()).toBe(2);
        expect(await page.locator("#demand svg polygon").count()).toBe(1);
        expect(await page.locator("#advice .figure").count()).toBe(7);
        await page.screenshot({ path: join(screenshots, "product.png"), fullPage: true });
      });

      it("uploads a CSV from the page after signing in", async () => {
        await page.goto(`${stack.dashboardUrl}/#/`);
        const uploaded = uniqueId("page");
        await page.locator("#upload-input").setInputFiles({
          name: "page-sales.csv",
          mimeType: "text/csv",
          buffer: Buffer.from(plainSalesCsv([uploaded], 20)),
        });
        await page.locator("#sign-in").waitFor({ state: "visible" });
        await page.locator("#api-key").fill(apiKey);
        await page.screenshot({ path: join(screenshots, "sign-in.png") });
        await page.locator("#sign-in button[type=submit]").click();
        await page.locator("#notice", { hasText: "rows stored" }).waitFor();
        expect(await page.locator("#notice").textContent()).toContain("page-sales.csv: 40 rows stored");
        expect(await page.locator("#session-button").textContent()).toBe("Sign out");
        await page.screenshot({ path: join(screenshots, "upload.png"), fullPage: true });
        expect((await call(stack.dashboardUrl, `/api/products/${uploaded}`)).status).toBe(200);
      });

      it("starts an analysis and shows its report", async () => {
        await page.locator("#analyse-button").click();
        await page.waitForURL(/#\/analysis\//);
        await page.locator("#recommendations").waitFor({ timeout: 90_000 });
        expect(await page.locator("h1 .badge").textContent()).toBe("completed");
        expect(await page.locator("pre.markdown").textContent()).toContain("# Purchase analysis");
        await page.screenshot({ path: join(screenshots, "analysis.png"), fullPage: true });

        await page.goto(`${stack.dashboardUrl}/#/`);
        await page.locator("#analyses tbody tr").first().waitFor();
        expect(await page.locator("#analyses tbody tr").count()).toBe(1);
      });
    },
  );
});
