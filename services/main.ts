/**
 * `npm start`: brings up procure in one process tree — the database (embedded PGlite unless
 * DATABASE_URL is set) with its migrations, the service endpoint, the Restate server (unless
 * RESTATE_START_SERVER=false) and the registration of the endpoint — and shuts it all down on
 * Ctrl-C. A second start finds the data of the first under PROCURE_DATA_DIR. Nothing outlives
 * it: if its parent (npm, a terminal) dies it shuts down, and its Restate server dies with it. A
 * start first stops a Restate server orphaned by an earlier one, then checks every port it will
 * listen on and exits, naming them, when something else holds one.
 */
import "../shared/runtime/polyfill.ts";
import { resolve } from "node:path";
import { loadConfig } from "../shared/config/index.ts";
import { connectDatabase } from "../shared/db/connection.ts";
import { startEmbeddedPostgres } from "../shared/db/embedded.ts";
import { migrate } from "../shared/db/migrate.ts";
import { log, setLogLevel } from "../shared/runtime/log.ts";
import { DEFAULT_FETCHER_OPTIONS, createFetcher } from "../shared/scrape/fetch.ts";
import { startEdge } from "./edge/server.ts";
import { startEndpoint } from "./endpoint.ts";
import { PortsTakenError, assertPortsFree, type PlannedPort } from "./runtime/ports.ts";
import {
  registerDeployment,
  startRestateServer,
  stopOrphanedServer,
  waitForAdmin,
  waitForIngress,
} from "./runtime/restate-server.ts";
import type { Config } from "../shared/config/index.ts";
import { startReconciler } from "./runtime/start-reconciler.ts";

const projectRoot = resolve(import.meta.dirname, "..");

const PARENT_CHECK_INTERVAL_MS = 1_000;

function portOf(url: string): number {
  const parsed = new URL(url);
  return Number(parsed.port || (parsed.protocol === "https:" ? 443 : 80));
}

/** Every port this start will listen on, with the setting that chooses it. */
function plannedPorts(config: Config): PlannedPort[] {
  const ports: PlannedPort[] = [
    {
      host: config.SERVICE_HOST,
      port: config.SERVICE_PORT,
      purpose: "the service endpoint",
      variable: "SERVICE_PORT",
    },
    {
      host: config.DASHBOARD_HOST,
      port: config.DASHBOARD_PORT,
      purpose: "the dashboard",
      variable: "DASHBOARD_PORT",
    },
  ];
  if (config.DATABASE_URL === undefined)
    ports.push({
      host: "127.0.0.1",
      port: config.PGLITE_PORT,
      purpose: "embedded PostgreSQL",
      variable: "PGLITE_PORT",
    });
  if (config.RESTATE_START_SERVER === "true")
    ports.push(
      {
        host: "127.0.0.1",
        port: portOf(config.RESTATE_INGRESS_URL),
        purpose: "the Restate ingress",
        variable: "RESTATE_INGRESS_URL",
      },
      {
        host: "127.0.0.1",
        port: portOf(config.RESTATE_ADMIN_URL),
        purpose: "the Restate admin API",
        variable: "RESTATE_ADMIN_URL",
      },
      {
        host: "127.0.0.1",
        port: config.RESTATE_BIND_PORT,
        purpose: "the Restate node",
        variable: "RESTATE_BIND_PORT",
      },
    );
  return ports;
}

async function main(): Promise<void> {
  const config = loadConfig();
  setLogLevel(config.LOG_LEVEL);
  const stopping: Array<() => Promise<void>> = [];
  const shutdown = async (signal: string) => {
    log.info("shutting down", { signal });
    for (const stop of stopping.reverse())
      await stop().catch((error: unknown) => log.error("stop failed", { error: String(error) }));
    process.exit(0);
  };
  process.once("SIGINT", () => void shutdown("SIGINT"));
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) void shutdown("parent exited");
  }, PARENT_CHECK_INTERVAL_MS).unref();

  const restateDataDir = resolve(config.PROCURE_DATA_DIR, "restate");
  if (config.RESTATE_START_SERVER === "true") {
    const orphan = await stopOrphanedServer(restateDataDir);
    if (orphan !== undefined)
      log.warn("stopped a Restate server left running by an earlier start", { pid: orphan });
  }
  await assertPortsFree(plannedPorts(config));

  let databaseUrl = config.DATABASE_URL;
  let databaseLabel = "PostgreSQL (DATABASE_URL)";
  if (databaseUrl === undefined) {
    const embedded = await startEmbeddedPostgres({
      dataDir: resolve(config.PROCURE_DATA_DIR, "pg"),
      host: "127.0.0.1",
      port: config.PGLITE_PORT,
    });
    stopping.push(() => embedded.stop());
    databaseUrl = embedded.url;
    databaseLabel = `embedded PGlite at ${embedded.url} (data in ${resolve(config.PROCURE_DATA_DIR, "pg")})`;
  }
  const db = connectDatabase(databaseUrl, {
    maxConnections: config.DATABASE_MAX_CONNECTIONS ?? (config.DATABASE_URL === undefined ? 1 : 10),
  });
  stopping.push(() => db.end({ timeout: 5 }));
  const applied = await migrate(db);
  if (applied.length > 0) log.info("migrations applied", { applied });

  const fetcher = createFetcher({
    ...DEFAULT_FETCHER_OPTIONS,
    userAgent: config.SCRAPE_USER_AGENT,
    minHostIntervalMs: config.SCRAPE_MIN_HOST_INTERVAL_MS,
    allowPrivateHosts: config.SCRAPE_ALLOW_PRIVATE_HOSTS,
    connectTimeoutMs: config.SCRAPE_TIMEOUT_MS,
    headersTimeoutMs: config.SCRAPE_TIMEOUT_MS,
    bodyTimeoutMs: 2 * config.SCRAPE_TIMEOUT_MS,
    maxRetries: config.SCRAPE_MAX_RETRIES,
  });
  stopping.push(() => fetcher.close());
  const endpoint = await startEndpoint(
    { config, db, fetcher },
    { host: config.SERVICE_HOST, port: config.SERVICE_PORT },
  );
  stopping.push(() => endpoint.close());
  const endpointUrl = config.SERVICE_ADVERTISED_URL ?? `http://127.0.0.1:${endpoint.port}`;

  if (config.RESTATE_START_SERVER === "true") {
    const server = await startRestateServer({
      configFile: resolve(projectRoot, "restate.toml"),
      workingDir: projectRoot,
      dataDir: restateDataDir,
      ingressPort: portOf(config.RESTATE_INGRESS_URL),
      adminPort: portOf(config.RESTATE_ADMIN_URL),
      nodePort: config.RESTATE_BIND_PORT,
      logFile: resolve(config.PROCURE_DATA_DIR, "restate.log"),
    });
    stopping.push(() => server.stop());
  }
  if (config.RESTATE_REGISTER_DEPLOYMENT === "true") {
    await waitForAdmin(config.RESTATE_ADMIN_URL);
    await registerDeployment(config.RESTATE_ADMIN_URL, endpointUrl);
    await waitForIngress(config.RESTATE_INGRESS_URL);
  }
  void startReconciler(config.RESTATE_INGRESS_URL);
  const edge = await startEdge({ config, db }, { host: config.DASHBOARD_HOST, port: config.DASHBOARD_PORT });
  stopping.push(() => edge.close());

  console.log(
    [
      "procure is up",
      `  dashboard http://${config.DASHBOARD_HOST}:${edge.port}`,
      `  ingress   ${config.RESTATE_INGRESS_URL}`,
      `  admin UI  ${config.RESTATE_ADMIN_URL}/ui`,
      `  endpoint  ${endpointUrl}`,
      `  database  ${databaseLabel}`,
      "Press Ctrl-C to stop.",
    ].join("\n"),
  );
}

main().catch((error: unknown) => {
  if (error instanceof PortsTakenError) console.error(error.message);
  else log.error("start-up failed", { error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
