/**
 * Exact money arithmetic for the analysis: decimal strings (at most 4 decimals, as stored in
 * Postgres numeric(14,4)) are scaled to integer ten-thousandths, never passed through a float.
 */
import { Schema } from "effect";

export const Money = Schema.Struct({ amount: Schema.String, currency: Schema.String });
export type Money = typeof Money.Type;

const scale = 10_000n;
const decimalPattern = /^(\d+)(?:\.(\d{1,4}))?$/;

export class InvalidAmountError extends Error {
  override readonly name = "InvalidAmountError";
}

function toUnits(amount: string): bigint {
  const match = decimalPattern.exec(amount);
  if (!match) throw new InvalidAmountError(`"${amount}" is not a decimal amount with at most 4 decimals`);
  return BigInt(match[1]!) * scale + BigInt((match[2] ?? "").padEnd(4, "0"));
}

/** Formats ten-thousandths with at least 2 decimals and no trailing zeros beyond them. */
function fromUnits(units: bigint): string {
  const whole = units / scale;
  const fraction = (units % scale)
    .toString()
    .padStart(4, "0")
    .replace(/0{1,2}$/, "");
  return `${whole}.${fraction.length >= 2 ? fraction : fraction.padEnd(2, "0")}`;
}

/** The canonical form of an amount: "12.5000" becomes "12.50". */
export function normaliseAmount(amount: string): string {
  return fromUnits(toUnits(amount));
}

/** Unit price times a whole quantity, exactly. */
export function multiplyAmount(amount: string, quantity: number): string {
  if (!Number.isSafeInteger(quantity) || quantity < 0)
    throw new InvalidAmountError(`quantity ${quantity} is not a whole number >= 0`);
  return fromUnits(toUnits(amount) * BigInt(quantity));
}

/** Negative when a < b, zero when equal, positive when a > b. */
export function compareAmounts(a: string, b: string): number {
  const difference = toUnits(a) - toUnits(b);
  return difference === 0n ? 0 : difference < 0n ? -1 : 1;
}

/** a / b as a number, for thresholds on price ratios (never for amounts themselves). */
export function amountRatio(a: string, b: string): number {
  const denominator = toUnits(b);
  if (denominator === 0n) throw new InvalidAmountError("cannot divide by a zero amount");
  return Number((toUnits(a) * 1_000_000n) / denominator) / 1_000_000;
}

/** Where `value` sits between `low` (0) and `high` (1); null when the range is empty. */
export function rangePosition(value: string, low: string, high: string): number | null {
  const span = toUnits(high) - toUnits(low);
  if (span <= 0n) return null;
  return Number(((toUnits(value) - toUnits(low)) * 1_000_000n) / span) / 1_000_000;
}
