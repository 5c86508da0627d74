import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { restateServerBinary } from "../../services/runtime/restate-server.ts";
import { productClient } from "../support/clients.ts";
import { freePort, projectRoot } from "../support/stack.ts";

const running: ChildProcess[] = [];
afterAll(() => {
  for (const child of running) child.kill("SIGKILL");
});

const entryPoint = [process.execPath, "--import", "tsx", "services/main.ts"];

/** Runs `npm start`'s entry point (or `wrapper` around it); its output so far and its exit. */
function launch(
  env: Record<string, string>,
  wrapper: (command: string[]) => string[] = (command) => command,
) {
  const [program, ...args] = wrapper(entryPoint);
  const child = spawn(program!, args, {
    cwd: projectRoot,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.push(child);
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** Runs `npm start`'s entry point with its own ports and data dir; resolves with its output once it is up. */
async function start(
  env: Record<string, string>,
  wrapper?: (command: string[]) => string[],
): Promise<{ child: ChildProcess; output: () => string }> {
  const { child, output } = launch(env, wrapper);
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (output().includes("procure is up")) {
        clearInterval(timer);
        resolve();
      }
    }, 100);
    child.once("exit", (code) => {
      clearInterval(timer);
      reject(new Error(`npm start exited with ${code}:\n${output()}`));
    });
  });
  return { child, output };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntil(what: string, condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Its own ports and data dir for one `npm start`, with embedded Postgres. */
async function isolatedEnvironment(): Promise<Record<string, string>> {
  const dataDir = await mkdtemp(join(tmpdir(), "procure-start-"));
  const [ingress, admin, node, service, pglite, dashboard] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  return {
    PROCURE_DATA_DIR: dataDir,
    DATABASE_URL: "",
    PGLITE_PORT: String(pglite),
    SERVICE_PORT: String(service),
    DASHBOARD_PORT: String(dashboard),
    RESTATE_BIND_PORT: String(node),
    RESTATE_INGRESS_URL: `http://127.0.0.1:${ingress}`,
    RESTATE_ADMIN_URL: `http://127.0.0.1:${admin}`,
    RESTATE_LOGGING: "WARN",
  };
}

const pidFileOf = (env: Record<string, string>) =>
  join(env.PROCURE_DATA_DIR!, "restate", "restate-server.pid");

async function stop(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  child.kill("SIGINT");
  return exited;
}

describe("npm start", () => {
  it("runs everything with embedded Postgres, stops on Ctrl-C, and a second start finds the first one's data", async () => {
    const env = await isolatedEnvironment();
    const ingress = new URL(env.RESTATE_INGRESS_URL!).port;
    try {
      const first = await start(env);
      expect(first.output()).toContain(`ingress   http://127.0.0.1:${ingress}`);
      expect(first.output()).toContain("embedded PGlite");
      const product = productClient("lamp", env.RESTATE_INGRESS_URL);
      await product.upsert({ name: "Desk lamp", leadTimeDays: 4 });
      await product.setStock({ stock: 11 });
      expect(await stop(first.child)).toBe(0);

      const second = await start(env);
      const status = await productClient("lamp", env.RESTATE_INGRESS_URL).status();
      expect(status).toMatchObject({
        revision: 1,
        product: { name: "Desk lamp", stock: 11, leadTimeDays: 4 },
      });
      expect(await stop(second.child)).toBe(0);
      expect(existsSync(pidFileOf(env))).toBe(false);
    } finally {
      await rm(env.PROCURE_DATA_DIR!, { recursive: true, force: true });
    }
  });

  it("takes its Restate server down when it is killed with SIGKILL or its parent is, and starts again after", async () => {
    const env = await isolatedEnvironment();
    try {
      const killed = await start(env);
      const server = Number(await readFile(pidFileOf(env), "utf8"));
      expect(isAlive(server)).toBe(true);
      killed.child.kill("SIGKILL");
      await waitUntil("the Restate server died with npm start", () => !isAlive(server));

      const underShell = await start(env, (command) => ["bash", "-c", `${command.join(" ")}; true`]);
      const secondServer = Number(await readFile(pidFileOf(env), "utf8"));
      expect(secondServer).not.toBe(server);
      underShell.child.kill("SIGKILL");
      await waitUntil("the Restate server died with the parent of npm start", () => !isAlive(secondServer));
      await waitUntil("the pid file was removed by the clean shutdown", () => !existsSync(pidFileOf(env)));
    } finally {
      await rm(env.PROCURE_DATA_DIR!, { recursive: true, force: true });
    }
  });

  it("stops a Restate server orphaned by an earlier start before starting its own", async () => {
    const env = await isolatedEnvironment();
    const restateDir = join(env.PROCURE_DATA_DIR!, "restate");
    await mkdir(restateDir, { recursive: true });
    const orphan = spawn(
      restateServerBinary(),
      ["--config-file", join(projectRoot, "restate.toml"), "--no-logo"],
      {
        cwd: projectRoot,
        env: {
          ...process.env,
          RESTATE_BASE_DIR: restateDir,
          RESTATE_INGRESS__BIND_PORT: new URL(env.RESTATE_INGRESS_URL!).port,
          RESTATE_ADMIN__BIND_PORT: new URL(env.RESTATE_ADMIN_URL!).port,
          RESTATE_BIND_PORT: env.RESTATE_BIND_PORT!,
        },
        stdio: "ignore",
      },
    );
    running.push(orphan);
    try {
      await writeFile(pidFileOf(env), `${orphan.pid}\n`);
      const started = await start(env);
      expect(isAlive(orphan.pid!)).toBe(false);
      expect(started.output()).toContain("stopped a Restate server left running by an earlier start");
      expect(await stop(started.child)).toBe(0);
    } finally {
      await rm(env.PROCURE_DATA_DIR!, { recursive: true, force: true });
    }
  });

  it("names the port another process holds and exits without starting anything", async () => {
    const env = await isolatedEnvironment();
    const squatter = createServer();
    const ingressPort = Number(new URL(env.RESTATE_INGRESS_URL!).port);
    await new Promise<void>((resolve) => squatter.listen(ingressPort, "127.0.0.1", () => resolve()));
    try {
      const attempt = launch(env);
      expect(await attempt.exited).toBe(1);
      expect(attempt.output()).toContain(
        `127.0.0.1:${ingressPort} (the Restate ingress) is in use by another process; set RESTATE_INGRESS_URL`,
      );
      expect(existsSync(pidFileOf(env))).toBe(false);
    } finally {
      squatter.close();
      await rm(env.PROCURE_DATA_DIR!, { recursive: true, force: true });
    }
  });
});
