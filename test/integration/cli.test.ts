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
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ["bin/procure.mjs", ...args], {
    cwd: projectRoot,
    env: {
      ...process.env,
      RESTATE_INGRESS_URL: inject("stack").ingressUrl,
      DASHBOARD_PORT: new URL(inject("stack").dashboardUrl).port,
      ...env,
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
      "--json",
    ]);
    expect(created.code, created.stderr).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({
      id,
      name: "Office chair",
      leadTimeDays: 9,
      unitCost: "199.9000",
    });
    const shown = await procure(["show", id, "--json"]);
    expect(JSON.parse(shown.stdout)).toMatchObject({ product: { id, name: "Office chair" } });
    const readable = await procure(["show", id]);
    expect(readable.code, readable.stderr).toBe(0);
    expect(readable.stdout).toMatch(/^product:\n {2}id +\S+\n/);
    expect(readable.stdout).toMatch(/^ {2}lead time days +9$/m);
  });

  it("uploads a CSV, reports the retrains' progress, then forecasts and advises", async () => {
    const sku = uniqueId("CLI");
    const file = join(await mkdtemp(join(tmpdir(), "procure-cli-")), "sales.csv");
    await writeFile(file, plainSalesCsv([sku], 52));
    const uploaded = await procure(["upload", file, "--json"]);
    expect(uploaded.code, uploaded.stderr).toBe(0);
    expect(uploaded.stderr).toMatch(/uploading sales\.csv/);
    expect(uploaded.stderr).toMatch(/retrains: 1\/1 finished \(0 queued, 0 failed\)/);
    expect(JSON.parse(uploaded.stdout)).toMatchObject({ status: "stored", rows: 104, retrainsRequested: 1 });

    const forecast = await procure(["forecast", sku, "--weeks", "3", "--json"]);
    expect(JSON.parse(forecast.stdout).points).toHaveLength(3);
    const table = (await procure(["forecast", sku, "--weeks", "3"])).stdout;
    expect(table).toContain(`${sku}: weekly demand forecast (units)`);
    expect(table).toMatch(/^week of +mean +80% interval$/m);
    expect(table.match(/^\d{4}-\d{2}-\d{2} +[\d.,]+ +[\d.,]+ – [\d.,]+$/gm)).toHaveLength(3);
    expect(table).toMatch(/^trend +[▁▂▃▄▅▆▇█]{3}$/m);
    await procure(["stock", sku, "4"]);
    const readableAdvice = (await procure(["advice", sku])).stdout;
    expect(readableAdvice).toMatch(/^ {2}reorder now +yes: order [\d.,]+ units$/m);
    expect(readableAdvice).toMatch(/^ {2}stock on hand +4 units/m);
    expect(readableAdvice).toMatch(/^ {2}stock-out risk +[\d.]+% over the \d+-day lead time$/m);
    const advice = JSON.parse((await procure(["advice", sku, "--json"])).stdout);
    expect(advice).toMatchObject({ productId: sku, stock: 4, shouldReorder: true });
    expect(advice.orderQuantity).toBeGreaterThan(0);
  });

  it("names the bad lines of a rejected upload and exits with 5 (rejected)", async () => {
    const file = join(await mkdtemp(join(tmpdir(), "procure-cli-")), "bad.csv");
    await writeFile(file, "sku,date,quantity\nA-1,2024-01-01,two\n");
    const result = await procure(["upload", file]);
    expect(result.code).toBe(5);
    expect(result.stderr).toContain('line 2: quantity "two"');
  });

  it("parses price strings from stdin into JSON lines", async () => {
    const result = await procure(["parse-price"], "R$ 1.299,90\n12x de R$ 108,25 sem juros\nIndisponível\n");
    expect(
      result.stdout
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line)),
    ).toEqual([
      { input: "R$ 1.299,90", amount: "1299.90", currency: "BRL" },
      { input: "12x de R$ 108,25 sem juros", amount: "108.25", currency: "BRL" },
      { input: "Indisponível", amount: null, currency: null },
    ]);
  });

  it("says what failed in its exit code: 4 for an unknown product, 7 when procure is unreachable", async () => {
    const missing = await procure(["advice", uniqueId("nobody")]);
    expect(missing.code, missing.stderr).toBe(4);
    expect(missing.stderr).toContain("does not exist");
    const unreachable = await procure(["show", "x"], "", { RESTATE_INGRESS_URL: "http://127.0.0.1:9" });
    expect(unreachable.code, unreachable.stderr).toBe(7);
    const file = join(await mkdtemp(join(tmpdir(), "procure-cli-")), "sales.csv");
    await writeFile(file, plainSalesCsv([uniqueId("unsent")], 2));
    const noDashboard = await procure(["upload", file], "", { DASHBOARD_PORT: "9" });
    expect(noDashboard.code, noDashboard.stderr).toBe(7);
    expect(noDashboard.stderr).toContain("cannot reach 127.0.0.1:9 (ECONNREFUSED");
    const help = await procure(["--help"]);
    expect(help.stdout).toContain("exit codes:");
    expect(help.stdout).toContain("--json");
  });

  it("explains a usage mistake with the command's usage", async () => {
    const result = await procure(["stock", "x", "many"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/must be a whole number.*\nusage: procure stock/);
  });
});
