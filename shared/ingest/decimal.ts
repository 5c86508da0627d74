/**
 * Exact money arithmetic for ingestion: a non-negative decimal string becomes a bigint count of
 * ten-thousandths (4 decimal places, the precision of the catalogue's DecimalAmount), rounding half up
 * beyond that, and is printed back with 2 to 4 decimals. No floating point is involved.
 */
const SCALE_DIGITS = 4;
const SCALE = 10n ** BigInt(SCALE_DIGITS);
const MAX_INTEGER_DIGITS = 10;
const DECIMAL_TEXT = /^(\d+)(?:\.(\d*))?$|^\.(\d+)$/;

/** Ten-thousandths of a unit, always >= 0. */
export type Fixed4 = bigint;

/** Parses "12", "12.5", ".5" or "957.5775000000001"; undefined when not a non-negative decimal that fits. */
export function parseFixed4(text: string): Fixed4 | undefined {
  const match = DECIMAL_TEXT.exec(text);
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
