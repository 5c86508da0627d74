import { describe, expect, it } from "vitest";
import { classifyDemand } from "../../../shared/forecast/classify.ts";
import type { FitContext } from "../../../shared/forecast/methods/context.ts";
import { forecastSpec, singleMethods } from "../../../shared/forecast/methods/index.ts";

const monthly: FitContext = { seasonLength: 12, cycles: [12], regressors: [] };
const weekly: FitContext = { seasonLength: 52, cycles: [365.25 / 7], regressors: [] };
const range = (n: number, f: (t: number) => number): number[] => Array.from({ length: n }, (_, t) => f(t));

function fitAndForecast(
  method: keyof typeof singleMethods,
  y: number[],
  context: FitContext,
  h: number,
): number[] {
  const spec = singleMethods[method](y, context);
  if (!spec) throw new Error(`${method} did not fit`);
  return forecastSpec(spec, h);
}

describe("smoothing baselines", () => {
  it("naive repeats the last value and mean the average", () => {
    expect(fitAndForecast("naive", [3, 5, 9], monthly, 2)).toEqual([9, 9]);
    expect(fitAndForecast("mean", [3, 5, 10], monthly, 2)).toEqual([6, 6]);
  });

  it("seasonal naive reproduces a repeating yearly pattern", () => {
    const pattern = range(12, (m) => 10 + m * m);
    const forecast = fitAndForecast("seasonal_naive", [...pattern, ...pattern], monthly, 15);
    expect(forecast).toEqual([...pattern, ...pattern.slice(0, 3)]);
  });

  it("seasonal naive needs a full season", () => {
    expect(singleMethods.seasonal_naive([1, 2, 3], monthly)).toBeNull();
  });

  it("SES forecasts a constant series exactly", () => {
    expect(
      fitAndForecast(
        "ses",
        range(30, () => 7),
        monthly,
        3,
      ),
    ).toEqual([7, 7, 7]);
  });

  it("damped trend continues a pure linear trend within 1%", () => {
    const forecast = fitAndForecast(
      "damped_trend",
      range(60, (t) => 100 + 2 * t),
      monthly,
      6,
    );
    forecast.forEach((value, h) => expect(Math.abs(value / (100 + 2 * (60 + h)) - 1)).toBeLessThan(0.01));
  });

  it("theta forecasts a rising line for a rising series", () => {
    const forecast = fitAndForecast(
      "theta",
      range(60, (t) => 100 + 2 * t),
      monthly,
      6,
    );
    forecast.slice(1).forEach((value, h) => expect(value).toBeGreaterThan(forecast[h]!));
    expect(Math.abs(forecast[0]! / 220 - 1)).toBeLessThan(0.02);
  });
});

describe("additive (Prophet-style) model", () => {
  it("recovers a pure linear trend", () => {
    const y = range(40, (t) => 50 + 3 * t);
    const forecast = fitAndForecast("additive", y, monthly, 12);
    forecast.forEach((value, h) => expect(value).toBeCloseTo(50 + 3 * (40 + h), 0));
  });

  it("reproduces a yearly seasonal pattern on weekly data", () => {
    const season = (t: number): number => 100 + 30 * Math.sin((2 * Math.PI * t) / (365.25 / 7));
    const forecast = fitAndForecast("additive", range(156, season), weekly, 26);
    forecast.forEach((value, h) => expect(Math.abs(value - season(156 + h))).toBeLessThan(1));
  });

  it("shrinks seasonality fitted to pure noise (cross-validated seasonal prior)", () => {
    let state = 5;
    const uniform = (): number => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state / 2147483648;
    };
    const ranges = range(20, () => {
      const forecast = fitAndForecast(
        "additive",
        range(36, () => 100 + 20 * (uniform() - 0.5)),
        monthly,
        12,
      );
      return Math.max(...forecast) - Math.min(...forecast);
    }).sort((a, b) => a - b);
    expect(ranges[10]!).toBeLessThan(7);
  });

  it("follows a trend change at a changepoint", () => {
    const y = range(60, (t) => (t < 30 ? 10 + t : 40 + 4 * (t - 30)));
    const [next] = fitAndForecast("additive", y, { ...monthly, cycles: [] }, 1);
    expect(Math.abs(next! - (40 + 4 * 30))).toBeLessThan(6);
  });

  it("uses an external regressor with its future values", () => {
    const price = range(60, (t) => 10 + (t % 5));
    const y = price.map((p) => 200 - 8 * p);
    const spec = singleMethods.additive(y, {
      ...monthly,
      cycles: [],
      regressors: [{ name: "price", values: price }],
    });
    expect(spec).not.toBeNull();
    const forecast = forecastSpec(spec!, 2, { price: [10, 14] });
    expect(forecast[0]).toBeCloseTo(120, 0);
    expect(forecast[1]).toBeCloseTo(88, 0);
  });
});

describe("intermittent-demand methods", () => {
  const everyThird = range(60, (t) => (t % 3 === 2 ? 6 : 0));

  it("Croston forecasts size / interval on a regular intermittent pattern", () => {
    const forecast = fitAndForecast("croston", everyThird, monthly, 3);
    forecast.forEach((value) => expect(value).toBeCloseTo(2, 6));
  });

  it("SBA deflates Croston by 1 - alpha / 2", () => {
    const spec = singleMethods.sba(everyThird, monthly);
    if (spec?.method !== "sba") throw new Error("sba did not fit");
    expect(forecastSpec(spec, 1)[0]).toBeCloseTo(2 * (1 - spec.alpha / 2), 6);
  });

  it("TSB forecasts probability × size", () => {
    const [value] = fitAndForecast("tsb", everyThird, monthly, 1);
    expect(value).toBeGreaterThan(1.6);
    expect(value).toBeLessThan(2.4);
  });

  it("TSB follows demand that has stopped while Croston does not", () => {
    const dying = [...everyThird, ...range(24, () => 0)];
    const [tsb] = fitAndForecast("tsb", dying, monthly, 1);
    const [croston] = fitAndForecast("croston", dying, monthly, 1);
    expect(tsb!).toBeLessThan(croston!);
  });
});

describe("classifyDemand", () => {
  it("labels series by ADI and CV²", () => {
    expect(classifyDemand(range(20, () => 5)).demandClass).toBe("smooth");
    expect(classifyDemand(range(20, (t) => (t % 2 === 0 ? 1 : 20))).demandClass).toBe("erratic");
    expect(classifyDemand(range(20, (t) => (t % 4 === 0 ? 5 : 0))).demandClass).toBe("intermittent");
    expect(classifyDemand(range(20, (t) => (t % 4 === 0 ? (t % 8 === 0 ? 1 : 30) : 0))).demandClass).toBe(
      "lumpy",
    );
    expect(classifyDemand([0, 0, 0]).demandClass).toBe("zero");
  });
});
