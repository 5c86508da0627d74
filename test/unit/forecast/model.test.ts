import { describe, expect, it } from "vitest";
import {
  ForecastError,
  decodeForecastModel,
  fitModel,
  predict,
  predictTotal,
  requiredRegressors,
  totalDemandQuantile,
  type ForecastModel,
  type RegularSeries,
} from "../../../shared/forecast/index.ts";

const range = (n: number, f: (t: number) => number): number[] => Array.from({ length: n }, (_, t) => f(t));

/** Deterministic uniform numbers in [0, 1) (mulberry32). */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normals(seed: number, n: number): number[] {
  const uniform = random(seed);
  return range(n, () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform()));
}

const monthly = (values: number[]): RegularSeries => ({ frequency: "month", start: "2020-01-01", values });
const weekly = (values: number[]): RegularSeries => ({ frequency: "week", start: "2021-01-04", values });

const errorCode = (run: () => unknown): string | undefined => {
  try {
    run();
  } catch (error) {
    return error instanceof ForecastError ? error.code : "not a ForecastError";
  }
  return undefined;
};

function expectWellFormed(model: ForecastModel, horizon: number): void {
  for (const step of predict(model, horizon)) {
    const values = [step.mean, step.q05, step.q10, step.q50, step.q90, step.q95, step.lo80, step.hi80];
    values.forEach((value) => {
      expect(Number.isFinite(value)).toBe(true);
      expect(value).toBeGreaterThanOrEqual(0);
    });
    expect(step.q05).toBeLessThanOrEqual(step.q10);
    expect(step.q10).toBeLessThanOrEqual(step.q50);
    expect(step.q50).toBeLessThanOrEqual(step.q90);
    expect(step.q90).toBeLessThanOrEqual(step.q95);
    expect([step.lo80, step.hi80]).toEqual([step.q10, step.q90]);
  }
}

describe("fitModel selection", () => {
  it("picks a seasonal method for a repeating yearly pattern and reproduces it", () => {
    const pattern = [5, 8, 12, 20, 30, 42, 50, 44, 31, 20, 11, 6];
    const model = fitModel(monthly([...pattern, ...pattern, ...pattern, ...pattern]));
    expect(["seasonal_naive", "additive"]).toContain(model.method);
    predict(model, 12).forEach((step, i) => expect(step.mean).toBeCloseTo(pattern[i]!, 0));
    expect(model.backtest.mase).toBeLessThan(0.05);
  });

  it("picks a trend method for a noisy rising line", () => {
    const noise = normals(7, 80);
    const model = fitModel(monthly(range(80, (t) => 100 + 5 * t + 3 * noise[t]!)));
    expect(["damped_trend", "theta", "additive", "combination"]).toContain(model.method);
    expect(predict(model, 1)[0]!.mean).toBeGreaterThan(480);
  });

  it("picks an intermittent-demand method for a few sparse sales and classifies them", () => {
    const sales = new Map([
      [3, 2],
      [14, 1],
      [22, 4],
      [35, 1],
      [41, 2],
      [55, 3],
      [63, 1],
      [77, 2],
      [84, 1],
    ]);
    const model = fitModel(weekly(range(90, (t) => sales.get(t) ?? 0)));
    expect(["intermittent", "lumpy"]).toContain(model.demand.demandClass);
    const intermittentMethods = ["mean", "ses", "croston", "sba", "tsb", "combination"];
    expect(intermittentMethods).toContain(model.method);
    expectWellFormed(model, 13);
  });

  it("records the training window, the backtest and a leaderboard of candidates", () => {
    const model = fitModel(weekly(range(60, (t) => 10 + (t % 4))), { horizon: 8 });
    expect(model.trainingStart).toBe("2021-01-04");
    expect(model.trainingEnd).toBe("2022-02-21");
    expect(model.backtest.horizon).toBe(8);
    expect(model.backtest.origins).toBeGreaterThan(1);
    expect(model.backtest.candidates.length).toBeGreaterThan(1);
    expect(model.backtest.mase).not.toBeNull();
  });

  it("treats zero periods before the first sale as real zero demand", () => {
    const model = fitModel(monthly([...range(30, () => 0), ...range(30, () => 4)]), { methods: ["mean"] });
    expect(model.trainingStart).toBe("2020-01-01");
    expect(model.observations).toBe(60);
    expect(predict(model, 1)[0]!.mean).toBeCloseTo(2, 6);
  });
});

describe("prediction intervals", () => {
  it("cover about 80% of new draws of a noisy series", () => {
    const noise = normals(11, 300);
    const y = noise.map((e) => 50 + 5 * e);
    const model = fitModel(weekly(y.slice(0, 200)), { horizon: 4 });
    const step = predict(model, 1)[0]!;
    const inside = y.slice(200).filter((value) => value >= step.lo80 && value <= step.hi80).length / 100;
    expect(inside).toBeGreaterThan(0.65);
    expect(inside).toBeLessThan(0.95);
  });

  it("widen with the horizon", () => {
    const noise = normals(5, 120);
    let level = 100;
    const model = fitModel(weekly(noise.map((e) => (level += 3 * e))));
    const steps = predict(model, 10);
    expect(steps[9]!.hi80 - steps[9]!.lo80).toBeGreaterThan(steps[0]!.hi80 - steps[0]!.lo80);
  });

  it("give the total over k periods a mean equal to the summed means and ordered quantiles", () => {
    const noise = normals(9, 100);
    const model = fitModel(weekly(noise.map((e) => 20 + 4 * e)));
    const total = predictTotal(model, 6);
    const sum = predict(model, 6).reduce((acc, step) => acc + step.mean, 0);
    expect(total.mean).toBeCloseTo(sum, 9);
    expect(total.from).toBe(predict(model, 1)[0]!.period);
    expect(total.q05).toBeLessThanOrEqual(total.q50);
    expect(total.q50).toBeLessThanOrEqual(total.q95);
    expect(total.q95).toBeGreaterThan(total.mean);
    expect(totalDemandQuantile(model, 6, 0.975)).toBeGreaterThanOrEqual(total.q95);
  });
});

describe("model JSON", () => {
  it("predicts identically after a JSON round trip through the schema", () => {
    const noise = normals(2, 150);
    const model = fitModel(
      weekly(range(150, (t) => 40 + 10 * Math.sin((2 * Math.PI * t) / 52.18) + 2 * noise[t]!)),
    );
    const restored = decodeForecastModel(JSON.parse(JSON.stringify(model)));
    expect(predict(restored, 13)).toEqual(predict(model, 13));
    expect(predictTotal(restored, 5)).toEqual(predictTotal(model, 5));
  });

  it("rejects a malformed model with INVALID_MODEL", () => {
    expect(errorCode(() => decodeForecastModel({ version: 1, method: "ses" }))).toBe("INVALID_MODEL");
    const model = fitModel(monthly(range(30, () => 3)));
    const broken = { ...model, spec: { method: "ses", alpha: 2, level: 3 } };
    expect(errorCode(() => decodeForecastModel(broken))).toBe("INVALID_MODEL");
  });

  it("carries external regressors: the additive model needs their future values", () => {
    const price = range(60, (t) => 10 + (t % 5));
    const model = fitModel(monthly(price.map((p) => 200 - 8 * p)), {
      methods: ["additive"],
      regressors: [{ name: "price", values: price }],
    });
    expect(requiredRegressors(model)).toEqual(["price"]);
    expect(predict(model, 1, { regressors: { price: [14] } })[0]!.mean).toBeCloseTo(88, 0);
    expect(errorCode(() => predict(model, 1))).toBe("INVALID_REGRESSOR");
  });

  it("lets an intermittent series with a regressor try the additive model", () => {
    const promotion = range(104, (t) => (t % 12 === 0 ? 1 : 0));
    const model = fitModel(weekly(promotion.map((on) => (on ? 5 : 0))), {
      regressors: [{ name: "promotion", values: promotion }],
    });
    expect(model.backtest.candidates.map((candidate) => candidate.method)).toContain("additive");
    expect(requiredRegressors(fitModel(weekly(range(30, () => 2))))).toEqual([]);
  });

  it("starts the forecast at a later period when asked", () => {
    const model = fitModel(monthly(range(30, (t) => 10 + t)));
    const later = predict(model, 2, { from: "2022-09-15" });
    expect(later.map((step) => step.period)).toEqual(["2022-09-01", "2022-10-01"]);
    expect(later[0]).toEqual(predict(model, 3)[2]);
  });
});

describe("bad input", () => {
  it("rejects an empty history with EMPTY_HISTORY", () => {
    expect(errorCode(() => fitModel(monthly([])))).toBe("EMPTY_HISTORY");
  });

  it("rejects NaN and negative quantities with INVALID_QUANTITY", () => {
    expect(errorCode(() => fitModel(monthly([1, Number.NaN, 3])))).toBe("INVALID_QUANTITY");
    expect(errorCode(() => fitModel(monthly([1, -2, 3])))).toBe("INVALID_QUANTITY");
  });

  it("forecasts zero for a history without any sales", () => {
    const model = fitModel(weekly(range(20, () => 0)));
    expect(model.demand.demandClass).toBe("zero");
    predict(model, 4).forEach((step) => expect([step.mean, step.q05, step.q95]).toEqual([0, 0, 0]));
  });

  it("forecasts a single observation as itself with finite intervals", () => {
    const model = fitModel(monthly([9]));
    expect(model.backtest.origins).toBe(0);
    expect(predict(model, 3).map((step) => step.mean)).toEqual([9, 9, 9]);
    expectWellFormed(model, 3);
  });

  it("handles very short and constant histories without NaN", () => {
    expectWellFormed(fitModel(monthly([2, 5])), 6);
    expectWellFormed(fitModel(monthly(range(10, () => 4))), 6);
    expectWellFormed(fitModel(weekly([0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0])), 6);
  });

  it("rejects bad horizons, options, quantile levels and mismatched regressors", () => {
    const model = fitModel(monthly(range(24, (t) => t + 1)));
    expect(errorCode(() => predict(model, 0))).toBe("INVALID_HORIZON");
    expect(errorCode(() => predictTotal(model, 1.5))).toBe("INVALID_HORIZON");
    expect(errorCode(() => fitModel(monthly([1, 2, 3]), { horizon: -1 }))).toBe("INVALID_HORIZON");
    expect(errorCode(() => fitModel(monthly([1, 2, 3]), { backtestOrigins: 0 }))).toBe("INVALID_OPTION");
    expect(errorCode(() => fitModel(monthly([1, 2, 3]), { combine: 1.5 }))).toBe("INVALID_OPTION");
    expect(errorCode(() => totalDemandQuantile(model, 3, 1))).toBe("INVALID_OPTION");
    expect(
      errorCode(() => fitModel(monthly([1, 2, 3]), { regressors: [{ name: "price", values: [1, 2] }] })),
    ).toBe("INVALID_REGRESSOR");
  });
});

describe("robustness", () => {
  it("returns finite, ordered, non-negative forecasts for many odd series", () => {
    const uniform = random(42);
    const shapes: ((t: number) => number)[] = [
      () => (uniform() < 0.05 ? 1e9 : 0),
      (t) => (t === 0 ? 5 : 0),
      () => Math.floor(uniform() * 3),
      (t) => (t % 17 === 0 ? 1000 : 1),
      (t) => Math.max(0, 100 - 3 * t + 10 * uniform()),
      () => 1e-9 * uniform(),
    ];
    for (const shape of shapes) {
      for (const length of [1, 2, 3, 5, 13, 40, 120]) {
        for (const frequency of ["day", "week", "month"] as const) {
          const model = fitModel({ frequency, start: "2024-01-01", values: range(length, shape) });
          expectWellFormed(model, 8);
          const total = predictTotal(model, 8);
          [total.mean, total.q05, total.q95].forEach((value) => expect(Number.isFinite(value)).toBe(true));
        }
      }
    }
  });

  it("reproduces a weekday pattern in daily data", () => {
    const weekday = [20, 22, 25, 24, 30, 8, 5];
    const model = fitModel({
      frequency: "day",
      start: "2024-01-01",
      values: range(70, (t) => weekday[t % 7]!),
    });
    predict(model, 7).forEach((step, i) => expect(step.mean).toBeCloseTo(weekday[i]!, 0));
  });
});
