/**
 * A product's model history and rollback: `modelHistory` lists every model trained for it with
 * its backtest metrics and realized accuracy; `rollbackModel` serves an earlier model again (by
 * default the one before the serving model) until the next retrain replaces it.
 */
import * as restate from "@restatedev/restate-sdk";
import { Schema } from "effect";
import { demandCv } from "../../shared/catalog/advice-view.ts";
import { modelHistory, type ModelVersion } from "../../shared/db/accuracy.ts";
import { dailySales } from "../../shared/db/sales.ts";
import { predict, toRegularSeries } from "../../shared/forecast/index.ts";
import type { ServiceDependencies } from "../dependencies.ts";
import { ConflictError, NotFoundError } from "../errors.ts";
import { schemaInput } from "../options.ts";
import { evaluateAlerts } from "./alerts.ts";
import { productKey } from "./catalog.ts";
import { loadModel } from "./model-store.ts";
import type { ModelPointer, ProductState } from "./state.ts";

const RollbackRequest = Schema.Struct({
  version: Schema.optionalWith(Schema.Number.pipe(Schema.int(), Schema.positive()), { exact: true }),
});

export interface ModelHistoryEntry extends ModelVersion {
  readonly serving: boolean;
}

/** What one model forecast after its training, beside its realized accuracy (for the product page's chart). */
export interface PastForecast {
  readonly version: number;
  readonly trainedAt: string;
  readonly method: string;
  readonly serving: boolean;
  readonly realized: ModelVersion["realized"];
  readonly points: readonly {
    readonly periodStart: string;
    readonly mean: number;
    readonly lo80: number;
    readonly hi80: number;
  }[];
}

/** Models drawn on the chart (the latest ones), and weeks drawn for a model not yet held to account. */
const pastForecastModels = 6;
const unscoredWeeks = 13;
const maxWeeks = 52;

async function pastForecasts(
  deps: ServiceDependencies,
  history: readonly ModelVersion[],
  servingPath: string | undefined,
): Promise<PastForecast[]> {
  return Promise.all(
    history.slice(-pastForecastModels).map(async (version) => {
      const model = await loadModel(deps, version.path);
      const weeks = Math.min(version.realized?.periods ?? unscoredWeeks, maxWeeks);
      return {
        version: version.version,
        trainedAt: version.trainedAt,
        method: version.method,
        serving: version.path === servingPath,
        realized: version.realized,
        points: predict(model, weeks).map((step) => ({
          periodStart: step.period,
          mean: step.mean,
          lo80: step.lo80,
          hi80: step.hi80,
        })),
      };
    }),
  );
}

async function pointerFor(
  deps: ServiceDependencies,
  productId: string,
  version: ModelVersion,
): Promise<ModelPointer> {
  const [model, sales] = await Promise.all([loadModel(deps, version.path), dailySales(deps.db, productId)]);
  const training = toRegularSeries(sales, model.frequency, {
    start: model.trainingStart,
    end: model.trainingEnd,
  });
  return {
    path: version.path,
    method: model.method,
    frequency: "week",
    demandClass: model.demand.demandClass,
    trainedAt: version.trainedAt,
    trainingStart: model.trainingStart,
    trainingEnd: model.trainingEnd,
    salesRows: version.salesRows,
    demandCv: demandCv(training),
    accuracy: {
      mase: model.backtest.mase,
      rmsse: model.backtest.rmsse,
      bias: model.backtest.biasPercent,
      coverage80: model.backtest.coverage80,
    },
  };
}

export function modelHistoryHandlers(deps: ServiceDependencies) {
  return {
    modelHistory: restate.handlers.object.shared(
      async (ctx: restate.ObjectSharedContext<ProductState>): Promise<ModelHistoryEntry[]> => {
        const id = productKey(ctx);
        const serving = (await ctx.get("model"))?.path;
        const history = await ctx.run("model history", () => modelHistory(deps.db, id));
        return history.map((version) => ({ ...version, serving: version.path === serving }));
      },
    ),

    forecastHistory: restate.handlers.object.shared(
      async (ctx: restate.ObjectSharedContext<ProductState>): Promise<PastForecast[]> => {
        const id = productKey(ctx);
        const serving = (await ctx.get("model"))?.path;
        return ctx.run("forecast history", async () =>
          pastForecasts(deps, await modelHistory(deps.db, id), serving),
        );
      },
    ),

    rollbackModel: restate.handlers.object.exclusive(
      { input: schemaInput(RollbackRequest) },
      async (
        ctx: restate.ObjectContext<ProductState>,
        request: typeof RollbackRequest.Type,
      ): Promise<ModelHistoryEntry> => {
        const id = productKey(ctx);
        const serving = await ctx.get("model");
        const history = await ctx.run("model history", () => modelHistory(deps.db, id));
        const current = history.find((version) => version.path === serving?.path);
        const wanted = request.version ?? (current ? current.version - 1 : 0);
        if (request.version === undefined && wanted < 1) {
          throw new ConflictError(`product "${id}" has no model older than the one it serves`);
        }
        const target = history.find((version) => version.version === wanted);
        if (!target) throw new NotFoundError(`product "${id}" has no model version ${wanted}`);
        const pointer = await ctx.run("load model version", () => pointerFor(deps, id, target));
        ctx.set("model", pointer);
        await evaluateAlerts(ctx, deps);
        return { ...target, serving: true };
      },
    ),
  };
}
