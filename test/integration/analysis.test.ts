import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { AnalysisWorkflow } from "../../services/analysis/index.ts";
import type { UploadResult } from "../../services/ingestion.ts";
import type { AssistantBlock } from "../../shared/agent/llm.ts";
import { connectDatabase, type Database } from "../../shared/db/connection.ts";
import {
  ingress,
  plainSalesCsv,
  productClient,
  testDatabase,
  uniqueId,
  uploadCsv,
  waitForRetrains,
} from "../support/clients.ts";
import { sentToolResults, startFakeAnthropic, type FakeAnthropic } from "../support/fake-anthropic.ts";
import { projectRoot, startOwnStack, type OwnStack } from "../support/stack.ts";

function analysisClient(id: string, url?: string) {
  return ingress(url).workflowClient<AnalysisWorkflow>({ name: "analysis" }, id);
}

interface Catalogue {
  /** About 1.9 units sold a day, 2 in stock, 14 days lead time: runs out long before a delivery. */
  readonly short: string;
  /** Same demand, 500 in stock: far above any order-up-to level. */
  readonly overstocked: string;
  /** No sales history, hence no forecast model. */
  readonly unsold: string;
}

/** Products with a trained model each (but `unsold`), their stock and costs set through the product object. */
async function createCatalogue(url: string): Promise<Catalogue> {
  const catalogue = { short: uniqueId("short"), overstocked: uniqueId("over"), unsold: uniqueId("unsold") };
  const response = await uploadCsv(plainSalesCsv([catalogue.short, catalogue.overstocked], 60), url);
  expect(response.status, response.body).toBe(200);
  const upload = JSON.parse(response.body) as UploadResult;
  expect(await waitForRetrains(upload.uploadId, url)).toMatchObject({ queued: 0, failed: 0 });
  await productClient(catalogue.short, url).upsert({ stock: 2, leadTimeDays: 14, unitCost: "19.90" });
  await productClient(catalogue.overstocked, url).upsert({ stock: 500, unitCost: "19.90" });
  await productClient(catalogue.unsold, url).upsert({ name: "Never sold", stock: 5 });
  return catalogue;
}

async function analysisRow(db: Database, id: string) {
  const [row] =
    await db`select status, mode, products, report, markdown, error from analyses where id = ${id}`;
  return row;
}

describe("analysis offline (no ANTHROPIC_API_KEY)", () => {
  const db = testDatabase();
  let catalogue: Catalogue;
  beforeAll(async () => {
    catalogue = await createCatalogue(inject("stack").ingressUrl);
  });
  afterAll(() => db.end());

  it("returns the id at once, then a report by rules: buy the short product, reduce the overstock", async () => {
    const id = uniqueId("analysis");
    const client = analysisClient(id);
    const submission = await client.workflowSubmit({
      products: [catalogue.short, catalogue.overstocked, catalogue.unsold],
    });
    expect(submission.status).toBe("Accepted");

    const { report, markdown } = await client.workflowAttach();
    expect(report).toMatchObject({
      analysisId: id,
      mode: "offline",
      model: null,
      scanned: [catalogue.short, catalogue.overstocked, catalogue.unsold],
      unassessed: [{ productId: catalogue.unsold }],
      notes: [],
    });
    expect(report.unassessed[0]?.reason).toMatch(/^404: .*no forecast model/);
    expect(report.flagged.map((flag) => [flag.productId, flag.risks])).toEqual([
      [catalogue.short, ["stockout"]],
      [catalogue.overstocked, ["overstock"]],
    ]);
    const [buy, reduce] = report.recommendations;
    expect(buy).toMatchObject({
      productId: catalogue.short,
      action: "buy_now",
      source: { sourceId: null, label: "catalogue unit cost" },
      unitPrice: { amount: "19.90", currency: "USD" },
      decidedBy: "rules",
    });
    expect(buy!.quantity).toBeGreaterThan(20);
    const cents = BigInt(buy!.quantity) * 1990n;
    expect(buy!.expectedCost).toEqual({
      amount: `${cents / 100n}.${String(cents % 100n).padStart(2, "0")}`,
      currency: "USD",
    });
    expect(buy!.reasons[0]?.figures).toMatchObject({ stock: 2, leadTimeDays: 14 });
    expect(reduce).toMatchObject({ productId: catalogue.overstocked, action: "reduce", expectedCost: null });
    expect(reduce!.quantity).toBeGreaterThan(400);
    expect(report.usage).toMatchObject({ turns: 0, inputTokens: 0, toolErrors: 1 });
    expect(markdown).toContain(`# Purchase analysis ${id}`);
    expect(markdown).toContain(
      `| ${catalogue.short} | Buy now | ${buy!.quantity} | catalogue unit cost | 19.90 USD |`,
    );

    expect(await client.report()).toEqual({ report, markdown });
    expect(await client.status()).toMatchObject({
      status: "completed",
      phase: "done",
      flagged: [catalogue.short, catalogue.overstocked],
      analysed: [catalogue.short, catalogue.overstocked],
    });
    expect(await analysisRow(db, id)).toEqual({
      status: "completed",
      mode: "offline",
      products: [catalogue.short, catalogue.overstocked, catalogue.unsold],
      report,
      markdown,
      error: null,
    });
  });

  it("rejects an invalid product id in the input with 400 naming it", async () => {
    const response = await fetch(
      new URL(`/analysis/${uniqueId("analysis")}/run`, inject("stack").ingressUrl),
      {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ products: ["bad id!"] }),
      },
    );
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("products");
  });

  it("answers 404 for the status of an analysis that never ran", async () => {
    await expect(analysisClient(uniqueId("ghost")).status()).rejects.toMatchObject({ status: 404 });
  });

  it("is started from the CLI, which prints the id at once, and read back with `procure analysis`", async () => {
    const run = promisify(execFile);
    const env = { ...process.env, RESTATE_INGRESS_URL: inject("stack").ingressUrl, ANTHROPIC_API_KEY: "" };
    const started = await run(
      process.execPath,
      ["bin/procure.mjs", "analyse", "--products", `${catalogue.short},${catalogue.unsold}`, "--json"],
      { cwd: projectRoot, env },
    );
    const { id } = JSON.parse(started.stdout) as { id: string };
    expect(id).toMatch(/^analysis-\d{8}-\d{6}-[0-9a-f]{6}$/);
    await analysisClient(id).workflowAttach();
    const shown = await run(process.execPath, ["bin/procure.mjs", "analysis", id], { cwd: projectRoot, env });
    expect(shown.stdout).toContain(`# Purchase analysis ${id}`);
    expect(shown.stdout).toContain(`### ${catalogue.short}: Buy now`);
  });
});

const reasons = [
  { text: "2 units cover about a day against a 14-day lead time", figures: { stock: 2, leadTimeDays: 14 } },
];

function toolUse(id: string, name: string, input: unknown): AssistantBlock {
  return { type: "tool_use", id, name, input };
}

describe("analysis on Claude (fake Messages API)", () => {
  let fake: FakeAnthropic;
  let stack: OwnStack;
  let db: Database;
  let catalogue: Catalogue;

  beforeAll(async () => {
    fake = await startFakeAnthropic();
    stack = await startOwnStack({
      env: { ANTHROPIC_API_KEY: "test", ANTHROPIC_BASE_URL: fake.url, ANTHROPIC_MODEL: "claude-fake-1" },
    });
    db = connectDatabase(stack.database.url, { maxConnections: 1 });
    catalogue = await createCatalogue(stack.ingressUrl);
  });
  afterAll(async () => {
    await db?.end();
    await stack?.stop();
    await fake?.close();
  });

  const script = (short: string) => ({
    "monitor turn 1": {
      content: [
        { type: "text" as const, text: "Reading the numbers." },
        toolUse("m1", "get_purchase_advice", { productId: short }),
        toolUse("m2", "get_best_price", { productId: short }),
        toolUse("m3", "get_stock_level", { product: short }),
        toolUse("m4", "get_supplier_rating", { productId: short }),
      ],
    },
    "monitor turn 2": {
      content: [
        toolUse("m5", "flag_products", {
          flagged: [{ productId: short, risks: ["stockout"], note: "2 in stock, 14-day lead time" }],
        }),
      ],
    },
    [`analyst ${short} turn 1`]: {
      content: [toolUse("a1", "get_demand_forecast", { productId: short, horizon: 4, unit: "week" })],
    },
    [`analyst ${short} turn 2`]: {
      content: [
        toolUse("a2", "submit_recommendation", {
          action: "buy_now",
          quantity: 30,
          sourceId: null,
          risks: ["stockout"],
          reasons,
        }),
      ],
    },
  });

  it("runs the Monitor and the Analyst on Claude; a malformed call and an unknown tool become tool errors", async () => {
    fake.script(script(catalogue.short));
    const id = uniqueId("claude");
    const { report, markdown } = await analysisClient(id, stack.ingressUrl)
      .workflowSubmit({
        products: [catalogue.short],
      })
      .then(() => analysisClient(id, stack.ingressUrl).workflowAttach());

    expect(fake.keys()).toEqual([
      "monitor turn 1",
      "monitor turn 2",
      `analyst ${catalogue.short} turn 1`,
      `analyst ${catalogue.short} turn 2`,
    ]);
    expect(
      fake.requests.every((request) => request.apiKey === "test" && request.model === "claude-fake-1"),
    ).toBe(true);
    expect(fake.requests[0]?.toolNames).toEqual([
      "get_demand_forecast",
      "get_best_price",
      "get_stock_level",
      "get_purchase_advice",
      "flag_products",
    ]);
    expect(fake.requests[0]?.messages[0]?.content).toContain(
      `{"productId":"${catalogue.short}","stock":2,"leadTimeDays":14,`,
    );
    const [advice, price, malformed, unknown] = sentToolResults(fake.requests[1]!);
    expect(advice?.is_error).toBeUndefined();
    expect(JSON.parse(advice!.content)).toMatchObject({
      productId: catalogue.short,
      stock: 2,
      leadTimeDays: 14,
    });
    expect(JSON.parse(price!.content)).toMatchObject({ productId: catalogue.short, best: null });
    expect(malformed).toMatchObject({ tool_use_id: "m3", is_error: true });
    expect(malformed?.content).toMatch(/^invalid input for get_stock_level: .*productId.*is missing/);
    expect(unknown).toMatchObject({ tool_use_id: "m4", is_error: true });
    expect(unknown?.content).toMatch(/^unknown tool "get_supplier_rating"/);
    const [forecast] = sentToolResults(fake.requests[3]!);
    expect(JSON.parse(forecast!.content)).toMatchObject({ productId: catalogue.short, unit: "week" });

    expect(report).toMatchObject({
      mode: "claude",
      model: "claude-fake-1",
      flagged: [{ productId: catalogue.short, risks: ["stockout"] }],
      recommendations: [
        {
          productId: catalogue.short,
          action: "buy_now",
          quantity: 30,
          unitPrice: { amount: "19.90", currency: "USD" },
          expectedCost: { amount: "597.00", currency: "USD" },
          reasons,
          decidedBy: "claude",
        },
      ],
      usage: {
        turns: 4,
        inputTokens: 4_000,
        outputTokens: 400,
        toolCalls: 7,
        toolErrors: 2,
        requestedToolCalls: 5,
      },
      notes: [],
    });
    expect(markdown).toContain("Decided by: Claude (Analyst).");
    expect(await analysisRow(db, id)).toMatchObject({ status: "completed", mode: "claude", report });
  });

  it("fails cleanly, recorded as failed, when Claude refuses a request", async () => {
    fake.script({});
    const id = uniqueId("refused");
    const client = analysisClient(id, stack.ingressUrl);
    await client.workflowSubmit({ products: [catalogue.short] });
    await expect(client.workflowAttach()).rejects.toThrow(/Claude refused the request \(400\)/);
    expect(fake.keys("unscripted")).toEqual(["monitor turn 1"]);
    expect(await client.status()).toMatchObject({
      status: "failed",
      error: expect.stringMatching(/no scripted reply/),
    });
    await expect(client.report()).rejects.toMatchObject({ status: 409 });
    expect(await analysisRow(db, id)).toMatchObject({ status: "failed", report: null });
  });

  it("finishes after a kill -9 mid-analysis without repeating a finished LLM call", async () => {
    fake.script(script(catalogue.short));
    const id = uniqueId("crash");
    const held = fake.hold("monitor turn 2");
    await analysisClient(id, stack.ingressUrl).workflowSubmit({ products: [catalogue.short] });
    await held;
    expect(await analysisClient(id, stack.ingressUrl).status()).toMatchObject({
      status: "running",
      phase: "monitoring",
    });
    await stack.killService();
    await stack.startService();

    const { report } = await analysisClient(id, stack.ingressUrl).workflowAttach();
    // The call in flight at the kill never finished, so it is the only one asked twice.
    expect(fake.keys("abandoned")).toEqual(["monitor turn 2"]);
    expect(fake.keys("answered")).toEqual([
      "monitor turn 1",
      "monitor turn 2",
      `analyst ${catalogue.short} turn 1`,
      `analyst ${catalogue.short} turn 2`,
    ]);
    expect(report.recommendations).toMatchObject([
      { productId: catalogue.short, action: "buy_now", quantity: 30, expectedCost: { amount: "597.00" } },
    ]);
    expect(report.usage.turns).toBe(4);
    expect(await analysisRow(db, id)).toMatchObject({ status: "completed", report });
  });
});
