/** `procure forecast|advice|best-price`: a product's forecast, purchase advice and best current price. */
import { parseArgs } from "node:util";
import { UsageError, type Command } from "../command.ts";
import type { AdviceResponse, ForecastResponse } from "../../../shared/catalog/insights.ts";
import { formatDateTime, formatNumber, formatPercent, printOutput, sparkline, table } from "../output.ts";
import { productFor } from "./products.ts";

function accuracyLine({ accuracy }: ForecastResponse): string {
  const figure = (name: string, value: number | null, format: (value: number) => string) =>
    value === null ? null : `${name} ${format(value)}`;
  const parts = [
    figure("MASE", accuracy.mase, (value) => formatNumber(value)),
    figure("RMSSE", accuracy.rmsse, (value) => formatNumber(value)),
    figure("bias", accuracy.bias, formatPercent),
    figure("80% coverage", accuracy.coverage80, formatPercent),
  ].filter((part) => part !== null);
  return parts.length === 0 ? "backtest accuracy: not measured" : `backtest accuracy: ${parts.join(" · ")}`;
}

/** The forecast as a small table (period, mean, 80% interval) with a sparkline of the means. */
export function forecastView(forecast: ForecastResponse): string {
  const units = (value: number) => formatNumber(value, 1);
  const rows = forecast.points.map((point) => [
    point.periodStart,
    units(point.mean),
    `${units(point.lo80)} – ${units(point.hi80)}`,
  ]);
  return [
    `${forecast.productId}: ${forecast.unit === "week" ? "weekly" : "daily"} demand forecast (units)`,
    `model ${forecast.method} (${forecast.seriesClass} demand), trained ${formatDateTime(forecast.trainedAt)} on ${forecast.trainingWindow.start} … ${forecast.trainingWindow.end}`,
    accuracyLine(forecast),
    "",
    ...table([forecast.unit === "week" ? "week of" : "day", "mean", "80% interval"], rows),
    "",
    `total  ${units(forecast.total.mean)} units (80% between ${units(forecast.total.p10)} and ${units(forecast.total.p90)})`,
    `trend  ${sparkline(forecast.points.map((point) => point.mean))}`,
  ].join("\n");
}

/** The advice as labelled figures, the decision first. */
export function adviceView(advice: AdviceResponse): string {
  const units = (value: number) => `${formatNumber(value, 1)} units`;
  const money = (figure: { amount: string; currency: string } | null) =>
    figure === null ? "—" : `${figure.amount} ${figure.currency}`;
  const figures: (readonly [string, string])[] = [
    ["reorder now", advice.shouldReorder ? `yes: order ${units(advice.orderQuantity)}` : "no"],
    ["stock on hand", `${units(advice.stock)} (${units(advice.onOrder)} on order)`],
    ["days of cover", advice.daysOfCover === null ? "—" : `${formatNumber(advice.daysOfCover, 1)} days`],
    ["stock-out risk", `${formatPercent(advice.stockoutRisk)} over the ${advice.leadTimeDays}-day lead time`],
    ["service level", formatPercent(advice.serviceLevel)],
    ["average demand", `${formatNumber(advice.averageDailyDemand)} units/day`],
    [
      "lead-time demand",
      `${units(advice.leadTimeDemand.mean)} expected, ${units(advice.leadTimeDemand.atServiceLevel)} at the service level`,
    ],
    ["safety stock", units(advice.safetyStock)],
    ["reorder point", units(advice.reorderPoint)],
    ["order up to", `${units(advice.orderUpTo)} (review every ${advice.reviewPeriodDays} days)`],
    ["economic order", advice.economicOrderQuantity === null ? "—" : units(advice.economicOrderQuantity)],
    [
      "unit price",
      advice.unitPrice === null ? "—" : `${money(advice.unitPrice)} (${advice.unitPrice.label})`,
    ],
    ["expected cost", money(advice.expectedCost)],
    ["class", `${advice.abc ?? "—"} (value) / ${advice.xyz ?? "—"} (variability)`],
    ["reasons", advice.reasons.length === 0 ? "—" : advice.reasons.join(", ")],
  ];
  const width = Math.max(...figures.map(([name]) => name.length));
  return [
    `${advice.productId}: purchase advice`,
    ...figures.map(([name, value]) => `  ${name.padEnd(width)}  ${value}`),
  ].join("\n");
}

export const forecastCommand: Command = {
  name: "forecast",
  summary: "show a product's demand forecast with 80% intervals",
  usage: "procure forecast <product-id> [--weeks N | --days N]",
  async run(args, context) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { weeks: { type: "string" }, days: { type: "string" } },
      allowPositionals: true,
    });
    if (values.weeks !== undefined && values.days !== undefined)
      throw new UsageError("give --weeks or --days, not both");
    const count = values.weeks ?? values.days;
    if (count !== undefined && !/^\d+$/.test(count))
      throw new UsageError(`the horizon must be a whole number, got "${count}"`);
    printOutput(
      context,
      await productFor(context, positionals[0]).forecast({
        ...(count !== undefined && { horizon: Number(count) }),
        unit: values.days !== undefined ? "day" : "week",
      }),
      forecastView,
    );
    return 0;
  },
};

export const adviceCommand: Command = {
  name: "advice",
  summary: "show purchase advice: safety stock, reorder point, order quantity, best source",
  usage:
    "procure advice <product-id> [--service-level 0.95] [--review-days 7] [--ordering-cost 25.00] [--holding-rate 0.25]",
  async run(args, context) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: {
        "service-level": { type: "string" },
        "review-days": { type: "string" },
        "ordering-cost": { type: "string" },
        "holding-rate": { type: "string" },
      },
      allowPositionals: true,
    });
    printOutput(
      context,
      await productFor(context, positionals[0]).advice({
        ...(values["service-level"] !== undefined && { serviceLevel: Number(values["service-level"]) }),
        ...(values["review-days"] !== undefined && { reviewPeriodDays: Number(values["review-days"]) }),
        ...(values["ordering-cost"] !== undefined && { orderingCost: values["ordering-cost"] }),
        ...(values["holding-rate"] !== undefined && { holdingCostRate: Number(values["holding-rate"]) }),
      }),
      adviceView,
    );
    return 0;
  },
};

export const bestPriceCommand: Command = {
  name: "best-price",
  summary: "show the lowest current in-stock price across a product's sources",
  usage: "procure best-price <product-id>",
  async run(args, context) {
    printOutput(context, await productFor(context, args[0]).bestPrice());
    return 0;
  },
};
