/**
 * The catalogue file (pure): a CSV of `sku` plus any of the profile columns. Only the columns
 * present change anything, and an empty cell leaves its field as it is. The whole file is read and
 * validated before anything is stored; every bad line is named with its reason.
 */
import { CsvError, parse } from "csv-parse/sync";
import { ChunkDecoder } from "../ingest/decode.ts";
import { parseQuantity, parseSku, type FieldResult } from "../ingest/fields.ts";
import type { RowError } from "../ingest/schema.ts";

/** The columns a catalogue file may have besides `sku`, as the database names them. */
export const catalogColumns = [
  "name",
  "category",
  "stock",
  "lead_time_days",
  "unit_cost",
  "currency",
  "supplier",
  "min_order_qty",
  "pack_size",
  "service_level",
  "review_period_days",
] as const;
export type CatalogColumn = (typeof catalogColumns)[number];

/** One product's changes: the fields of the columns present and not empty on its line. */
export type CatalogRow = { readonly sku: string; readonly line: number } & {
  readonly [K in CatalogColumn]?: string | number;
};

export type CatalogParse =
  | {
      readonly ok: true;
      readonly columns: readonly CatalogColumn[];
      readonly rows: readonly CatalogRow[];
      readonly sha256: string;
    }
  | { readonly ok: false; readonly errorCount: number; readonly errors: readonly RowError[] };

const maxErrors = 100;
const decimalText = /^\d{1,10}(\.\d{1,4})?$/;
const probabilityText = /^0?\.\d+$/;

const ok = <T>(value: T): FieldResult<T> => ({ ok: true, value });
const fail = <T>(reason: string): FieldResult<T> => ({ ok: false, reason });

function text(maxLength: number) {
  return (value: string): FieldResult<string> =>
    value.length <= maxLength ? ok(value) : fail(`is longer than ${maxLength} characters`);
}

function wholeNumber(minimum: number, maximum: number) {
  return (value: string): FieldResult<number> => {
    const parsed = parseQuantity(value);
    if (!parsed.ok) return parsed;
    return parsed.value < minimum || parsed.value > maximum
      ? fail(`is not between ${minimum} and ${maximum}`)
      : parsed;
  };
}

const fieldParsers: Record<CatalogColumn, (value: string) => FieldResult<string | number>> = {
  name: text(300),
  category: text(100),
  stock: wholeNumber(0, 2_000_000_000),
  lead_time_days: wholeNumber(0, 365),
  unit_cost: (value) =>
    decimalText.test(value) ? ok(value) : fail("is not a non-negative amount with at most 4 decimals"),
  currency: (value) =>
    /^[A-Za-z]{3}$/.test(value) ? ok(value.toUpperCase()) : fail("is not a 3-letter ISO currency code"),
  supplier: text(100),
  min_order_qty: wholeNumber(0, 1_000_000_000),
  pack_size: wholeNumber(1, 1_000_000_000),
  service_level: (value) => {
    const level = Number(value);
    return probabilityText.test(value) && level > 0.5 && level < 0.9999
      ? ok(level)
      : fail("is not a service level between 0.5 and 0.9999 (e.g. 0.95)");
  },
  review_period_days: wholeNumber(0, 365),
};

function normaliseHeader(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, "_");
}

function quoted(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
}

class Errors {
  count = 0;
  readonly kept: RowError[] = [];
  add(line: number, message: string, field?: string): void {
    this.count++;
    if (this.kept.length < maxErrors)
      this.kept.push({
        line,
        message: `line ${line}: ${message}`,
        ...(field === undefined ? {} : { field }),
      });
  }
}

interface Header {
  readonly sku: number;
  readonly columns: readonly { readonly name: CatalogColumn; readonly index: number }[];
}

function readHeader(record: readonly string[], errors: Errors): Header | undefined {
  const names = record.map(normaliseHeader);
  const known = new Set<string>(["sku", ...catalogColumns]);
  const unknown = record.filter((_, index) => !known.has(names[index]!));
  if (unknown.length > 0)
    errors.add(
      1,
      `unknown column(s) ${unknown.map(quoted).join(", ")}; a catalogue file has sku and any of ${catalogColumns.join(", ")}`,
    );
  const repeated = names.filter((name, index) => names.indexOf(name) !== index);
  if (repeated.length > 0)
    errors.add(1, `column(s) ${[...new Set(repeated)].join(", ")} appear more than once`);
  const sku = names.indexOf("sku");
  if (sku === -1) errors.add(1, "the header has no sku column");
  if (errors.count > 0) return undefined;
  const columns = catalogColumns.flatMap((name) => {
    const index = names.indexOf(name);
    return index === -1 ? [] : [{ name, index }];
  });
  if (columns.length === 0) {
    errors.add(1, `the header has only sku: add at least one of ${catalogColumns.join(", ")}`);
    return undefined;
  }
  return { sku, columns };
}

function readRecord(
  header: Header,
  headerNames: readonly string[],
  record: readonly string[],
  line: number,
  errors: Errors,
): CatalogRow | undefined {
  const before = errors.count;
  const skuText = (record[header.sku] ?? "").trim();
  const sku = parseSku(skuText);
  if (skuText === "") errors.add(line, "sku is empty", "sku");
  else if (!sku.ok) errors.add(line, `sku ${quoted(skuText)} ${sku.reason}`, "sku");
  const fields: Record<string, string | number> = {};
  for (const { name, index } of header.columns) {
    const value = (record[index] ?? "").trim();
    if (value === "") continue;
    const parsed = fieldParsers[name](value);
    if (parsed.ok) fields[name] = parsed.value;
    else errors.add(line, `${headerNames[index]!.trim()} ${quoted(value)} ${parsed.reason}`, name);
  }
  if (errors.count > before || !sku.ok) return undefined;
  return { ...fields, sku: sku.value, line };
}

/** Reads and validates a whole catalogue file. */
export function parseCatalogCsv(content: Uint8Array): CatalogParse {
  const decoder = new ChunkDecoder();
  const textContent = decoder.decode(content) + decoder.flush();
  const sha256 = decoder.digest();
  const errors = new Errors();
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(textContent, {
      info: true,
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    errors.add(typeof error.lines === "number" ? error.lines : 1, error.message);
    return { ok: false, errorCount: errors.count, errors: errors.kept };
  }
  const [first, ...data] = records;
  if (first === undefined) {
    errors.add(1, "the file is empty");
    return { ok: false, errorCount: errors.count, errors: errors.kept };
  }
  const header = readHeader(first.record, errors);
  if (header === undefined) return { ok: false, errorCount: errors.count, errors: errors.kept };
  if (data.length === 0) errors.add(1, "the file has a header but no products");
  const rows: CatalogRow[] = [];
  const firstLineOf = new Map<string, number>();
  for (const { record, info } of data) {
    const line = info.lines - record.reduce((sum, field) => sum + (field.match(/\n/g)?.length ?? 0), 0);
    if (record.length !== first.record.length) {
      errors.add(line, `expected ${first.record.length} fields as in the header, found ${record.length}`);
      continue;
    }
    const skuText = (record[header.sku] ?? "").trim();
    const earlier = firstLineOf.get(skuText);
    if (earlier !== undefined) {
      errors.add(line, `sku ${quoted(skuText)} repeats line ${earlier}`, "sku");
      continue;
    }
    if (skuText !== "") firstLineOf.set(skuText, line);
    const row = readRecord(header, first.record, record, line, errors);
    if (row !== undefined) rows.push(row);
  }
  if (errors.count > 0) return { ok: false, errorCount: errors.count, errors: errors.kept };
  return { ok: true, columns: header.columns.map((column) => column.name), rows, sha256 };
}
