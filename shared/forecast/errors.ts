/**
 * Typed errors of the forecasting module: every rejected input carries a code naming the problem.
 */
export type ForecastErrorCode =
  | "EMPTY_HISTORY"
  | "INVALID_DATE"
  | "INVALID_QUANTITY"
  | "INVALID_FREQUENCY"
  | "INVALID_HORIZON"
  | "INVALID_OPTION"
  | "INVALID_REGRESSOR"
  | "INVALID_MODEL";

export class ForecastError extends Error {
  override readonly name = "ForecastError";
  constructor(
    readonly code: ForecastErrorCode,
    message: string,
  ) {
    super(message);
  }
}
