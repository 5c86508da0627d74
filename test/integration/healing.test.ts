import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import * as clients from "@restatedev/restate-sdk-clients";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { uploadCommand } from "../../services/cli/commands/sales.ts";
import { loadConfig } from "../../shared/config/index.ts";
import type { AnalysisWorkflow } from "../../services/analysis/index.ts";
import type { UploadResult } from "../../services/ingestion.ts";
import {
  adminQuery,
  eventually,
  ingress,
  ingestionClient,
  plainSalesCsv,
  productClient,
  unfinishedInvocations,
  uniqueId,
  uploadCsv,
  waitForRetrains,
} from "../support/clients.ts";
import { startFaultStack, type FaultStack } from "../support/fault-stack.ts";
import { expectSettled, killInvocation } from "../support/faults.ts";

/**
 * Its own stack whose database connections go through a TCP proxy that the tests cut. Retries are
 * shortened (a 6 s window) so an outage of OUTAGE_SECONDS (default 12 s) outlasts them, as a
 * 2-minute outage outlasts a production policy of ~1 minute: invocations get killed, and must heal.
 */
const outageMs = Number(process.env.OUTAGE_SECONDS ?? 12) * 1000;
const healingEnv = {
  RETRY_WINDOW_SECONDS: "6",
  RETRY_MAX_INTERVAL_SECONDS: "1",
  RECONCILE_INTERVAL_SECONDS: "3",
  RETRAIN_DEBOUNCE_SECONDS: "3",
};

let fault: FaultStack;

beforeAll(async () => {
  fault = await startFaultStack(healingEnv);
});
afterAll(() => fault?.close());

async function upload(csv: string): Promise<UploadResult> {
  const response = await uploadCsv(csv, fault.stack.ingressUrl);
  expect(response.status, response.body).toBe(200);
  return JSON.parse(response.body) as UploadResult;
}

async function scheduledProduct(intervalSeconds: number) {
  const id = uniqueId("HEAL");
  const product = productClient(id, fault.stack.ingressUrl);
  await product.upsert({ name: "Chair", currency: "BRL" });
  await product.addSource({ url: `${fault.shop.url}/jsonld`, label: "shop" });
  await product.startSchedule({ intervalSeconds });
  return { id, product };
}

describe("self-healing after invocations are killed", () => {
  it("startSchedule with the same interval re-arms a schedule whose pending scrape was killed", async () => {
    const { id, product } = await scheduledProduct(600);
    const armed = (await product.status()).schedule!;
    await killInvocation(fault.stack.adminUrl, armed.timerInvocationId!);
    await eventually("the scrape to be killed", async () =>
      (await unfinishedInvocations(id, "scheduledScrape", fault.stack.adminUrl)).length === 0
        ? true
        : undefined,
    );

    const restarted = await product.startSchedule({ intervalSeconds: 600 });
    expect(restarted.timerInvocationId).not.toBe(armed.timerInvocationId);
    expect((await unfinishedInvocations(id, "scheduledScrape", fault.stack.adminUrl)).length).toBe(1);
    await product.stopSchedule();
  });

  it("the reconciler re-arms a killed schedule and a killed retrain without any request", async () => {
    const { id, product } = await scheduledProduct(600);
    const armed = (await product.status()).schedule!;
    await killInvocation(fault.stack.adminUrl, armed.timerInvocationId!);
    await eventually("a new pending scrape", async () => {
      const schedule = (await product.status()).schedule;
      const rearmed = schedule?.timerInvocationId !== armed.timerInvocationId;
      return rearmed &&
        (await unfinishedInvocations(id, "scheduledScrape", fault.stack.adminUrl)).length === 1
        ? true
        : undefined;
    });

    const sku = uniqueId("HEAL");
    const result = await upload(plainSalesCsv([sku], 20));
    const retrain = await eventually("the delayed retrain", async () => {
      const [pending] = await unfinishedInvocations(sku, "retrain", fault.stack.adminUrl);
      return pending === undefined ? undefined : String(pending.id);
    });
    await killInvocation(fault.stack.adminUrl, retrain);
    expect(await waitForRetrains(result.uploadId, fault.stack.ingressUrl, 30_000)).toMatchObject({
      queued: 0,
      done: 1,
    });
    expect((await productClient(sku, fault.stack.ingressUrl).status()).model).not.toBeNull();
    await product.stopSchedule();
  });

  it("fails an analysis left running by a workflow that no longer runs", async () => {
    const analysisId = uniqueId("orphan");
    await fault.db`insert into analyses (id, status, mode, products, started_at)
             values (${analysisId}, 'running', 'offline', '{}', now() - interval '1 minute')`;
    await eventually("the analysis to be failed", async () => {
      const [row] = await fault.db`select status, error from analyses where id = ${analysisId}`;
      return row?.status === "failed" ? row : undefined;
    });
  });
});

describe("procure upload", () => {
  it("stops following the retrains after --wait seconds, says so, and exits with 3", async () => {
    const file = join(await mkdtemp(join(tmpdir(), "procure-heal-")), "sales.csv");
    await writeFile(file, plainSalesCsv([uniqueId("WAIT")], 10));
    let stderr = "";
    const errors = new PassThrough().on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await uploadCommand.run([file, "--wait", "1"], {
      config: loadConfig({
        RESTATE_INGRESS_URL: fault.stack.ingressUrl,
        DASHBOARD_PORT: new URL(fault.stack.dashboardUrl).port,
      }),
      ingress: clients.connect({ url: fault.stack.ingressUrl }),
      stdout: new PassThrough().resume(),
      stderr: errors,
      stdin: new PassThrough(),
    });
    // The retrain is debounced for 3 s here: it cannot have finished within the 1 s wait.
    expect(code).toBe(3);
    expect(stderr).toMatch(/stopped waiting after 1 s: .*procure progress [0-9a-f]{64}/);
  });
});

/** The outage tests cut a proxy to PostgreSQL; the embedded PGlite has none in front of it. */
describe("a database outage", () => {
  it("shorter than the retry window: an upload sent while the database is down is stored once it is back", async (context) => {
    if (fault.stack.database.kind !== "postgres") context.skip();
    const sku = uniqueId("RIDE");
    await fault.proxy.cut();
    const pending = uploadCsv(plainSalesCsv([sku], 25), fault.stack.ingressUrl);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await fault.proxy.restore();
    const response = await pending;
    expect(response.status, response.body).toBe(200);
    const result = JSON.parse(response.body) as UploadResult;
    expect(result).toMatchObject({ status: "stored", changedRows: 50 });
    expect(await waitForRetrains(result.uploadId, fault.stack.ingressUrl, 30_000)).toMatchObject({
      queued: 0,
      done: 1,
    });
    const [sales] = await fault.db`select count(*)::int as n from sales where product_id = ${sku}`;
    expect(sales?.n).toBe(50);
  });

  it("an analysis that cannot start because the database is down ends failed, never running", async (context) => {
    if (fault.stack.database.kind !== "postgres") context.skip();
    const analysisId = uniqueId("outage");
    const analysis = ingress(fault.stack.ingressUrl).workflowClient<AnalysisWorkflow>(
      { name: "analysis" },
      analysisId,
    );
    await fault.proxy.cut();
    try {
      await analysis.workflowSubmit({});
      const progress = await eventually(
        "the analysis to fail",
        async () => {
          // Until the run has started, only the (unreachable) database knows the analysis.
          const status = await Promise.resolve(analysis.status()).catch(() => undefined);
          return status?.status === "running" ? undefined : status;
        },
        30_000,
      );
      expect(progress).toMatchObject({ status: "failed" });
      expect(progress.error).toMatch(/ECONNREFUSED|connect/);
    } finally {
      await fault.proxy.restore();
    }
  });

  it("longer than the retry window: retrains, schedules and uploads all finish afterwards", async (context) => {
    if (fault.stack.database.kind !== "postgres") context.skip();
    const sku = uniqueId("OUT");
    const first = await upload(plainSalesCsv([sku], 30));
    await waitForRetrains(first.uploadId, fault.stack.ingressUrl);
    const { id: scheduled } = await scheduledProduct(2);

    const second = await upload(plainSalesCsv([sku], 40));
    expect(second.changedRows).toBe(20);
    await fault.proxy.cut();
    const cutAt = Date.now();
    // The outage outlasts the retries: Restate kills the scheduled scrape that comes due.
    await eventually(
      "Restate to kill the scheduled scrape",
      async () => {
        const killed = await adminQuery(
          `select id from sys_invocation where target_service_key = '${scheduled}'
             and target_handler_name = 'scheduledScrape' and completion_result = 'failure'`,
          fault.stack.adminUrl,
        );
        return killed.length > 0 ? true : undefined;
      },
      30_000,
    );
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, cutAt + outageMs - Date.now())));
    await fault.proxy.restore();

    expect(await waitForRetrains(second.uploadId, fault.stack.ingressUrl, 45_000)).toMatchObject({
      queued: 0,
    });
    const scrapedAfter = new Date().toISOString();
    await eventually(
      "a scheduled scrape after the outage",
      async () => {
        const at = (await productClient(scheduled, fault.stack.ingressUrl).status()).lastScrape?.at;
        return at !== undefined && at > scrapedAfter ? true : undefined;
      },
      30_000,
    );
    const third = await upload(plainSalesCsv([sku], 45));
    expect(await waitForRetrains(third.uploadId, fault.stack.ingressUrl, 30_000)).toMatchObject({
      queued: 0,
      done: 1,
    });
    expect((await productClient(sku, fault.stack.ingressUrl).status()).model?.salesRows).toBe(90);
    expect(
      await ingestionClient(fault.stack.ingressUrl).progress({ uploadId: second.uploadId }),
    ).toMatchObject({
      queued: 0,
    });

    const [sales] = await fault.db`select count(*)::int as n from sales where product_id = ${sku}`;
    expect(sales?.n).toBe(90);
    await expectSettled({
      db: fault.db,
      ingressUrl: fault.stack.ingressUrl,
      adminUrl: fault.stack.adminUrl,
      scheduled: [scheduled],
    });
  });
});
