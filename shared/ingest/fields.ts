/**
 * Parsers of single CSV fields (dates, quantities, SKUs, text): each returns the normalised value or
 * a reason phrase ("is not a valid date (expected YYYY-MM-DD)") that the row parser prefixes with
 * the line number, the column name and the offending value.
 */
import { Schema } from "effect";
import { ProductId, identifierRule } from "../ids/index.ts";

export type FieldResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const US_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
const WHOLE_NUMBER = /^\d+$/;
export const MAX_QUANTITY = 1_000_000_000;
const isProductId = Schema.is(ProductId);

function ok<T>(value: T): FieldResult<T> {
  return { ok: true, value };
}

function fail<T>(reason: string): FieldResult<T> {
  return { ok: false, reason };
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function calendarDate(year: number, month: number, day: number): string | undefined {
  if (year < 1900 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/** YYYY-MM-DD, and with `allowUs` also the US M/D/YYYY of the Kaggle Superstore export. */
export function parseDate(text: string, allowUs: boolean): FieldResult<string> {
  const expected = allowUs ? "YYYY-MM-DD or M/D/YYYY" : "YYYY-MM-DD";
  const iso = ISO_DATE.exec(text);
  const us = allowUs ? US_DATE.exec(text) : null;
  const date = iso
    ? calendarDate(Number(iso[1]), Number(iso[2]), Number(iso[3]))
    : us
      ? calendarDate(Number(us[3]), Number(us[1]), Number(us[2]))
      : undefined;
  return date === undefined ? fail(`is not a valid date (expected ${expected})`) : ok(date);
}

/** The sale dates an upload may contain, inclusive, as YYYY-MM-DD. */
export interface DateWindow {
  readonly earliest: string;
  readonly latest: string;
}

/** From `earliest` to `daysAhead` days after the UTC day of `now` (epoch ms). */
export function saleDateWindow(earliest: string, daysAhead: number, now: number): DateWindow {
  const latest = new Date(now + daysAhead * 86_400_000).toISOString().slice(0, 10);
  return { earliest, latest };
}

/** `date` (YYYY-MM-DD) inside the window, or why not. */
export function checkDateWindow(date: string, window: DateWindow): FieldResult<string> {
  if (date < window.earliest) return fail(`is before ${window.earliest}, the earliest accepted sale date`);
  if (date > window.latest) return fail(`is after ${window.latest}, the latest accepted sale date`);
  return ok(date);
}

/** The text, or why it is too long to store (it would not fit the database's keys and columns). */
export function limitedText(maxChars: number): (text: string) => FieldResult<string> {
  return (text) => (text.length > maxChars ? fail(`is longer than ${maxChars} characters`) : ok(text));
}

export function parseQuantity(text: string): FieldResult<number> {
  if (!WHOLE_NUMBER.test(text)) return fail("is not a non-negative integer");
  const value = Number(text);
  return value > MAX_QUANTITY ? fail(`is larger than ${MAX_QUANTITY}`) : ok(value);
}

export function parseSku(text: string): FieldResult<string> {
  return isProductId(text) ? ok(text) : fail(`is not a valid SKU (${identifierRule})`);
}

/** Trimmed text, or undefined when blank. */
export function optionalText(text: string | undefined): string | undefined {
  const trimmed = text?.trim();
  return trimmed === undefined || trimmed === "" ? undefined : trimmed;
}
