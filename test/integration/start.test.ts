import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { productClient } from "../support/clients.ts";
import { freePort, projectRoot } from "../support/stack.ts";

const running: ChildProcess[] = [];
afterAll(() => {
  for (const child of running) child.kill("SIGKILL");
});

/** Runs `npm start`'s entry point with its own ports and data dir; resolves with its output once it is up. */
async function start(env: Record<string, string>): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "services/main.ts"], {
    cwd: projectRoot,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.push(child);
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (output.includes("procure is up")) {
        clearInterval(timer);
        resolve();
      }
    }, 100);
    child.once("exit", (code) => {
      clearInterval(timer);
      reject(new Error(`npm start exited with ${code}:\n${output}`));
    });
  });
  return { child, output: () => output };
}

async function stop(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  child.kill("SIGINT");
  return exited;
}

describe("npm start", () => {
  it("runs everything with embedded Postgres, stops on Ctrl-C, and a second start finds the first one's data", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "procure-start-"));
    const [ingress, admin, node, service, pglite, dashboard] = [
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    const env = {
      PROCURE_DATA_DIR: dataDir,
      DATABASE_URL: "",
      PGLITE_PORT: String(pglite),
      SERVICE_PORT: String(service),
      DASHBOARD_PORT: String(dashboard),
      RESTATE_INGRESS__BIND_PORT: String(ingress),
      RESTATE_ADMIN__BIND_PORT: String(admin),
      RESTATE_BIND_PORT: String(node),
      RESTATE_INGRESS_URL: `http://127.0.0.1:${ingress}`,
      RESTATE_ADMIN_URL: `http://127.0.0.1:${admin}`,
      RESTATE_LOGGING: "WARN",
    };
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
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
