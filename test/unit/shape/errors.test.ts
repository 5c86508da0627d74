import * as restate from "@restatedev/restate-sdk";
import { describe, expect, it } from "vitest";
import { DuplicateSkuError } from "../../../shared/db/products.ts";
import { ForecastError } from "../../../shared/forecast/errors.ts";
import { InventoryError } from "../../../shared/inventory/errors.ts";
import { InvalidAmountError } from "../../../shared/money/index.ts";
import {
  ConflictError,
  InvalidRequestError,
  NotFoundError,
  asTerminalError,
} from "../../../services/errors.ts";

function statusOf(error: Error): number | undefined {
  return asTerminalError(error)?.code;
}

describe("the one error mapping", () => {
  it("turns the domain errors into terminal errors with an HTTP status and their message", () => {
    expect(statusOf(new InvalidRequestError("bad"))).toBe(400);
    expect(statusOf(new InvalidAmountError('"1.23456" is not a decimal'))).toBe(400);
    expect(statusOf(new InventoryError("serviceLevel", "must be below 1"))).toBe(400);
    expect(statusOf(new ForecastError("INVALID_HORIZON", "horizon must be 1..104"))).toBe(400);
    expect(statusOf(new ForecastError("EMPTY_HISTORY", "no sales"))).toBe(422);
    expect(statusOf(new NotFoundError("no such product"))).toBe(404);
    expect(statusOf(new ConflictError("still running"))).toBe(409);
    expect(statusOf(new DuplicateSkuError("sku taken"))).toBe(409);
    expect(asTerminalError(new InventoryError("serviceLevel", "must be below 1"))?.message).toBe(
      "serviceLevel: must be below 1",
    );
  });

  it("keeps terminal errors as they are and leaves unexpected errors to the retry policy", () => {
    const terminal = new restate.TerminalError("gone", { errorCode: 410 });
    expect(asTerminalError(terminal)).toBe(terminal);
    expect(asTerminalError(new Error("connection refused"))).toBeUndefined();
    expect(asTerminalError(new TypeError("x is undefined"))).toBeUndefined();
  });
});
