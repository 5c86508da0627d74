/** Typed error of the purchase-order rules: the message names the line or field at fault. */
export class OrderRuleError extends Error {
  override readonly name = "OrderRuleError";
}
