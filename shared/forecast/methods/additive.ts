/**
 * Prophet-style additive model: piecewise-linear trend with automatic changepoints under a
 * Laplace (sparsity) prior, Fourier seasonality per cycle and optional external regressors.
 * It is fitted at the MAP in closed form: penalised least squares on the normal equations, with
 * the Laplace prior handled by iteratively reweighted ridge penalties. The strength of the seasonal
 * prior is then chosen per series by generalised cross-validation, so noise does not pass for seasonality.
 */
import { ForecastError } from "../errors.ts";
import { choleskyFactor, choleskySolve, inverseDiagonal, normalEquations, solveRidge } from "../linalg.ts";
import type { SingleMethodSpec } from "../schema.ts";
import type { FitContext, FutureRegressors } from "./context.ts";

type AdditiveSpec = Extract<SingleMethodSpec, { method: "additive" }>;

const maxChangepoints = 25;
const changepointRange = 0.8;
const changepointPriorScale = 0.05;
const seasonalityPriorScale = 10;
const regressorPriorScale = 10;
const maxFourierOrder = 6;
const windowCycles = 4;
const reweightingRounds = 5;
/** Multipliers of the seasonal penalty tried by generalised cross-validation (1 = the N(0, 10) prior). */
const seasonalShrinkages = [1, 10, 100, 1e3, 1e4, 1e5, 1e6];
const minimumObservations = 8;

const fourierOrder = (period: number): number => Math.min(maxFourierOrder, Math.floor((period - 1) / 2));

function fourierTerms(
  index: number,
  period: number,
  order: number,
  into: Float64Array,
  offset: number,
): void {
  for (let k = 1; k <= order; k++) {
    const angle = (2 * Math.PI * k * index) / period;
    into[offset + 2 * (k - 1)] = Math.sin(angle);
    into[offset + 2 * (k - 1) + 1] = Math.cos(angle);
  }
}

function changepointTimes(n: number, timeScale: number): number[] {
  const count = Math.min(maxChangepoints, Math.floor(changepointRange * n) - 1);
  if (count < 1) return [];
  const lastIndex = changepointRange * (n - 1);
  return Array.from({ length: count }, (_, j) => Math.round(((j + 1) * lastIndex) / (count + 1)) / timeScale);
}

interface Layout {
  readonly changepoints: readonly number[];
  readonly cycles: readonly { period: number; order: number }[];
}

const layoutWidth = (layout: Layout, regressorCount: number): number =>
  2 +
  layout.changepoints.length +
  layout.cycles.reduce((sum, cycle) => sum + 2 * cycle.order, 0) +
  regressorCount;

function fillRow(
  layout: Layout,
  index: number,
  timeScale: number,
  regressorValues: readonly number[],
  row: Float64Array,
): void {
  const t = index / timeScale;
  row[0] = 1;
  row[1] = t;
  let column = 2;
  for (const changepoint of layout.changepoints) row[column++] = Math.max(0, t - changepoint);
  for (const cycle of layout.cycles) {
    fourierTerms(index, cycle.period, cycle.order, row, column);
    column += 2 * cycle.order;
  }
  for (const value of regressorValues) row[column++] = value;
}

export function fitAdditive(history: readonly number[], context: FitContext): AdditiveSpec | null {
  const longestCycle = Math.max(0, ...context.cycles);
  const window = longestCycle > 0 ? Math.round(windowCycles * longestCycle) : history.length;
  const y = history.slice(Math.max(0, history.length - window));
  const n = y.length;
  if (n < minimumObservations) return null;
  const timeScale = n - 1;
  const yScale = Math.max(...y.map(Math.abs)) || 1;
  const target = y.map((value) => value / yScale);
  const changepoints = changepointTimes(n, timeScale);
  const cycles = context.cycles
    .filter((period) => n >= 2 * period && fourierOrder(period) >= 1)
    .map((period) => ({ period, order: fourierOrder(period) }));
  const regressors = context.regressors.map((regressor) => {
    if (
      regressor.values.length < history.length ||
      regressor.values.slice(0, history.length).some((value) => !Number.isFinite(value))
    ) {
      throw new ForecastError(
        "INVALID_REGRESSOR",
        `regressor "${regressor.name}" needs ${history.length} finite values for the training periods`,
      );
    }
    const values = regressor.values.slice(history.length - n, history.length);
    const regressorMean = values.reduce((sum, value) => sum + value, 0) / n;
    const sd = Math.sqrt(values.reduce((sum, value) => sum + (value - regressorMean) ** 2, 0) / n);
    return { name: regressor.name, values, mean: regressorMean, scale: sd > 0 ? sd : 1 };
  });
  const layout: Layout = { changepoints, cycles };
  const p = layoutWidth(layout, regressors.length);
  const design = new Float64Array(n * p);
  const row = new Float64Array(p);
  for (let i = 0; i < n; i++) {
    fillRow(
      layout,
      i,
      timeScale,
      regressors.map((regressor) => (regressor.values[i]! - regressor.mean) / regressor.scale),
      row,
    );
    design.set(row, i * p);
  }
  const { gram, rhs } = normalEquations(design, target, p);

  const deltaStart = 2;
  const deltaEnd = deltaStart + changepoints.length;
  const regressorStart = p - regressors.length;
  let noiseVariance = 0;
  for (let i = 1; i < n; i++) noiseVariance += (target[i]! - target[i - 1]!) ** 2;
  noiseVariance = Math.max(noiseVariance / (2 * (n - 1)), 1e-8);
  const ridgeFor = (deltas: Float64Array, variance: number, seasonalShrinkage: number): Float64Array => {
    const ridge = new Float64Array(p).fill(1e-8);
    for (let j = deltaStart; j < deltaEnd; j++) {
      ridge[j] = variance / (changepointPriorScale * Math.max(Math.abs(deltas[j - deltaStart]!), 1e-4));
    }
    for (let j = deltaEnd; j < regressorStart; j++)
      ridge[j] = (seasonalShrinkage * variance) / seasonalityPriorScale ** 2;
    for (let j = regressorStart; j < p; j++) ridge[j] = variance / regressorPriorScale ** 2;
    return ridge;
  };
  let coefficients: Float64Array = new Float64Array(p);
  let deltas: Float64Array = new Float64Array(changepoints.length).fill(changepointPriorScale);
  let ridge = ridgeFor(deltas, noiseVariance, 1);
  for (let round = 0; round < reweightingRounds; round++) {
    ridge = ridgeFor(deltas, noiseVariance, 1);
    coefficients = solveRidge(gram, rhs, ridge);
    deltas = coefficients.slice(deltaStart, deltaEnd);
    let sse = 0;
    for (let i = 0; i < n; i++) {
      let fitted = 0;
      for (let j = 0; j < p; j++) fitted += design[i * p + j]! * coefficients[j]!;
      sse += (target[i]! - fitted) ** 2;
    }
    noiseVariance = Math.max(sse / n, 1e-8);
  }
  if (cycles.length > 0) {
    const sumSquares = target.reduce((sum, value) => sum + value * value, 0);
    const base = ridge;
    let bestScore = Infinity;
    for (const shrinkage of seasonalShrinkages) {
      const candidate = new Float64Array(base);
      for (let j = deltaEnd; j < regressorStart; j++) candidate[j] = base[j]! * shrinkage;
      const lower = choleskyFactor(gram, candidate);
      const beta = choleskySolve(lower, rhs);
      let rss = sumSquares;
      for (let i = 0; i < p; i++) {
        rss -= 2 * beta[i]! * rhs[i]!;
        for (let j = 0; j < p; j++) rss += beta[i]! * gram[i * p + j]! * beta[j]!;
      }
      const inverse = inverseDiagonal(lower, p);
      let degrees = p;
      for (let j = 0; j < p; j++) degrees -= candidate[j]! * inverse[j]!;
      if (n - degrees <= 1) continue;
      const score = (n * Math.max(rss, 0)) / (n - degrees) ** 2;
      if (score < bestScore) {
        bestScore = score;
        coefficients = beta;
      }
    }
    deltas = coefficients.slice(deltaStart, deltaEnd);
  }

  let column = deltaEnd;
  const seasonalities = cycles.map((cycle) => {
    const seasonal = Array.from(coefficients.slice(column, column + 2 * cycle.order));
    column += 2 * cycle.order;
    return { period: cycle.period, coefficients: seasonal };
  });
  return {
    method: "additive",
    observations: n,
    timeScale,
    yScale,
    intercept: coefficients[0]!,
    slope: coefficients[1]!,
    changepoints,
    deltas: Array.from(deltas),
    seasonalities,
    regressors: regressors.map((regressor, j) => ({
      name: regressor.name,
      coefficient: coefficients[regressorStart + j]!,
      mean: regressor.mean,
      scale: regressor.scale,
    })),
  };
}

export function forecastAdditive(
  spec: AdditiveSpec,
  horizon: number,
  future: FutureRegressors = {},
): number[] {
  const futureValues = spec.regressors.map((regressor) => {
    const values = future[regressor.name];
    if (
      !values ||
      values.length < horizon ||
      values.slice(0, horizon).some((value) => !Number.isFinite(value))
    ) {
      throw new ForecastError(
        "INVALID_REGRESSOR",
        `regressor "${regressor.name}" needs ${horizon} finite future values to forecast ${horizon} periods`,
      );
    }
    return values;
  });
  const layout: Layout = {
    changepoints: spec.changepoints,
    cycles: spec.seasonalities.map((seasonality) => ({
      period: seasonality.period,
      order: seasonality.coefficients.length / 2,
    })),
  };
  const coefficients = [
    spec.intercept,
    spec.slope,
    ...spec.deltas,
    ...spec.seasonalities.flatMap((seasonality) => seasonality.coefficients),
    ...spec.regressors.map((regressor) => regressor.coefficient),
  ];
  const row = new Float64Array(layoutWidth(layout, spec.regressors.length));
  const forecasts: number[] = [];
  for (let h = 1; h <= horizon; h++) {
    const regressorValues = spec.regressors.map(
      (regressor, j) => (futureValues[j]![h - 1]! - regressor.mean) / regressor.scale,
    );
    fillRow(layout, spec.observations - 1 + h, spec.timeScale, regressorValues, row);
    let value = 0;
    coefficients.forEach((coefficient, j) => {
      value += coefficient * row[j]!;
    });
    forecasts.push(value * spec.yScale);
  }
  return forecasts;
}
