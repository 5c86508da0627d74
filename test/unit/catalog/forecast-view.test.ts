import { describe, expect, it } from "vitest";
import { demandCv } from "../../../shared/catalog/advice-view.ts";
import { demandOverDays, forecastResponse } from "../../../shared/catalog/forecast-view.ts";
import { fitModel, predictTotal, toRegularSeries } from "../../../shared/forecast/index.ts";

const steady = toRegularSeries(
  Array.from({ length: 80 }, (_, week) => {
    const day = new Date(Date.UTC(2024, 0, 1 + week * 7));
    return { date: day.toISOString().slice(0, 10), quantity: 14 };
  }),
  "week",
);
const model = fitModel(steady);
const summary = {
  method: model.method,
  demandClass: model.demand.demandClass,
  trainedAt: "2026-01-01T00:00:00.000Z",
  trainingStart: model.trainingStart,
  trainingEnd: model.trainingEnd,
  accuracy: { mase: null, rmsse: null, bias: null, coverage80: null },
};

describe("demandOverDays", () => {
  it("equals the model's whole-week totals on whole weeks and interpolates part weeks", () => {
    expect(demandOverDays(model, 14).mean).toBeCloseTo(predictTotal(model, 2).mean, 9);
    expect(demandOverDays(model, 0).mean).toBe(0);
    expect(demandOverDays(model, 0).quantile(0.95)).toBe(0);
    expect(demandOverDays(model, 10.5).mean).toBeCloseTo(
      (predictTotal(model, 1).mean + predictTotal(model, 2).mean) / 2,
      9,
    );
    expect(demandOverDays(model, 7).mean).toBeCloseTo(14, 1);
  });
});

describe("forecastResponse", () => {
  it("serves weeks as fitted and days as a daily rate of their week", () => {
    const weekly = forecastResponse("p", summary, model, { horizon: 3, unit: "week" });
    expect(weekly.points.map((point) => point.days)).toEqual([7, 7, 7]);
    expect(weekly.points[0]!.mean).toBeCloseTo(14, 1);
    const daily = forecastResponse("p", summary, model, { horizon: 10, unit: "day" });
    expect(daily.points).toHaveLength(10);
    expect(daily.points[0]!.mean).toBeCloseTo(2, 1);
    expect(daily.points[7]!.periodStart).toBe(weekly.points[1]!.periodStart);
    expect(daily.total.mean).toBeCloseTo(20, 0);
  });
});

describe("demandCv", () => {
  it("is sd / mean of the periods, and null without demand", () => {
    expect(demandCv({ frequency: "week", start: "2024-01-01", values: [10, 10, 10] })).toBe(0);
    expect(demandCv({ frequency: "week", start: "2024-01-01", values: [0, 20] })).toBeCloseTo(Math.SQRT2, 9);
    expect(demandCv({ frequency: "week", start: "2024-01-01", values: [0, 0, 0] })).toBeNull();
  });
});
