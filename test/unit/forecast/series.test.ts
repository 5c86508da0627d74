import { Either, Schema } from "effect";
import { describe, expect, it } from "vitest";
import {
  ForecastError,
  RegularSeriesSchema,
  SalesPointSchema,
  addPeriods,
  periodStart,
  toRegularSeries,
  validateSeries,
} from "../../../shared/forecast/index.ts";

const errorCode = (run: () => unknown): string | undefined => {
  try {
    run();
  } catch (error) {
    return error instanceof ForecastError ? error.code : "not a ForecastError";
  }
  return undefined;
};

describe("period calendar", () => {
  it("starts weeks on Monday and months on the 1st", () => {
    expect(periodStart("2024-03-10", "week")).toBe("2024-03-04");
    expect(periodStart("2024-03-04", "week")).toBe("2024-03-04");
    expect(periodStart("2024-03-10", "month")).toBe("2024-03-01");
    expect(addPeriods("2024-01-01", "month", 13)).toBe("2025-02-01");
    expect(addPeriods("2024-12-30", "week", 1)).toBe("2025-01-06");
  });

  it("rejects impossible dates with INVALID_DATE", () => {
    expect(errorCode(() => periodStart("2024-02-30", "day"))).toBe("INVALID_DATE");
    expect(errorCode(() => periodStart("24-2-3", "day"))).toBe("INVALID_DATE");
  });
});

describe("toRegularSeries", () => {
  it("sums unsorted points sharing a week and fills gaps with zero sales", () => {
    const series = toRegularSeries(
      [
        { date: "2024-01-17", quantity: 2 },
        { date: "2024-01-02", quantity: 1 },
        { date: "2024-01-03", quantity: 4 },
        { date: "2024-01-03", quantity: 5 },
      ],
      "week",
    );
    expect(series).toEqual({ frequency: "week", start: "2024-01-01", values: [10, 0, 2] });
  });

  it("aggregates by calendar month", () => {
    const series = toRegularSeries(
      [
        { date: "2024-03-31", quantity: 3 },
        { date: "2024-01-15", quantity: 1 },
      ],
      "month",
    );
    expect(series.values).toEqual([1, 0, 3]);
    expect(series.start).toBe("2024-01-01");
  });

  it("extends the series to explicit start and end dates with zero sales", () => {
    const series = toRegularSeries([{ date: "2024-01-03", quantity: 7 }], "day", {
      start: "2024-01-01",
      end: "2024-01-05",
    });
    expect(series.values).toEqual([0, 0, 7, 0, 0]);
  });

  it("rejects non-finite or negative quantities, empty input and unknown frequencies", () => {
    expect(errorCode(() => toRegularSeries([{ date: "2024-01-01", quantity: Number.NaN }], "day"))).toBe(
      "INVALID_QUANTITY",
    );
    expect(errorCode(() => toRegularSeries([{ date: "2024-01-01", quantity: -1 }], "day"))).toBe(
      "INVALID_QUANTITY",
    );
    expect(errorCode(() => toRegularSeries([], "week"))).toBe("EMPTY_HISTORY");
    expect(errorCode(() => toRegularSeries([{ date: "2024-01-01", quantity: 1 }], "year" as "week"))).toBe(
      "INVALID_FREQUENCY",
    );
  });

  it("rejects an end before the start", () => {
    expect(errorCode(() => toRegularSeries([], "day", { start: "2024-01-05", end: "2024-01-01" }))).toBe(
      "INVALID_DATE",
    );
  });
});

describe("validateSeries", () => {
  it("rejects a week series that does not start on a Monday", () => {
    expect(errorCode(() => validateSeries({ frequency: "week", start: "2024-01-02", values: [1] }))).toBe(
      "INVALID_DATE",
    );
  });
});

describe("input schemas", () => {
  it("decode sales points and regular series, rejecting negative or non-finite quantities", () => {
    const points = Schema.decodeUnknownEither(Schema.Array(SalesPointSchema));
    expect(Either.isRight(points([{ date: "2024-01-01", quantity: 2 }]))).toBe(true);
    expect(Either.isLeft(points([{ date: "2024-01-01", quantity: -2 }]))).toBe(true);
    expect(Either.isLeft(points([{ date: "2024-01-01", quantity: Number.POSITIVE_INFINITY }]))).toBe(true);
    const series = Schema.decodeUnknownEither(RegularSeriesSchema);
    expect(Either.isRight(series({ frequency: "week", start: "2024-01-01", values: [1, 0] }))).toBe(true);
    expect(Either.isLeft(series({ frequency: "year", start: "2024-01-01", values: [1] }))).toBe(true);
  });
});
