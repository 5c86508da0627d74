/**
 * Training and loading of a product's forecast model: sales from Postgres, the model JSON
 * written under PROCURE_DATA_DIR/models and recorded (with its metrics) in the models table.
 */
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import {
  ForecastError,
  decodeForecastModel,
  fitModel,
  toRegularSeries,
  type ForecastModel,
} from "../../shared/forecast/index.ts";
import { modelByPath, productAsOfDate, saveModel } from "../../shared/db/models.ts";
import { dailySales } from "../../shared/db/sales.ts";
import { demandCv } from "../../shared/catalog/advice-view.ts";
import type { ServiceDependencies } from "../dependencies.ts";
import type { ModelPointer } from "./state.ts";

export type TrainingOutcome =
  | { readonly outcome: "trained"; readonly pointer: ModelPointer }
  | { readonly outcome: "no_sales" }
  | { readonly outcome: "failed"; readonly error: string };

/** Fits a weekly model on the product's whole history and stores it; returns only the pointer. */
export async function trainAndStore(
  deps: ServiceDependencies,
  productId: string,
  runId: string,
  trainedAt: string,
): Promise<TrainingOutcome> {
  const sales = await dailySales(deps.db, productId);
  if (sales.length === 0) return { outcome: "no_sales" };
  const asOf = (await productAsOfDate(deps.db, productId)) ?? sales[sales.length - 1]!.date;
  const weekly = toRegularSeries(sales, "week", { end: asOf });
  let model: ForecastModel;
  try {
    model = fitModel(weekly);
  } catch (error) {
    if (error instanceof ForecastError) return { outcome: "failed", error: error.message };
    throw error;
  }
  const path = join("models", productId, `${trainedAt.replace(/[:.]/g, "-")}-${runId.slice(0, 8)}.json`);
  await writeModelFile(join(deps.config.PROCURE_DATA_DIR, path), model);
  const accuracy = {
    mase: model.backtest.mase,
    rmsse: model.backtest.rmsse,
    bias: model.backtest.biasPercent,
    coverage80: model.backtest.coverage80,
  };
  await saveModel(deps.db, {
    productId,
    path,
    trainedAt,
    method: model.method,
    frequency: model.frequency,
    windowStart: model.trainingStart,
    windowEnd: model.trainingEnd,
    salesRows: sales.length,
    metrics: { ...accuracy, demandClass: model.demand.demandClass, candidates: model.backtest.candidates },
    model,
  });
  return {
    outcome: "trained",
    pointer: {
      path,
      method: model.method,
      frequency: "week",
      demandClass: model.demand.demandClass,
      trainedAt,
      trainingStart: model.trainingStart,
      trainingEnd: model.trainingEnd,
      salesRows: sales.length,
      demandCv: demandCv(weekly),
      accuracy,
    },
  };
}

async function writeModelFile(file: string, model: ForecastModel): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temporary = `${file}.tmp`;
  await writeFile(temporary, JSON.stringify(model));
  await rename(temporary, file);
}

const cache = new Map<string, ForecastModel>();
const cacheLimit = 5000;

/** Loads a stored model: from this process's cache, the model file, or (another replica's) database row. */
export async function loadModel(deps: ServiceDependencies, path: string): Promise<ForecastModel> {
  const cached = cache.get(path);
  if (cached) return cached;
  let stored: unknown;
  try {
    stored = JSON.parse(await readFile(join(deps.config.PROCURE_DATA_DIR, path), "utf8"));
  } catch {
    stored = await modelByPath(deps.db, path);
  }
  if (stored === undefined) throw new Error(`model ${path} is neither on disk nor in the database`);
  const model = decodeForecastModel(stored);
  if (cache.size >= cacheLimit) cache.delete(cache.keys().next().value!);
  cache.set(path, model);
  return model;
}
