/**
 * Intermittent-demand methods: Croston, its Syntetos-Boylan bias correction (SBA) and
 * Teunter-Syntetos-Babai (TSB, which also follows a falling demand probability).
 * Smoothing constants minimise the in-sample one-step squared error over small grids.
 */
import type { SingleMethodSpec } from "../schema.ts";
import { average } from "./context.ts";

type Spec<M extends SingleMethodSpec["method"]> = Extract<SingleMethodSpec, { method: M }>;

const crostonAlphas = [0.05, 0.1, 0.15, 0.2, 0.3];
const tsbSizeAlphas = [0.05, 0.1, 0.2, 0.3];
const tsbProbabilityAlphas = [0.02, 0.05, 0.1, 0.2, 0.3];

export function fitCroston(y: readonly number[], variant: "croston" | "sba"): Spec<"croston" | "sba"> | null {
  const demands = y.filter((value) => value > 0);
  if (demands.length < 2) return null;
  const firstDemand = y.findIndex((value) => value > 0);
  let best: Spec<"croston" | "sba"> | null = null;
  let bestSse = Infinity;
  for (const alpha of crostonAlphas) {
    const factor = variant === "sba" ? 1 - alpha / 2 : 1;
    let size = demands[0]!;
    let interval = Math.max(1, y.length / demands.length);
    let sinceDemand = 0;
    let sse = 0;
    for (let t = firstDemand + 1; t < y.length; t++) {
      const error = y[t]! - (factor * size) / interval;
      sse += error * error;
      sinceDemand++;
      if (y[t]! > 0) {
        size += alpha * (y[t]! - size);
        interval += alpha * (sinceDemand - interval);
        sinceDemand = 0;
      }
    }
    if (sse < bestSse) {
      bestSse = sse;
      best = { method: variant, alpha, size, interval };
    }
  }
  return best;
}

export function fitTsb(y: readonly number[]): Spec<"tsb"> | null {
  const demands = y.filter((value) => value > 0);
  if (demands.length < 2) return null;
  const probability0 = demands.length / y.length;
  const size0 = average(demands);
  let best: Spec<"tsb"> | null = null;
  let bestSse = Infinity;
  for (const alphaSize of tsbSizeAlphas) {
    for (const alphaProbability of tsbProbabilityAlphas) {
      let size = size0;
      let probability = probability0;
      let sse = 0;
      for (const value of y) {
        const error = value - probability * size;
        sse += error * error;
        if (sse >= bestSse) break;
        probability += alphaProbability * ((value > 0 ? 1 : 0) - probability);
        if (value > 0) size += alphaSize * (value - size);
      }
      if (sse < bestSse) {
        bestSse = sse;
        best = { method: "tsb", alphaSize, alphaProbability, size, probability };
      }
    }
  }
  return best;
}

export function forecastIntermittent(spec: Spec<"croston" | "sba" | "tsb">, horizon: number): number[] {
  const level =
    spec.method === "tsb"
      ? spec.probability * spec.size
      : ((spec.method === "sba" ? 1 - spec.alpha / 2 : 1) * spec.size) / spec.interval;
  return new Array<number>(horizon).fill(level);
}
