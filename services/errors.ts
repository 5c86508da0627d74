/**
 * The one place where expected failures become Restate terminal errors with an HTTP status.
 * Anything not listed here is unexpected and retried under the bounded retry policy.
 */
import * as restate from "@restatedev/restate-sdk";
import { AnalysisOrderedError, OrderNotFoundError, OrderStateError } from "../shared/db/orders.ts";
import { DuplicateSkuError } from "../shared/db/products.ts";
import { OrderRuleError } from "../shared/orders/errors.ts";

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

const statusByError: ReadonlyArray<readonly [new (...args: never[]) => Error, number]> = [
  [InvalidRequestError, 400],
  [NotFoundError, 404],
  [ConflictError, 409],
  [DuplicateSkuError, 409],
  [OrderRuleError, 400],
  [OrderNotFoundError, 404],
  [OrderStateError, 409],
  [AnalysisOrderedError, 409],
];

export function asTerminalError(error: unknown): restate.TerminalError | undefined {
  if (error instanceof restate.TerminalError) return error;
  for (const [type, status] of statusByError) {
    if (error instanceof type) return new restate.TerminalError(error.message, { errorCode: status });
  }
  return undefined;
}
