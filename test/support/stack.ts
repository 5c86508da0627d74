/**
 * Test harness: a real Postgres (the local server when reachable, else PGlite), a real
 * restate-server on free ports with a temporary data dir, and the service endpoint in its own
 * process (so tests can kill -9 it), registered with Restate exactly as `npm start` does.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import postgres from "postgres";
import { startEmbeddedPostgres } from "../../shared/db/embedded.ts";
import {
  startRestateServer,
  waitForAdmin,
  waitForIngress,
  type RestateServer,
} from "../../services/runtime/restate-server.ts";

export const projectRoot = resolve(import.meta.dirname, "../..");
const localPostgres = "postgres://postgres@127.0.0.1:5432/postgres";

/**
 * Ports are drawn below Linux's ephemeral range (32768–60999): an OS-assigned free port can be taken as
 * the source port of some outgoing connection (Restate nodes dialling each other) between this check and
 * the server binding it. Each vitest worker draws from its own slice, each process never twice.
 */
const FIRST_PORT = 20_000;
const PORTS_PER_WORKER = 1_500;
const WORKER_SLICES = 8;
let portsDrawn = 0;

function listenOnce(port: number): Promise<number | undefined> {
  return new Promise((resolvePort) => {
    const server = createServer();
    server.once("error", () => resolvePort(undefined));
    server.listen(port, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === "object" && address ? address.port : undefined));
    });
  });
}

export async function freePort(): Promise<number> {
  const slice = Number(process.env["VITEST_POOL_ID"] ?? "0") % WORKER_SLICES;
  const first = FIRST_PORT + slice * PORTS_PER_WORKER;
  while (portsDrawn < PORTS_PER_WORKER) {
    const port = await listenOnce(first + ((process.pid + portsDrawn++) % PORTS_PER_WORKER));
    if (port !== undefined) return port;
  }
  const assigned = await listenOnce(0);
  if (assigned === undefined) throw new Error("no free loopback port");
  return assigned;
}

export interface TestDatabase {
  readonly url: string;
  readonly kind: "postgres" | "pglite";
  drop(): Promise<void>;
}

/**
 * A fresh database for this test run: its own database on the local server, or its own PGlite
 * when that server is unreachable (or PROCURE_TEST_DATABASE=pglite).
 */
export async function provisionDatabase(): Promise<TestDatabase> {
  const admin = postgres(localPostgres, { max: 1, connect_timeout: 2, onnotice: () => undefined });
  try {
    if (process.env.PROCURE_TEST_DATABASE === "pglite") throw new Error("PGlite requested");
    await admin`select 1`;
  } catch {
    await admin.end({ timeout: 1 }).catch(() => undefined);
    const dataDir = await mkdtemp(join(tmpdir(), "procure-pglite-"));
    const embedded = await startEmbeddedPostgres({ dataDir, host: "127.0.0.1", port: await freePort() });
    return {
      url: embedded.url,
      kind: "pglite",
      async drop() {
        await embedded.stop();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  }
  const name = `procure_test_${process.pid}_${Date.now()}`;
  await admin.unsafe(`create database ${name}`);
  return {
    url: `postgres://postgres@127.0.0.1:5432/${name}`,
    kind: "postgres",
    async drop() {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end({ timeout: 5 });
    },
  };
}

/** Service settings of every test stack and cluster: quiet logs, no LLM, quick scrapes of loopback shops. */
export const testServiceEnv = {
  RESTATE_LOGGING: "WARN",
  LOG_LEVEL: "error",
  RETRAIN_DEBOUNCE_SECONDS: "1",
  ANTHROPIC_API_KEY: "",
  ANTHROPIC_BASE_URL: "",
  SCRAPE_ALLOW_PRIVATE_HOSTS: "127.0.0.1:*",
  SCRAPE_MIN_HOST_INTERVAL_MS: "0",
  SCRAPE_TIMEOUT_MS: "1500",
};

export interface StackInfo {
  readonly ingressUrl: string;
  /** The dashboard and gateway of the service process (DASHBOARD_PORT). */
  readonly dashboardUrl: string;
  readonly adminUrl: string;
  readonly databaseUrl: string;
  readonly dataDir: string;
}

export interface Stack extends StackInfo {
  /** Process id of the running service process (undefined while it is stopped). */
  servicePid(): number | undefined;
  /** Process id of the running restate-server. */
  restatePid(): number | undefined;
  /** Kills the service process with SIGKILL (no clean-up runs). */
  killService(): Promise<void>;
  /** Starts the service process again (after killService) and waits for it to be reachable. */
  startService(): Promise<void>;
  /** Stops the Restate server (SIGTERM, or SIGKILL for a crash) and starts it again on the same ports and data dir. */
  restartRestate(signal?: NodeJS.Signals): Promise<void>;
  stop(): Promise<void>;
}

export async function startStack(options: {
  readonly database: Pick<TestDatabase, "url" | "kind">;
  readonly env?: Record<string, string>;
}): Promise<Stack> {
  const dataDir = await mkdtemp(join(tmpdir(), "procure-stack-"));
  const [ingressPort, adminPort, nodePort, servicePort, dashboardPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const ingressUrl = `http://127.0.0.1:${ingressPort}`;
  const adminUrl = `http://127.0.0.1:${adminPort}`;
  const restateOptions = {
    configFile: join(projectRoot, "restate.toml"),
    workingDir: projectRoot,
    dataDir: join(dataDir, "restate"),
    ingressPort,
    adminPort,
    nodePort,
    logFile: join(dataDir, "restate.log"),
  };
  let restate: RestateServer = await startRestateServer(restateOptions);
  await waitForAdmin(adminUrl);

  const serviceEnv = {
    ...process.env,
    ...testServiceEnv,
    DATABASE_URL: options.database.url,
    DATABASE_MAX_CONNECTIONS: options.database.kind === "pglite" ? "1" : "4",
    PROCURE_DATA_DIR: dataDir,
    SERVICE_PORT: String(servicePort),
    DASHBOARD_PORT: String(dashboardPort),
    RESTATE_START_SERVER: "false",
    RESTATE_ADMIN_URL: adminUrl,
    RESTATE_INGRESS_URL: ingressUrl,
    SCRAPE_MAX_RETRIES: "2",
    ...options.env,
  };
  let service: ChildProcess | undefined;
  const startService = async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "services/main.ts"], {
      cwd: projectRoot,
      env: serviceEnv,
      stdio: ["ignore", "pipe", "inherit"],
    });
    service = child;
    await new Promise<void>((resolveStart, reject) => {
      let output = "";
      child.stdout?.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes("procure is up")) resolveStart();
      });
      child.once("exit", (code) => reject(new Error(`service process exited with ${code} before it was up`)));
    });
  };
  const stopService = async (signal: NodeJS.Signals) => {
    const child = service;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolveExit) => child.once("exit", resolveExit));
    child.kill(signal);
    await exited;
  };
  await startService();

  return {
    ingressUrl,
    dashboardUrl: `http://127.0.0.1:${serviceEnv.DASHBOARD_PORT}`,
    adminUrl,
    databaseUrl: options.database.url,
    dataDir,
    servicePid: () =>
      service && service.exitCode === null && service.signalCode === null ? service.pid : undefined,
    restatePid: () => restate.process.pid,
    killService: () => stopService("SIGKILL"),
    startService,
    async restartRestate(signal: NodeJS.Signals = "SIGTERM") {
      await restate.stop(signal);
      restate = await startRestateServer(restateOptions);
      await waitForAdmin(adminUrl);
      const serviceRunning =
        service !== undefined && service.exitCode === null && service.signalCode === null;
      if (serviceRunning) await waitForIngress(ingressUrl);
    },
    async stop() {
      await stopService("SIGTERM");
      await restate.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A stack on its own fresh database (`database`), which `stop()` drops after stopping the stack. */
export interface OwnStack extends Stack {
  readonly database: TestDatabase;
}

/**
 * Provisions a database and starts a stack on it; `routeDatabase` points the service at another
 * address for a local PostgreSQL (a proxy the test can cut), while `database.url` stays direct.
 */
export async function startOwnStack(
  options: { readonly env?: Record<string, string>; readonly routeDatabase?: (url: string) => string } = {},
): Promise<OwnStack> {
  const database = await provisionDatabase();
  try {
    const route = database.kind === "postgres" ? options.routeDatabase : undefined;
    const url = route ? route(database.url) : database.url;
    const stack = await startStack({ database: { url, kind: database.kind }, env: options.env });
    return {
      ...stack,
      database,
      async stop() {
        await stack.stop();
        await database.drop();
      },
    };
  } catch (error) {
    await database.drop();
    throw error;
  }
}
