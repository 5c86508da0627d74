/**
 * Typed error of the inventory maths: every rejected input names the offending field.
 */
export class InventoryError extends Error {
  override readonly name = "InventoryError";
  constructor(
    /** Dotted path of the input, e.g. "serviceLevel", "leadTimeDemand.quantile(0.95)", "items[3].annualValue". */
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}
