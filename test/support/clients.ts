/** Typed ingress clients and a database handle for integration tests. */
import * as clients from "@restatedev/restate-sdk-clients";
import { inject } from "vitest";
import type { IngestionService } from "../../services/ingestion.ts";
import type { ProductObject } from "../../services/product/index.ts";
import { connectDatabase } from "../../shared/db/connection.ts";

export function ingress(url: string = inject("stack").ingressUrl) {
  return clients.connect({ url });
}

export function productClient(id: string, url?: string) {
  return ingress(url).objectClient<ProductObject>({ name: "product" }, id);
}

export function testDatabase() {
  return connectDatabase(inject("stack").databaseUrl, { maxConnections: 1 });
}

/** A product id unique to this test run, so tests never see each other's products. */
export function uniqueId(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}`;
}

export function ingestionClient(url?: string) {
  return ingress(url).serviceClient<IngestionService>({ name: "ingestion" });
}

/** Uploads a CSV body the way the CLI does: raw text/csv to ingestion/upload. */
export async function uploadCsv(
  csv: string,
  url: string = inject("stack").ingressUrl,
): Promise<{ status: number; body: string }> {
  const response = await fetch(new URL("/ingestion/upload", url), {
    method: "POST",
    headers: { "content-type": "text/csv" },
    body: csv,
  });
  return { status: response.status, body: await response.text() };
}

/** Polls until every retrain the upload asked for has finished; returns the final counts. */
export async function waitForRetrains(uploadId: string, url?: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const progress = await ingestionClient(url).progress({ uploadId });
    if (progress.queued === 0) return progress;
    if (Date.now() > deadline) throw new Error(`retrains still queued: ${JSON.stringify(progress)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** A plain-format CSV with `weeks` weeks of sales for each sku (deterministic quantities). */
export function plainSalesCsv(skus: readonly string[], weeks: number, start = "2023-01-02"): string {
  const lines = ["sku,date,quantity,price"];
  const first = new Date(`${start}T00:00:00Z`);
  skus.forEach((sku, index) => {
    for (let week = 0; week < weeks; week++) {
      for (const day of [0, 3]) {
        const date = new Date(first);
        date.setUTCDate(first.getUTCDate() + week * 7 + day);
        const quantity = 5 + ((week * 7 + day + index * 3) % 4);
        lines.push(`${sku},${date.toISOString().slice(0, 10)},${quantity},19.90`);
      }
    }
  });
  return `${lines.join("\n")}\n`;
}

/** Rows of a SQL query against Restate's introspection tables (admin API). */
export async function adminQuery(
  sql: string,
  adminUrl: string = inject("stack").adminUrl,
): Promise<Record<string, unknown>[]> {
  const response = await fetch(new URL("/query", adminUrl), {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ query: sql }),
  });
  if (!response.ok) throw new Error(`admin query failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { rows: Record<string, unknown>[] }).rows;
}

/** Invocations of a product handler that have not completed yet (scheduled, running, retrying…). */
export async function unfinishedInvocations(productId: string, handler: string, adminUrl?: string) {
  return adminQuery(
    `select id, status from sys_invocation where target_service_name = 'product' and target_service_key = '${productId}' and target_handler_name = '${handler}' and status <> 'completed'`,
    adminUrl,
  );
}

export async function eventually<T>(
  what: string,
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await check();
    if (result !== undefined) return result;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
