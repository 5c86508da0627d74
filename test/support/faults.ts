/** Fault-injection helpers: kill an invocation through Restate's admin API, and the invariants that must hold after any fault. */
import { expect } from "vitest";
import type { Database } from "../../shared/db/connection.ts";
import { adminQuery, eventually, productClient } from "./clients.ts";

/** Kills an invocation the way an exhausted retry policy does. */
export async function killInvocation(adminUrl: string, invocationId: string): Promise<void> {
  const response = await fetch(new URL(`/invocations/${invocationId}/kill`, adminUrl), { method: "PATCH" });
  if (!response.ok) throw new Error(`kill ${invocationId}: ${response.status} ${await response.text()}`);
}

/** Unfinished invocations by status, for every service (the reconciler's own tick included). */
export async function unfinishedByStatus(adminUrl: string): Promise<Record<string, number>> {
  const rows = await adminQuery(
    "select status, count(*) as n from sys_invocation where status <> 'completed' group by status",
    adminUrl,
  );
  return Object.fromEntries(rows.map((row) => [String(row.status), Number(row.n)]));
}

/** Invocations of a product handler that have not completed. */
export async function pendingFor(adminUrl: string, handler: string, productId: string): Promise<number> {
  const rows = await adminQuery(
    `select id from sys_invocation where target_service_name = 'product' and target_handler_name = '${handler}'
       and target_service_key = '${productId}' and status <> 'completed'`,
    adminUrl,
  );
  return rows.length;
}

/**
 * What must hold once the platform has settled after faults: every upload's sales stored once,
 * no retrain queued, one current model per product with sales, exactly one pending scrape per
 * scheduled product, no analysis left running, nothing running, retrying or paused in Restate.
 */
export async function expectSettled(options: {
  readonly db: Database;
  readonly ingressUrl: string;
  readonly adminUrl: string;
  /** Sales rows the uploads hold in all (unchecked when undefined). */
  readonly salesRows?: number;
  readonly scheduled: readonly string[];
  readonly timeoutMs?: number;
}): Promise<void> {
  const { db, ingressUrl, adminUrl } = options;
  await eventually(
    "retrains, analyses and invocations to settle",
    async () => {
      const [queued] = await db`select count(*)::int as n from retrain_requests where status = 'queued'`;
      const [running] = await db`select count(*)::int as n from analyses where status = 'running'`;
      const busy = await unfinishedByStatus(adminUrl);
      const onlyTimers = Object.keys(busy).every((status) => status === "scheduled");
      return queued?.n === 0 && running?.n === 0 && onlyTimers ? true : undefined;
    },
    options.timeoutMs ?? 60_000,
  );
  if (options.salesRows !== undefined) {
    const [sales] = await db`select count(*)::int as n from sales`;
    expect(sales?.n).toBe(options.salesRows);
  }
  const withSales = await db<{ productId: string }[]>`select distinct product_id from sales order by 1`;
  for (const { productId } of withSales) {
    const status = await productClient(productId, ingressUrl).status();
    expect(status.model, `model of ${productId}`).not.toBeNull();
    const stored = await db`select 1 from models where path = ${status.model!.path}`;
    expect(stored, `stored model of ${productId}`).toHaveLength(1);
  }
  for (const productId of options.scheduled) {
    const status = await productClient(productId, ingressUrl).status();
    expect(status.schedule?.active, `schedule of ${productId}`).toBe(true);
    await eventually(`exactly one pending scrape of ${productId}`, async () =>
      (await pendingFor(adminUrl, "scheduledScrape", productId)) === 1 ? true : undefined,
    );
  }
}
