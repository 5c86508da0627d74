/**
 * Baselines and exponential-smoothing methods: naive, seasonal naive, mean, simple exponential
 * smoothing, additive damped trend (Holt) and the Theta method (SES with drift, Hyndman & Billah).
 * Smoothing parameters minimise the in-sample one-step squared error over a grid.
 */
import type { SingleMethodSpec } from "../schema.ts";
import { average, type FitContext } from "./context.ts";

type Spec<M extends SingleMethodSpec["method"]> = Extract<SingleMethodSpec, { method: M }>;

const alphaGrid = [0.01, ...Array.from({ length: 33 }, (_, i) => 0.03 * (i + 1))];
const initialWindow = (n: number): number => Math.min(n, 10);

export function fitNaive(y: readonly number[]): Spec<"naive"> {
  return { method: "naive", last: y[y.length - 1]! };
}

export function fitSeasonalNaive(y: readonly number[], context: FitContext): Spec<"seasonal_naive"> | null {
  const m = context.seasonLength;
  if (y.length < m) return null;
  const season = y.slice(y.length - m) as [number, ...number[]];
  return { method: "seasonal_naive", season };
}

export function fitMean(y: readonly number[]): Spec<"mean"> {
  return { method: "mean", level: average(y) };
}

function sesPass(y: readonly number[], alpha: number): { sse: number; level: number } {
  let level = average(y, 0, initialWindow(y.length));
  let sse = 0;
  for (const value of y) {
    const error = value - level;
    sse += error * error;
    level += alpha * error;
  }
  return { sse, level };
}

export function fitSes(y: readonly number[]): Spec<"ses"> {
  let best = { alpha: alphaGrid[0]!, ...sesPass(y, alphaGrid[0]!) };
  for (const alpha of alphaGrid) {
    const pass = sesPass(y, alpha);
    if (pass.sse < best.sse) best = { alpha, ...pass };
  }
  return { method: "ses", alpha: best.alpha, level: best.level };
}

const dampedAlphas = [0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.85, 0.99];
const dampedBetas = [0.001, 0.01, 0.03, 0.1, 0.2];
const dampedPhis = [0.8, 0.9, 0.95, 0.98];

export function fitDampedTrend(y: readonly number[]): Spec<"damped_trend"> | null {
  const n = y.length;
  if (n < 4) return null;
  const window = Math.max(2, Math.floor(initialWindow(n) / 2));
  const level0 = average(y, 0, window);
  const trend0 = (average(y, window, 2 * window) - level0) / window;
  let best: Spec<"damped_trend"> | null = null;
  let bestSse = Infinity;
  for (const alpha of dampedAlphas) {
    for (const beta of dampedBetas) {
      if (beta > alpha) continue;
      for (const phi of dampedPhis) {
        let level = level0;
        let trend = trend0;
        let sse = 0;
        for (let t = 0; t < n; t++) {
          const forecast = level + phi * trend;
          const error = y[t]! - forecast;
          sse += error * error;
          if (sse >= bestSse) break;
          level = forecast + alpha * error;
          trend = phi * trend + alpha * beta * error;
        }
        if (sse < bestSse) {
          bestSse = sse;
          best = { method: "damped_trend", alpha, beta, phi, level, trend };
        }
      }
    }
  }
  return best;
}

export function fitTheta(y: readonly number[]): Spec<"theta"> | null {
  const n = y.length;
  if (n < 3) return null;
  const ses = fitSes(y);
  const tMean = (n - 1) / 2;
  const yMean = average(y);
  let covariance = 0;
  let variance = 0;
  for (let t = 0; t < n; t++) {
    covariance += (t - tMean) * (y[t]! - yMean);
    variance += (t - tMean) ** 2;
  }
  const slope = covariance / variance;
  const offset = 1 / ses.alpha - (1 - ses.alpha) ** n / ses.alpha;
  return { method: "theta", alpha: ses.alpha, level: ses.level, drift: slope / 2, offset };
}

export function forecastSmoothing(
  spec: Spec<"naive" | "seasonal_naive" | "mean" | "ses" | "damped_trend" | "theta">,
  horizon: number,
): number[] {
  const steps = Array.from({ length: horizon }, (_, i) => i + 1);
  switch (spec.method) {
    case "naive":
      return steps.map(() => spec.last);
    case "seasonal_naive":
      return steps.map((h) => spec.season[(h - 1) % spec.season.length]!);
    case "mean":
      return steps.map(() => spec.level);
    case "ses":
      return steps.map(() => spec.level);
    case "damped_trend": {
      let damping = 0;
      return steps.map((h) => {
        damping += spec.phi ** h;
        return spec.level + damping * spec.trend;
      });
    }
    case "theta":
      return steps.map((h) => spec.level + spec.drift * (h - 1 + spec.offset));
  }
}
