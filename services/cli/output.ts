/**
 * What the CLI prints: by default a human-readable view (aligned labels and tables, units, dates in
 * UTC, "—" for none), with `--json` the raw answer for scripts; and the exit codes that say what failed.
 */
import type { CommandContext } from "./command.ts";

/** Exit codes, documented in `procure --help`. */
export const exitCodes = {
  ok: 0,
  failed: 1,
  usage: 2,
  timeout: 3,
  notFound: 4,
  rejected: 5,
  unauthorized: 6,
  unreachable: 7,
} as const;

export const exitCodeHelp = [
  "exit codes:",
  "  0  done",
  "  1  the command ran but something failed (a check, a retrain, an analysis, a server error)",
  "  2  usage mistake: unknown command, missing or malformed argument",
  "  3  gave up waiting (upload --wait)",
  "  4  not found: no such product, upload or analysis",
  "  5  rejected: the service refused the input (bad CSV line, invalid value, conflict)",
  "  6  not authorised: set PROCURE_API_KEY",
  "  7  cannot reach procure: is `npm start` running, is RESTATE_INGRESS_URL right?",
].join("\n");

/** The exit code for a failed HTTP answer from procure. */
export function exitCodeForStatus(status: number): number {
  if (status === 404) return exitCodes.notFound;
  if (status === 401 || status === 403) return exitCodes.unauthorized;
  if (status === 400 || status === 409 || status === 413 || status === 422) return exitCodes.rejected;
  return exitCodes.failed;
}

const isoDateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** "2026-12-04T14:20:31.123Z" → "2026-12-04 14:20 UTC". */
export function formatDateTime(text: string): string {
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? text : `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

export function formatNumber(value: number, maximumFractionDigits = 2): string {
  return value.toLocaleString("en-US", { maximumFractionDigits });
}

export function formatPercent(fraction: number): string {
  return `${formatNumber(fraction * 100, 1)}%`;
}

/** "leadTimeDays" → "lead time days". */
function label(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase();
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** An amount with its currency reads as one figure: "12.50 USD". */
function isMoney(value: Record<string, unknown>): boolean {
  const keys = Object.keys(value);
  return keys.length === 2 && typeof value.amount === "string" && typeof value.currency === "string";
}

function scalar(value: unknown): string | undefined {
  if (value === null || value === undefined) return "—";
  if (typeof value === "number") return formatNumber(value, 3);
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (typeof value === "string") return isoDateTime.test(value) ? formatDateTime(value) : value;
  if (isRecord(value) && isMoney(value)) return `${String(value.amount)} ${String(value.currency)}`;
  if (Array.isArray(value) && value.every((item) => scalar(item) !== undefined && !isRecord(item)))
    return value.length === 0 ? "(none)" : value.map((item) => scalar(item)).join(", ");
  return undefined;
}

/** Rows as a table with a header, columns aligned (numbers to the right). */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? "").length)),
  );
  const numeric = headers.map(
    (_, column) => rows.length > 0 && rows.every((row) => /^[-+]?[\d,.]+%?$|^—$/.test(row[column] ?? "")),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) =>
        numeric[column] ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!),
      )
      .join("  ")
      .trimEnd();
  return [line(headers), ...rows.map(line)];
}

function render(value: unknown, indent: string): string[] {
  const simple = scalar(value);
  if (simple !== undefined) return [`${indent}${simple}`];
  if (Array.isArray(value)) {
    const records = value.filter(isRecord);
    const columns = [...new Set(records.flatMap((record) => Object.keys(record)))].filter((key) =>
      records.every((record) => scalar(record[key]) !== undefined),
    );
    const rows = records.map((record) => columns.map((key) => scalar(record[key]) ?? ""));
    return table(columns.map(label), rows).map((line) => `${indent}${line}`);
  }
  const record = value as Record<string, unknown>;
  const width = Math.max(0, ...Object.keys(record).map((key) => label(key).length));
  return Object.entries(record).flatMap(([key, item]) => {
    const text = scalar(item);
    if (text !== undefined) return [`${indent}${label(key).padEnd(width)}  ${text}`];
    return [`${indent}${label(key)}:`, ...render(item, `${indent}  `)];
  });
}

/** A readable view of any answer: labelled fields, nested blocks indented, lists of records as tables. */
export function humanReadable(value: unknown): string {
  return render(value, "").join("\n");
}

const bars = "▁▂▃▄▅▆▇█";

/** A one-line chart of the values, lowest ▁ to highest █. */
export function sparkline(values: readonly number[]): string {
  const low = Math.min(...values);
  const high = Math.max(...values);
  return values
    .map((value) => bars[high === low ? 3 : Math.round(((value - low) / (high - low)) * (bars.length - 1))])
    .join("");
}

/** Prints an answer: raw JSON with `--json`, else the given view (or the generic one). */
export function printOutput<T>(context: CommandContext, value: T, view?: (value: T) => string): void {
  if (context.json) context.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  else context.stdout.write(`${view ? view(value) : humanReadable(value)}\n`);
}
