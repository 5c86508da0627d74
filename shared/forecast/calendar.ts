/**
 * Period calendar for regular demand series: period start dates (days, Monday-start weeks,
 * calendar months) as ISO "YYYY-MM-DD" strings in UTC, and stepping between periods.
 */
import { ForecastError } from "./errors.ts";

export const frequencies = ["day", "week", "month"] as const;
export type Frequency = (typeof frequencies)[number];

const isoDatePattern = /^(\d{4})-(\d{2})-(\d{2})$/;
const dayMs = 86_400_000;

export function parseIsoDate(date: string): Date {
  const match = isoDatePattern.exec(date);
  const parsed = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : null;
  if (!parsed || parsed.toISOString().slice(0, 10) !== date) {
    throw new ForecastError("INVALID_DATE", `"${date}" is not a valid YYYY-MM-DD date`);
  }
  return parsed;
}

const formatIsoDate = (date: Date): string => date.toISOString().slice(0, 10);

/** The start date of the period that contains `date`. */
export function periodStart(date: string, frequency: Frequency): string {
  const day = parseIsoDate(date);
  if (frequency === "day") return formatIsoDate(day);
  if (frequency === "month")
    return formatIsoDate(new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), 1)));
  const daysSinceMonday = (day.getUTCDay() + 6) % 7;
  return formatIsoDate(new Date(day.getTime() - daysSinceMonday * dayMs));
}

/** The start of the period `count` periods after the period starting at `start`. */
export function addPeriods(start: string, frequency: Frequency, count: number): string {
  const day = parseIsoDate(start);
  if (frequency === "month") {
    return formatIsoDate(new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth() + count, 1)));
  }
  const stepDays = frequency === "week" ? 7 : 1;
  return formatIsoDate(new Date(day.getTime() + count * stepDays * dayMs));
}

/** Number of whole periods from period start `from` to period start `to` (negative if `to` is earlier). */
export function periodsBetween(from: string, to: string, frequency: Frequency): number {
  const a = parseIsoDate(from);
  const b = parseIsoDate(to);
  if (frequency === "month") {
    return (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + b.getUTCMonth() - a.getUTCMonth();
  }
  const days = Math.round((b.getTime() - a.getTime()) / dayMs);
  return frequency === "week" ? Math.floor(days / 7) : days;
}

/** Seasonal cycles worth modelling at each frequency, in periods. */
export const seasonalPeriods: Record<Frequency, { yearly: number; weekly?: number }> = {
  day: { yearly: 365.25, weekly: 7 },
  week: { yearly: 365.25 / 7 },
  month: { yearly: 12 },
};

/** The integer season length used by seasonal-naive style methods. */
export const seasonLength: Record<Frequency, number> = { day: 7, week: 52, month: 12 };
