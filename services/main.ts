/**
 * `npm start`: brings up procure in one process tree — the database (embedded PGlite unless
 * DATABASE_URL is set) with its migrations, the service endpoint, the Restate server (unless
 * RESTATE_START_SERVER=false) and the registration of the endpoint — and shuts it all down on
 * Ctrl-C. A second start finds the data of the first under PROCURE_DATA_DIR.
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
import {
  registerDeployment,
  startRestateServer,
  waitForAdmin,
  waitForIngress,
} from "./runtime/restate-server.ts";
import { startReconciler } from "./runtime/start-reconciler.ts";

const projectRoot = resolve(import.meta.dirname, "..");

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
      dataDir: resolve(config.PROCURE_DATA_DIR, "restate"),
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
  log.error("start-up failed", { error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
