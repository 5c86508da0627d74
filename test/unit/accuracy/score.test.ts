import { describe, expect, it } from "vitest";
import { scoreModel } from "../../../shared/accuracy/realized.ts";
import { calibrationTable, naiveScales, scoreRealized } from "../../../shared/accuracy/score.ts";
import { fitModel, predict, toRegularSeries } from "../../../shared/forecast/index.ts";

describe("realized accuracy (score.mjs definitions)", () => {
  it("scores clipped forecasts: MASE, RMSSE, pooled bias, 80% coverage and the tracking signal", () => {
    const forecasts = [
      { mean: 10, lo80: 8, hi80: 12 },
      { mean: -1, lo80: -3, hi80: 1 },
      { mean: 5, lo80: 4, hi80: 6 },
    ];
    const actuals = [12, 0, 9];
    const score = scoreRealized(forecasts, actuals, { absolute: 2, squared: 5 });
    // errors (forecast − actual, forecast clipped at 0): −2, 0, −4
    expect(score.sumError).toBe(-6);
    expect(score.mase).toBeCloseTo(6 / 3 / 2, 12);
    expect(score.rmsse).toBeCloseTo(Math.sqrt(20 / 3 / 5), 12);
    expect(score.biasPercent).toBeCloseTo((100 * -6) / 21, 12);
    expect(score.inside80).toBe(2);
    expect(score.coverage80).toBeCloseTo(2 / 3, 12);
    // Σ(actual − forecast) / mean|e| = 6 / 2
    expect(score.trackingSignal).toBeCloseTo(3, 12);
  });

  it("has no bias when nothing was sold and a zero tracking signal when every period was exact", () => {
    const score = scoreRealized([{ mean: 0, lo80: 0, hi80: 0 }], [0], { absolute: 1, squared: 1 });
    expect(score.biasPercent).toBeNull();
    expect(score.trackingSignal).toBe(0);
    expect(() => scoreRealized([], [], { absolute: 1, squared: 1 })).toThrow(RangeError);
  });

  it("holds a fitted model to account on the complete weeks after its training, on its training scale", () => {
    const sales = Array.from({ length: 60 }, (_, week) => ({
      date: new Date(Date.UTC(2024, 0, 1 + 7 * week)).toISOString().slice(0, 10),
      quantity: 10 + (week % 3),
    }));
    const trainingSales = sales.slice(0, 50);
    const training = toRegularSeries(trainingSales, "week");
    const model = fitModel(training);
    // Sales up to the Wednesday of week 58: weeks 50..57 are complete, week 58 is not.
    const asOf = new Date(Date.UTC(2024, 0, 1 + 7 * 58 + 2)).toISOString().slice(0, 10);
    const scored = scoreModel(model, sales, asOf);
    expect(scored).not.toBeNull();
    expect(scored!.firstPeriod).toBe(sales[50]!.date);
    expect(scored!.lastPeriod).toBe(sales[57]!.date);
    const expected = scoreRealized(
      predict(model, 8),
      sales.slice(50, 58).map((sale) => sale.quantity),
      naiveScales(training.values),
    );
    expect(scored!.accuracy).toEqual(expected);
    expect(scoreModel(model, trainingSales, sales[49]!.date)).toBeNull();
  });
});

describe("calibration table", () => {
  const model = (abc: "A" | "B" | "C", xyz: "X" | "Y" | "Z", mase: number, inside80: number) => ({
    abc,
    xyz,
    realized: { periods: 4, sumActual: 40, sumError: -4, inside80, mase, rmsse: mase / 2 },
    backtest: { mase: 1, rmsse: 0.5, coverage80: 0.8 },
  });

  it("pools coverage and bias over periods and averages MASE over models, overall and per class", () => {
    const table = calibrationTable([model("A", "X", 1, 4), model("A", "Z", 3, 2), model("C", "X", 2, 0)]);
    expect(table.map((row) => row.group)).toEqual(["all", "A", "C", "X", "Z", "AX", "AZ", "CX"]);
    expect(table[0]).toMatchObject({ models: 3, periods: 12, mase: 2, rmsse: 1, backtestMase: 1 });
    expect(table[0]!.coverage80).toBeCloseTo(6 / 12, 12);
    expect(table[0]!.biasPercent).toBeCloseTo(-10, 12);
    expect(table.find((row) => row.group === "A")).toMatchObject({ models: 2, mase: 2, coverage80: 6 / 8 });
    expect(calibrationTable([])).toEqual([]);
  });
});
