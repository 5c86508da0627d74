/**
 * Which periods a stored model is held to account for, and its score over them: the complete
 * periods after its training window, up to the "as of" date of the sales data, at most
 * `maxPeriods` of them. The training window's own series gives the scales.
 */
import { demandCv } from "../catalog/advice-view.ts";
import {
  addPeriods,
  periodStart,
  periodsBetween,
  predict,
  requiredRegressors,
  toRegularSeries,
  type ForecastModel,
  type SalesPoint,
} from "../forecast/index.ts";
import { naiveScales, scoreRealized, type RealizedAccuracy } from "./score.ts";

export interface ModelScore {
  readonly firstPeriod: string;
  readonly lastPeriod: string;
  readonly accuracy: RealizedAccuracy;
  readonly scaleAbsolute: number;
  readonly scaleSquared: number;
  /** Coefficient of variation of the training series (for the XYZ class). */
  readonly demandCv: number | null;
}

/** Two years of weeks: beyond that a model is long overdue for a retrain. */
export const defaultMaxPeriods = 104;

const dayMs = 86_400_000;

/** The last period that has ended by the end of day `asOf` (the period before the one containing the next day). */
function lastCompletePeriod(asOf: string, model: ForecastModel): string {
  const nextDay = new Date(Date.parse(`${asOf}T00:00:00Z`) + dayMs).toISOString().slice(0, 10);
  return addPeriods(periodStart(nextDay, model.frequency), model.frequency, -1);
}

/**
 * Scores `model` on `sales` (the product's daily sales, any order) over the complete periods after
 * its training; null when there are none yet or the model needs regressors the sales lack.
 */
export function scoreModel(
  model: ForecastModel,
  sales: readonly SalesPoint[],
  asOf: string,
  maxPeriods = defaultMaxPeriods,
): ModelScore | null {
  if (requiredRegressors(model).length > 0) return null;
  const firstPeriod = addPeriods(model.trainingEnd, model.frequency, 1);
  const available = periodsBetween(firstPeriod, lastCompletePeriod(asOf, model), model.frequency) + 1;
  const periods = Math.min(available, maxPeriods);
  if (periods <= 0) return null;
  const lastPeriod = addPeriods(firstPeriod, model.frequency, periods - 1);
  const series = toRegularSeries(sales, model.frequency, { start: model.trainingStart, end: lastPeriod });
  const trainingLength = periodsBetween(model.trainingStart, model.trainingEnd, model.frequency) + 1;
  const training = { ...series, values: series.values.slice(0, trainingLength) };
  const actuals = series.values.slice(trainingLength, trainingLength + periods);
  const scales = naiveScales(training.values);
  return {
    firstPeriod,
    lastPeriod,
    accuracy: scoreRealized(predict(model, periods), actuals, scales),
    scaleAbsolute: scales.absolute,
    scaleSquared: scales.squared,
    demandCv: demandCv(training),
  };
}
