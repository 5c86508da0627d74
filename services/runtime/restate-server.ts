/**
 * Runs the Restate server binary shipped in the npm package `@restatedev/restate-server`,
 * registers the service endpoint with its admin API and probes readiness with a real call.
 * The server dies with the process that started it, whatever kills that one: on Linux it runs
 * under `setpriv --pdeathsig`, and its pid file in the data dir lets the next start stop an
 * orphan that survived anyway (another OS, a kill of the whole session).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync, readFileSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { arch, platform } from "node:os";
import { dirname } from "node:path";

export interface RestateServerOptions {
  readonly configFile: string;
  readonly workingDir: string;
  /** Where the server keeps its data (and its pid file); overrides the config file. */
  readonly dataDir: string;
  /** Overrides of the config file, e.g. for tests on free ports. */
  readonly ingressPort?: number;
  readonly adminPort?: number;
  readonly nodePort?: number;
  /** Where the server's own log goes; inherits this process's output when unset. */
  readonly logFile?: string;
  /** Further RESTATE_* overrides (a cluster node's name, addresses, roles, replication). */
  readonly env?: Readonly<Record<string, string>>;
}

export interface RestateServer {
  readonly process: ChildProcess;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export function restateServerBinary(): string {
  const require = createRequire(import.meta.url);
  const packageJson = require.resolve(`@restatedev/restate-server-${platform()}-${arch()}/package.json`);
  return `${dirname(packageJson)}/bin/restate-server`;
}

const PARENT_DEATH_WRAPPER = "/usr/bin/setpriv";

/**
 * The command line that runs `command` so the kernel sends it `signal` when this process dies,
 * even by kill -9 (Linux `setpriv --pdeathsig`); unchanged where setpriv is missing.
 */
export function tiedToParent(command: readonly string[], signal: "TERM" | "KILL" = "TERM"): string[] {
  return existsSync(PARENT_DEATH_WRAPPER)
    ? [PARENT_DEATH_WRAPPER, "--pdeathsig", signal, "--", ...command]
    : [...command];
}

function pidFileOf(dataDir: string): string {
  return `${dataDir}/restate-server.pid`;
}

/** Whether pid is a live restate-server (where /proc exists, by its command line). */
function isRunningRestateServer(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  if (!existsSync("/proc")) return true;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "latin1").includes("restate-server");
  } catch {
    return false;
  }
}

/**
 * Stops a restate-server that an earlier start left running on the same data dir (its pid file
 * survives a kill -9 of that start). Answers the pid it stopped, if any.
 */
export async function stopOrphanedServer(dataDir: string): Promise<number | undefined> {
  const pidFile = pidFileOf(dataDir);
  const pid = Number((await readFile(pidFile, "utf8").catch(() => "")).trim());
  if (!Number.isInteger(pid) || pid <= 0 || !isRunningRestateServer(pid)) {
    await rm(pidFile, { force: true });
    return undefined;
  }
  process.kill(pid, "SIGTERM");
  const deadline = Date.now() + 10_000;
  while (isRunningRestateServer(pid) && Date.now() < deadline) await sleep(100);
  if (isRunningRestateServer(pid)) process.kill(pid, "SIGKILL");
  while (isRunningRestateServer(pid)) await sleep(100);
  await rm(pidFile, { force: true });
  return pid;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function startRestateServer(options: RestateServerOptions): Promise<RestateServer> {
  const overrides: Record<string, string> = { RESTATE_BASE_DIR: options.dataDir };
  if (options.ingressPort !== undefined) overrides.RESTATE_INGRESS__BIND_PORT = String(options.ingressPort);
  if (options.adminPort !== undefined) overrides.RESTATE_ADMIN__BIND_PORT = String(options.adminPort);
  if (options.nodePort !== undefined) overrides.RESTATE_BIND_PORT = String(options.nodePort);

  let output: "inherit" | "pipe" = "inherit";
  if (options.logFile !== undefined) {
    await mkdir(dirname(options.logFile), { recursive: true });
    output = "pipe";
  }
  const command = [restateServerBinary(), "--config-file", options.configFile, "--no-logo"];
  const [program, ...args] = tiedToParent(command);
  await mkdir(options.dataDir, { recursive: true });
  const child = spawn(program!, args, {
    cwd: options.workingDir,
    env: { ...process.env, ...overrides, ...options.env },
    stdio: ["ignore", output, output],
  });
  if (options.logFile !== undefined) {
    const log = createWriteStream(options.logFile, { flags: "a" });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
  }
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.once("spawn", () => resolve());
    child.once("error", reject);
  });
  const pidFile = pidFileOf(options.dataDir);
  if (child.pid !== undefined) await writeFile(pidFile, `${child.pid}\n`);
  return {
    process: child,
    async stop(signal: NodeJS.Signals = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
      await rm(pidFile, { force: true });
    },
  };
}

async function poll<T>(what: string, timeoutMs: number, attempt: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const result = await attempt();
      if (result !== undefined) return result;
    } catch (error) {
      lastError = error;
    }
    await sleep(200);
  }
  const reason = lastError instanceof Error ? `: ${lastError.message}` : "";
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${reason}`);
}

export async function waitForAdmin(adminUrl: string, timeoutMs = 60_000): Promise<void> {
  await poll(`the Restate admin API at ${adminUrl}`, timeoutMs, async () => {
    const response = await fetch(new URL("/health", adminUrl));
    return response.ok ? true : undefined;
  });
}

/** Registers (or re-registers, with force) the endpoint so Restate discovers its handlers. */
export async function registerDeployment(adminUrl: string, endpointUrl: string): Promise<void> {
  await poll(`registration of ${endpointUrl}`, 60_000, async () => {
    const response = await fetch(new URL("/deployments", adminUrl), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ uri: endpointUrl, force: true }),
    });
    if (response.ok) return true;
    throw new Error(`admin API answered ${response.status}: ${(await response.text()).slice(0, 500)}`);
  });
}

/** Waits until a real invocation goes through the ingress to the endpoint and back. */
export async function waitForIngress(ingressUrl: string, timeoutMs = 60_000): Promise<void> {
  await poll(`a call through the Restate ingress at ${ingressUrl}`, timeoutMs, async () => {
    const response = await fetch(new URL("/health/ping", ingressUrl), {
      method: "POST",
      signal: AbortSignal.timeout(5_000),
    });
    return response.ok ? true : undefined;
  });
}
