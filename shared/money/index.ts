/**
 * Money, exactly: amounts are decimal strings with an ISO currency code on the wire and bigint counts
 * of ten-thousandths (4 decimals, as Postgres numeric(14,4) stores them) in arithmetic — never a float.
 * A leaf module: everything that parses, prints or computes an amount uses it.
 */
import { Schema } from "effect";

export const DecimalAmount = Schema.String.pipe(
  Schema.pattern(/^\d{1,10}(\.\d{1,4})?$/, {
    message: () => 'expected a non-negative decimal string such as "12.50" (at most 4 decimals)',
  }),
);

export const CurrencyCode = Schema.String.pipe(
  Schema.pattern(/^[A-Z]{3}$/, { message: () => "expected an ISO 4217 currency code such as BRL or USD" }),
);

export const Money = Schema.Struct({ amount: Schema.String, currency: Schema.String });
export type Money = typeof Money.Type;

/** An amount that is not a decimal procure can hold, or an impossible operation on amounts. */
export class InvalidAmountError extends Error {
  override readonly name = "InvalidAmountError";
}

const SCALE_DIGITS = 4;
const SCALE = 10n ** BigInt(SCALE_DIGITS);
const MAX_INTEGER_DIGITS = 10;
const LENIENT_DECIMAL = /^(\d+)(?:\.(\d*))?$|^\.(\d+)$/;
const STRICT_DECIMAL = /^(\d+)(?:\.(\d{1,4}))?$/;

/** Ten-thousandths of a unit, always >= 0. */
export type Fixed4 = bigint;

/**
 * Parses "12", "12.5", ".5" or "957.5775000000001" (rounding half up beyond 4 decimals); undefined
 * when the text is not a non-negative decimal of at most 10 integer digits.
 */
export function parseFixed4(text: string): Fixed4 | undefined {
  const match = LENIENT_DECIMAL.exec(text);
  if (match === null) return undefined;
  const integerDigits = (match[1] ?? "0").replace(/^0+(?=\d)/, "");
  if (integerDigits.length > MAX_INTEGER_DIGITS) return undefined;
  const fraction = match[2] ?? match[3] ?? "";
  const kept = fraction.slice(0, SCALE_DIGITS).padEnd(SCALE_DIGITS, "0");
  const roundsUp = (fraction[SCALE_DIGITS] ?? "0") >= "5";
  const value = BigInt(integerDigits) * SCALE + BigInt(kept) + (roundsUp ? 1n : 0n);
  return value < 10n ** BigInt(MAX_INTEGER_DIGITS) * SCALE ? value : undefined;
}

/** Prints with at least 2 and at most 4 decimals: 12 → "12.00", 957.5775 → "957.5775". */
export function formatFixed4(value: Fixed4): string {
  const integer = value / SCALE;
  const fraction = (value % SCALE)
    .toString()
    .padStart(SCALE_DIGITS, "0")
    .replace(/0{1,2}$/, "");
  return `${integer}.${fraction}`;
}

/** value / divisor rounded half up; divisor must be > 0. */
export function divideFixed4(value: Fixed4, divisor: number): Fixed4 {
  const big = BigInt(divisor);
  return (value * 2n + big) / (big * 2n);
}

export function multiplyFixed4(value: Fixed4, factor: number): Fixed4 {
  return value * BigInt(factor);
}

/** The ten-thousandths of an amount with at most 4 decimals; InvalidAmountError otherwise. */
function units(amount: string): Fixed4 {
  const match = STRICT_DECIMAL.exec(amount);
  if (!match) throw new InvalidAmountError(`"${amount}" is not a decimal amount with at most 4 decimals`);
  return BigInt(match[1]!) * SCALE + BigInt((match[2] ?? "").padEnd(SCALE_DIGITS, "0"));
}

/** The canonical form of an amount: "12.5000" becomes "12.50". */
export function normaliseAmount(amount: string): string {
  return formatFixed4(units(amount));
}

/** Unit price times a whole quantity, exactly. */
export function multiplyAmount(amount: string, quantity: number): string {
  if (!Number.isSafeInteger(quantity) || quantity < 0)
    throw new InvalidAmountError(`quantity ${quantity} is not a whole number >= 0`);
  return formatFixed4(units(amount) * BigInt(quantity));
}

/** Negative when a < b, zero when equal, positive when a > b. */
export function compareAmounts(a: string, b: string): number {
  const difference = units(a) - units(b);
  return difference === 0n ? 0 : difference < 0n ? -1 : 1;
}

/** a / b as a number, for thresholds on price ratios (never for amounts themselves). */
export function amountRatio(a: string, b: string): number {
  const denominator = units(b);
  if (denominator === 0n) throw new InvalidAmountError("cannot divide by a zero amount");
  return Number((units(a) * 1_000_000n) / denominator) / 1_000_000;
}

/** Where `value` sits between `low` (0) and `high` (1); null when the range is empty. */
export function rangePosition(value: string, low: string, high: string): number | null {
  const span = units(high) - units(low);
  if (span <= 0n) return null;
  return Number(((units(value) - units(low)) * 1_000_000n) / span) / 1_000_000;
}

/**
 * A modelled money figure (a yearly cost from demand rates and a square root, say) as an amount
 * with 2 decimals, floored at zero: estimates are computed in floating point, stored amounts never are.
 */
export function estimateAmount(value: number): string {
  return Math.max(0, value).toFixed(2);
}
