import { describe, expect, it } from "vitest";
import { adviceView, forecastView } from "../../../services/cli/commands/insights.ts";
import {
  exitCodeForStatus,
  exitCodes,
  humanReadable,
  sparkline,
  table,
} from "../../../services/cli/output.ts";
import type { AdviceResponse, ForecastResponse } from "../../../shared/catalog/insights.ts";

const point = (periodStart: string, mean: number) => ({
  periodStart,
  days: 7,
  mean,
  p05: mean / 2,
  p10: mean * 0.6,
  p50: mean,
  p90: mean * 1.4,
  p95: mean * 1.5,
  lo80: mean * 0.6,
  hi80: mean * 1.4,
});

const forecast: ForecastResponse = {
  productId: "CHAIR-1",
  unit: "week",
  method: "theta",
  seriesClass: "smooth",
  trainedAt: "2026-12-04T14:20:31.123Z",
  trainingWindow: { start: "2024-01-01", end: "2026-11-30" },
  accuracy: { mase: 0.8123, rmsse: 0.61, bias: -0.032, coverage80: 0.79 },
  points: [point("2026-12-07", 10), point("2026-12-14", 12.25), point("2026-12-21", 8)],
  total: { mean: 30.25, p10: 22, p50: 30, p90: 39.5 },
};

describe("the CLI's human-readable output", () => {
  it("shows a forecast as a table with its interval, accuracy and a sparkline", () => {
    expect(forecastView(forecast).split("\n")).toEqual([
      "CHAIR-1: weekly demand forecast (units)",
      "model theta (smooth demand), trained 2026-12-04 14:20 UTC on 2024-01-01 … 2026-11-30",
      "backtest accuracy: MASE 0.81 · RMSSE 0.61 · bias -3.2% · 80% coverage 79%",
      "",
      "week of     mean  80% interval",
      "2026-12-07    10  6 – 14",
      "2026-12-14  12.3  7.4 – 17.2",
      "2026-12-21     8  4.8 – 11.2",
      "",
      "total  30.3 units (80% between 22 and 39.5)",
      "trend  ▄█▁",
    ]);
  });

  it("shows advice as labelled figures with units, the decision first", () => {
    const advice: AdviceResponse = {
      productId: "CHAIR-1",
      stock: 4,
      onOrder: 0,
      leadTimeDays: 7,
      reviewPeriodDays: 7,
      serviceLevel: 0.95,
      averageDailyDemand: 1.5,
      leadTimeDemand: { mean: 10.5, atServiceLevel: 15 },
      safetyStock: 6.2,
      reorderPoint: 15,
      orderUpTo: 27,
      orderQuantity: 23,
      economicOrderQuantity: null,
      daysOfCover: 2.7,
      stockoutRisk: 0.912,
      shouldReorder: true,
      unitPrice: { amount: "199.90", currency: "BRL", sourceId: 3, label: "Mercado Livre" },
      expectedCost: { amount: "4597.70", currency: "BRL" },
      abc: "A",
      xyz: null,
      reasons: ["BELOW_REORDER_POINT"],
    };
    const view = adviceView(advice);
    expect(view).toMatch(/^CHAIR-1: purchase advice\n {2}reorder now +yes: order 23 units\n/);
    expect(view).toMatch(/^ {2}stock-out risk +91\.2% over the 7-day lead time$/m);
    expect(view).toMatch(/^ {2}unit price +199\.90 BRL \(Mercado Livre\)$/m);
    expect(view).toMatch(/^ {2}economic order +—$/m);
    expect(view).toMatch(/^ {2}class +A \(value\) \/ — \(variability\)$/m);
  });

  it("renders any answer as aligned labels, money as one figure, dates in UTC and lists as tables", () => {
    expect(
      humanReadable({
        id: "CHAIR-1",
        leadTimeDays: 9,
        unitCost: { amount: "12.50", currency: "USD" },
        trainedAt: "2026-12-04T14:20:31Z",
        model: null,
        sources: [
          { sourceId: 1, label: "Shop A", active: true },
          { sourceId: 12, label: "B", active: false },
        ],
      }).split("\n"),
    ).toEqual([
      "id              CHAIR-1",
      "lead time days  9",
      "unit cost       12.50 USD",
      "trained at      2026-12-04 14:20 UTC",
      "model           —",
      "sources:",
      "  source id  label   active",
      "          1  Shop A  yes",
      "         12  B       no",
    ]);
    expect(table(["a", "b"], [])).toEqual(["a  b"]);
    expect(sparkline([1, 1, 1])).toBe("▄▄▄");
  });

  it("maps failed answers to exit codes that say what failed", () => {
    expect(exitCodeForStatus(404)).toBe(exitCodes.notFound);
    expect(exitCodeForStatus(400)).toBe(exitCodes.rejected);
    expect(exitCodeForStatus(409)).toBe(exitCodes.rejected);
    expect(exitCodeForStatus(401)).toBe(exitCodes.unauthorized);
    expect(exitCodeForStatus(500)).toBe(exitCodes.failed);
  });
});
