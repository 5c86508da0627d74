/**
 * Chaos on the `npm run cluster` topology (3 Restate nodes with replication 2, 2 service replicas
 * behind HAProxy, the real PostgreSQL): while an upload, the retrains it causes, scrape schedules
 * firing every 2 s and an analysis run, one Restate node and one service replica are killed with
 * SIGKILL and started again. Nothing may be lost or done twice. Prints throughput of a shared
 * handler before, during and after, and the recovery time.
 */
import { join } from "node:path";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AnalysisWorkflow } from "../../services/analysis/index.ts";
import type { UploadResult } from "../../services/ingestion.ts";
import { connectDatabase, type Database } from "../../shared/db/connection.ts";
import { startCluster, type Cluster } from "../../scripts/cluster/launch.ts";
import { describeWindow, recoveryMs, startLoad, windowFigures } from "../../scripts/cluster/load.ts";
import {
  adminQuery,
  ingress,
  plainSalesCsv,
  productClient,
  uploadCsv,
  waitForRetrains,
} from "../support/clients.ts";
import { startShop, type Shop } from "../support/shop.ts";
import { freeClusterPorts } from "../support/cluster-ports.ts";
import { provisionDatabase, type TestDatabase } from "../support/stack.ts";

const scheduleSeconds = 2;
const killedNode = 1;
const killedReplica = 0;

/** Rows and total quantity of a plain-format CSV (one row per sku and day). */
function csvTotals(csv: string): { rows: number; quantity: number } {
  const lines = csv.trim().split("\n").slice(1);
  return { rows: lines.length, quantity: lines.reduce((sum, line) => sum + Number(line.split(",")[2]), 0) };
}

/** Uploads until an answer comes back: a retried upload of the same file is recognised, never doubled. */
async function uploadUntilAnswered(csv: string, url: string): Promise<UploadResult> {
  for (let attempt = 1; ; attempt++) {
    const response = await uploadCsv(csv, url).catch((error: unknown) => ({
      status: 0,
      body: String(error),
    }));
    if (response.status === 200) return JSON.parse(response.body) as UploadResult;
    if (attempt >= 30) throw new Error(`upload kept failing: ${response.status} ${response.body}`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

async function untilSucceeds<T>(what: string, call: () => Promise<T>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await call();
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`${what} kept failing: ${String(error)}`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

describe("a 3-node Restate cluster with 2 service replicas under kill -9", () => {
  let database: TestDatabase;
  let db: Database;
  let shop: Shop;
  let cluster: Cluster;
  let dataDir: string;

  beforeAll(async () => {
    database = await provisionDatabase();
    expect(database.kind, "the cluster test needs the real PostgreSQL at 127.0.0.1:5432").toBe("postgres");
    db = connectDatabase(database.url, { maxConnections: 2 });
    shop = await startShop();
    dataDir = await mkdtemp(join(tmpdir(), "procure-cluster-"));
    cluster = await startCluster({
      ports: await freeClusterPorts(),
      dataDir,
      databaseUrl: database.url,
      partitions: 8,
      replicaEnv: {
        LOG_LEVEL: "error",
        RESTATE_LOGGING: "WARN",
        DATABASE_MAX_CONNECTIONS: "4",
        RETRAIN_DEBOUNCE_SECONDS: "1",
        ANTHROPIC_API_KEY: "",
        ANTHROPIC_BASE_URL: "",
        SCRAPE_ALLOW_PRIVATE_HOSTS: "127.0.0.1:*",
        SCRAPE_MIN_HOST_INTERVAL_MS: "0",
        SCRAPE_TIMEOUT_MS: "1500",
        SCRAPE_MAX_RETRIES: "1",
      },
    });
  });

  afterAll(async () => {
    await cluster?.stop();
    await shop?.close();
    await db?.end({ timeout: 5 });
    await database?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("loses and duplicates nothing, keeps one model and one pending scrape per product, and finishes the analysis", async () => {
    const url = cluster.ingressUrl;
    const products = Array.from({ length: 16 }, (_, n) => `chaos-${String(n).padStart(2, "0")}`);
    const scheduled = products.slice(0, 8);
    const newcomers = Array.from({ length: 100 }, (_, n) => `late-${String(n).padStart(3, "0")}`);
    const firstCsv = plainSalesCsv(products, 40, "2023-01-02");
    const secondCsv = plainSalesCsv([...products, ...newcomers], 20, "2023-10-09");

    const first = await uploadUntilAnswered(firstCsv, url);
    await waitForRetrains(first.uploadId, url, 120_000);
    for (const id of scheduled) {
      await productClient(id, url).addSource({ url: `${shop.url}/jsonld`, label: "shop" });
      await productClient(id, url).startSchedule({ intervalSeconds: scheduleSeconds });
    }

    const status = async (worker: number, n: number) => {
      const id = products[(worker * 7 + n) % products.length]!;
      const response = await fetch(`${url}/product/${id}/status`, {
        method: "POST",
        signal: AbortSignal.timeout(10_000),
      });
      await response.arrayBuffer();
      if (!response.ok) throw new Error(`status answered ${response.status}`);
    };
    const load = startLoad(4, status);
    const t0 = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 5_000));

    // Chaos: an upload (and the retrains it asks for) and an analysis are under way when the kills land.
    const analysisId = `chaos-analysis-${Date.now()}`;
    const analysis = ingress(url).workflowClient<AnalysisWorkflow>({ name: "analysis" }, analysisId);
    await analysis.workflowSubmit({ products: products.slice(0, 6) });
    const secondUpload = uploadUntilAnswered(secondCsv, url).then((result) => ({
      result,
      answeredAt: performance.now(),
    }));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const killedAt = performance.now();
    await Promise.all([cluster.killNode(killedNode), cluster.killReplica(killedReplica)]);
    await new Promise((resolve) => setTimeout(resolve, 8_000));
    await Promise.all([cluster.startNode(killedNode), cluster.startReplica(killedReplica)]);
    const restartedAt = performance.now();
    const restartedWall = new Date();

    const { result: second, answeredAt: uploadAnsweredAt } = await secondUpload;
    const retrains = await waitForRetrains(second.uploadId, url, 180_000);
    const { report } = await untilSucceeds("attaching to the analysis", () => analysis.workflowAttach());
    const settledAt = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    await load.stop();
    const endedAt = performance.now();

    const before = windowFigures(load.samples, t0, killedAt);
    // "Disturbed" means failed, or slower than anything normal on this (busy) machine.
    const slowMs = Math.max(1_000, 2 * before.p99Ms);
    const streams = await cluster.streamsPerReplica();
    const recovery = recoveryMs(load.samples, killedAt, slowMs);
    console.log(
      [
        "cluster chaos (product/status through the balanced ingress, 4 callers):",
        describeWindow("before", before),
        describeWindow("during", windowFigures(load.samples, killedAt, restartedAt)),
        describeWindow("restart", windowFigures(load.samples, restartedAt, settledAt)),
        describeWindow("after", windowFigures(load.samples, settledAt, endedAt)),
        `recovery: calls failed or took > ${(slowMs / 1000).toFixed(1)} s until ${(recovery / 1000).toFixed(1)} s after the kill -9 ` +
          `(node and replica restarted ${((restartedAt - killedAt) / 1000).toFixed(1)} s after it)`,
        `invocations per replica (HTTP/2 streams through HAProxy): ${JSON.stringify(streams)}`,
        `upload of ${csvTotals(secondCsv).rows} rows answered ${((uploadAnsweredAt - killedAt) / 1000).toFixed(1)} s after the kill; ` +
          `its ${retrains.done} retrains done ${((settledAt - killedAt) / 1000).toFixed(1)} s after it (with the analysis)`,
      ].join("\n"),
    );

    // Both replicas served invocations: the balancer spreads Restate's streams, not only connections.
    expect(Object.keys(streams).sort()).toEqual(["replica-1", "replica-2"]);
    for (const count of Object.values(streams)) expect(count).toBeGreaterThan(50);

    // No sale lost or duplicated.
    const expectedRows = new Map<string, number>();
    let expectedQuantity = 0;
    for (const csv of [firstCsv, secondCsv]) {
      expectedQuantity += csvTotals(csv).quantity;
      for (const line of csv.trim().split("\n").slice(1)) {
        const [sku, date] = line.split(",");
        expectedRows.set(`${sku}/${date}`, 1);
      }
    }
    const [totals] = await db<{ rows: number; quantity: number }[]>`
      select count(*)::int as rows, coalesce(sum(quantity), 0)::int as quantity from sales`;
    expect(totals).toEqual({ rows: expectedRows.size, quantity: expectedQuantity });
    expect(retrains).toMatchObject({ queued: 0, failed: 0 });

    // One current model per product, trained on all of its sales.
    for (const id of [...products, ...newcomers]) {
      const state = await productClient(id, url).status();
      const [latest] = await db<{ path: string; days: number }[]>`
        select m.path, (select count(distinct sale_date)::int from sales s where s.product_id = ${id}) as days
        from models m where m.product_id = ${id} order by m.trained_at desc, m.id desc limit 1`;
      expect(state.model?.path, id).toBe(latest?.path);
      expect(state.model?.salesRows, id).toBe(latest?.days);
    }

    // The analysis completed, once.
    expect(report.analysisId).toBe(analysisId);
    const analyses = await db<{ status: string }[]>`select status from analyses where id = ${analysisId}`;
    expect(analyses.map((row) => row.status)).toEqual(["completed"]);

    // Every schedule kept firing after the restart, with never more than one pending scrape.
    const seenAlone = new Set<string>();
    const deadline = Date.now() + 60_000;
    while (seenAlone.size < scheduled.length && Date.now() < deadline) {
      // A query across the partitions of three busy nodes can fail now and then: ask again.
      const rows = await adminQuery(
        `select target_service_key as product, status from sys_invocation where target_service_name = 'product' and target_handler_name = 'scheduledScrape' and status <> 'completed'`,
        cluster.adminUrl,
      ).catch(() => []);
      for (const id of scheduled) {
        const mine = rows.filter((row) => row.product === id);
        expect(mine.filter((row) => row.status === "scheduled").length, id).toBeLessThanOrEqual(1);
        if (mine.length === 1 && mine[0]?.status === "scheduled") seenAlone.add(id);
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    expect([...seenAlone].sort()).toEqual(scheduled);
    const scrapedSince = await db<{ product: string }[]>`
      select distinct product_id as product from prices where collected_at > ${restartedWall} order by 1`;
    expect(scrapedSince.map((row) => row.product)).toEqual(scheduled);
  });
});
