import { spawn } from "node:child_process";
import { describe, expect, inject, it } from "vitest";
import { plainSalesCsv, uniqueId } from "../support/clients.ts";
import { projectRoot } from "../support/stack.ts";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

async function procure(
  args: readonly string[],
  stdin = "",
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ["bin/procure.mjs", ...args], {
    cwd: projectRoot,
    env: {
      ...process.env,
      RESTATE_INGRESS_URL: inject("stack").ingressUrl,
      DASHBOARD_PORT: new URL(inject("stack").dashboardUrl).port,
    },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(stdin);
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  return { code, stdout, stderr };
}

describe("the procure CLI", () => {
  it("creates a product and shows its status", async () => {
    const id = uniqueId("cli");
    const created = await procure([
      "create",
      id,
      "--name",
      "Office chair",
      "--lead-time",
      "9",
      "--unit-cost",
      "199.90",
    ]);
    expect(created.code, created.stderr).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({
      id,
      name: "Office chair",
      leadTimeDays: 9,
      unitCost: "199.9000",
    });
    const shown = await procure(["show", id]);
    expect(JSON.parse(shown.stdout)).toMatchObject({ product: { id, name: "Office chair" } });
  });

  it("uploads a CSV, reports the retrains' progress, then forecasts and advises", async () => {
    const sku = uniqueId("CLI");
    const file = join(await mkdtemp(join(tmpdir(), "procure-cli-")), "sales.csv");
    await writeFile(file, plainSalesCsv([sku], 52));
    const uploaded = await procure(["upload", file]);
    expect(uploaded.code, uploaded.stderr).toBe(0);
    expect(uploaded.stderr).toMatch(/uploading sales\.csv/);
    expect(uploaded.stderr).toMatch(/retrains: 1\/1 finished \(0 queued, 0 failed\)/);
    expect(JSON.parse(uploaded.stdout)).toMatchObject({ status: "stored", rows: 104, retrainsRequested: 1 });

    const forecast = await procure(["forecast", sku, "--weeks", "3"]);
    expect(JSON.parse(forecast.stdout).points).toHaveLength(3);
    await procure(["stock", sku, "4"]);
    const advice = JSON.parse((await procure(["advice", sku])).stdout);
    expect(advice).toMatchObject({ productId: sku, stock: 4, shouldReorder: true });
    expect(advice.orderQuantity).toBeGreaterThan(0);
  });

  it("names the bad lines of a rejected upload and exits non-zero", async () => {
    const file = join(await mkdtemp(join(tmpdir(), "procure-cli-")), "bad.csv");
    await writeFile(file, "sku,date,quantity\nA-1,2024-01-01,two\n");
    const result = await procure(["upload", file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('line 2: quantity "two"');
  });

  it("parses price strings from stdin into JSON lines", async () => {
    const result = await procure(["parse-price"], "R$ 1.299,90\n12x de R$ 108,25 sem juros\n");
    expect(
      result.stdout
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line)),
    ).toEqual([
      { input: "R$ 1.299,90", amount: "1299.90", currency: "BRL" },
      { input: "12x de R$ 108,25 sem juros", amount: null, currency: null },
    ]);
  });

  it("explains a usage mistake with the command's usage", async () => {
    const result = await procure(["stock", "x", "many"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/must be a whole number.*\nusage: procure stock/);
  });
});
