/**
 * The one place where expected failures become Restate terminal errors with an HTTP status.
 * Anything not listed here is unexpected and retried under the bounded retry policy.
 */
import * as restate from "@restatedev/restate-sdk";
import { AnalysisOrderedError, OrderNotFoundError, OrderStateError } from "../shared/db/orders.ts";
import { DuplicateSkuError } from "../shared/db/products.ts";
import { OrderRuleError } from "../shared/orders/errors.ts";
import { ForecastError } from "../shared/forecast/errors.ts";
import { InventoryError } from "../shared/inventory/errors.ts";
import { InvalidAmountError } from "../shared/money/index.ts";

/** A request that names something that does not exist. */
export class NotFoundError extends Error {
  override readonly name = "NotFoundError";
}

/** A request whose content is invalid beyond what its input Schema checks. */
export class InvalidRequestError extends Error {
  override readonly name = "InvalidRequestError";
}

/** A request that cannot be served in the object's current state. */
export class ConflictError extends Error {
  override readonly name = "ConflictError";
}

/** Forecasting inputs that are wrong are a 400; data that cannot be modelled (no history) a 422. */
function forecastStatus(error: ForecastError): number {
  return error.code === "EMPTY_HISTORY" || error.code === "INVALID_MODEL" ? 422 : 400;
}

type ErrorClass<E extends Error> = abstract new (...args: never[]) => E;
type StatusRule<E extends Error> = readonly [ErrorClass<E>, number | ((error: E) => number)];

function rule<E extends Error>(
  type: ErrorClass<E>,
  status: number | ((error: E) => number),
): StatusRule<Error> {
  return [type, status as number | ((error: Error) => number)];
}

const statusByError: readonly StatusRule<Error>[] = [
  rule(InvalidRequestError, 400),
  rule(InvalidAmountError, 400),
  rule(InventoryError, 400),
  rule(ForecastError, forecastStatus),
  rule(NotFoundError, 404),
  rule(ConflictError, 409),
  rule(DuplicateSkuError, 409),
  rule(OrderRuleError, 400),
  rule(OrderNotFoundError, 404),
  rule(OrderStateError, 409),
  rule(AnalysisOrderedError, 409),
];

export function asTerminalError(error: unknown): restate.TerminalError | undefined {
  if (error instanceof restate.TerminalError) return error;
  for (const [type, status] of statusByError) {
    if (error instanceof type)
      return new restate.TerminalError(error.message, {
        errorCode: typeof status === "number" ? status : status(error),
      });
  }
  return undefined;
}
