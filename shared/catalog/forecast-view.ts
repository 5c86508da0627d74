/**
 * Turns a stored weekly forecast model into what the product object serves: forecast points per
 * week or per day, and the distribution of total demand over any number of days (lead time).
 */
import { predict, predictTotal, totalDemandQuantile, type ForecastModel } from "../forecast/index.ts";
import type { DemandDistribution } from "../inventory/index.ts";
import type { ForecastPoint, ForecastResponse, ModelAccuracy } from "./insights.ts";

const daysPerWeek = 7;

export interface ModelSummary {
  readonly method: string;
  readonly demandClass: string;
  readonly trainedAt: string;
  readonly trainingStart: string;
  readonly trainingEnd: string;
  readonly accuracy: ModelAccuracy;
}

function addDays(date: string, days: number): string {
  const day = new Date(`${date}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + days);
  return day.toISOString().slice(0, 10);
}

/**
 * Forecast for `horizon` weeks, or `horizon` days: a day's figures are its week's spread evenly
 * over the week (a daily rate), since models are fitted on weekly demand.
 */
export function forecastResponse(
  productId: string,
  summary: ModelSummary,
  model: ForecastModel,
  request: { readonly horizon: number; readonly unit: "day" | "week" },
): ForecastResponse {
  const weeks = request.unit === "week" ? request.horizon : Math.ceil(request.horizon / daysPerWeek);
  const weekly = predict(model, weeks);
  const points: ForecastPoint[] =
    request.unit === "week"
      ? weekly.map((step) => ({
          periodStart: step.period,
          days: daysPerWeek,
          mean: step.mean,
          p05: step.q05,
          p10: step.q10,
          p50: step.q50,
          p90: step.q90,
          p95: step.q95,
          lo80: step.lo80,
          hi80: step.hi80,
        }))
      : weekly
          .flatMap((step) =>
            Array.from({ length: daysPerWeek }, (_, day) => ({
              periodStart: addDays(step.period, day),
              days: 1,
              mean: step.mean / daysPerWeek,
              p05: step.q05 / daysPerWeek,
              p10: step.q10 / daysPerWeek,
              p50: step.q50 / daysPerWeek,
              p90: step.q90 / daysPerWeek,
              p95: step.q95 / daysPerWeek,
              lo80: step.lo80 / daysPerWeek,
              hi80: step.hi80 / daysPerWeek,
            })),
          )
          .slice(0, request.horizon);
  const total = demandOverDays(model, weeks * daysPerWeek);
  const scale = request.unit === "week" ? 1 : request.horizon / (weeks * daysPerWeek);
  return {
    productId,
    unit: request.unit,
    method: summary.method,
    seriesClass: summary.demandClass,
    trainedAt: summary.trainedAt,
    trainingWindow: { start: summary.trainingStart, end: summary.trainingEnd },
    accuracy: summary.accuracy,
    points,
    total: {
      mean: total.mean * scale,
      p10: total.quantile(0.1) * scale,
      p50: total.quantile(0.5) * scale,
      p90: total.quantile(0.9) * scale,
    },
  };
}

/**
 * Total demand over the next `days` days, from the model's calibrated k-week totals; a part
 * week interpolates linearly between the whole weeks around it.
 */
export function demandOverDays(model: ForecastModel, days: number): DemandDistribution {
  const weeks = Math.max(0, days) / daysPerWeek;
  const lower = Math.floor(weeks);
  const upper = Math.ceil(weeks);
  const fraction = weeks - lower;
  const meanOf = (periods: number) => (periods === 0 ? 0 : predictTotal(model, periods).mean);
  const quantileOf = (periods: number, p: number) =>
    periods === 0 ? 0 : totalDemandQuantile(model, periods, p);
  const blend = (low: number, high: number) => low + (high - low) * fraction;
  return {
    mean: blend(meanOf(lower), meanOf(upper)),
    quantile: (p: number) => blend(quantileOf(lower, p), quantileOf(upper, p)),
  };
}
