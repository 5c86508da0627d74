/**
 * Streaming sales CSV parser: reads an async iterable of byte or text chunks, recognises the format from
 * the header, validates every record and yields normalised sale rows in batches, then one summary with
 * the errors (line numbers and reasons), per-product date ranges and the content hash.
 *
 * Memory: Superstore rows stream through in batches; the parser keeps one entry per product, per
 * (order, product) pair for row identity, and per Row ID when that is the identity. Plain-format rows
 * are daily totals, so duplicate (sku, date) lines are summed and emitted after the last line: one
 * entry per sku-day is held until the end. With `identities: "database"` the parser holds nothing per
 * row: every line streams out at once with its base key (`order:<id>:<sku>`, `row:<id>`,
 * `day:<sku>:<date>`) and the database numbers repeated order lines, sums days and finds repeated
 * Row IDs (shared/db/staging.ts).
 */
import { Readable } from "node:stream";
import { CsvError, parse, type Info } from "csv-parse";
import { ChunkDecoder } from "./decode.ts";
import { divideFixed4, formatFixed4, multiplyFixed4, type Fixed4 } from "../money/index.ts";
import type { DateWindow } from "./fields.ts";
import { detectLayout, readLine, type Layout, type SaleLine } from "./formats.ts";
import type { IngestSummary, ProductSummary, RowError, SaleRow, SalesFormat } from "./schema.ts";

export interface ParseSalesOptions {
  /** Rows per yielded batch (default 1000). */
  readonly batchSize?: number;
  /** Errors kept in the summary (default 100); all are counted. */
  readonly maxErrors?: number;
  /** Sale dates outside this window are bad lines (default: any valid date). */
  readonly saleDates?: DateWindow;
  /** Where row identities are resolved (see the file comment; default "memory"). */
  readonly identities?: "memory" | "database";
}

export type SalesParseEvent =
  | {
      readonly kind: "rows";
      readonly format: SalesFormat;
      readonly rows: readonly SaleRow[];
      /** Errors found so far in the file: once > 0 the upload cannot be accepted. */
      readonly errorCount: number;
    }
  | { readonly kind: "summary"; readonly summary: IngestSummary };

/** A quoted field longer than this is reported (it is almost always an unterminated quote). */
export const MAX_RECORD_CHARS = 65_536;

const byLine = (left: RowError, right: RowError) => left.line - right.line;

/** Counts every error and keeps the `limit` with the lowest line numbers (csv-parse reports some early). */
class ErrorLog {
  count = 0;
  readonly #kept: RowError[] = [];
  constructor(private readonly limit: number) {}

  add(line: number, message: string, field?: string): void {
    this.count++;
    if (this.#kept.length >= this.limit) {
      this.#kept.sort(byLine);
      const last = this.#kept.at(-1);
      if (last === undefined || last.line <= line) return;
      this.#kept.pop();
    }
    this.#kept.push({ line, message: `line ${line}: ${message}`, ...(field === undefined ? {} : { field }) });
  }

  sorted(): RowError[] {
    return [...this.#kept].sort(byLine);
  }
}

class ProductTally {
  readonly #products = new Map<string, { -readonly [K in keyof ProductSummary]: ProductSummary[K] }>();

  add(row: SaleRow): void {
    const known = this.#products.get(row.sku);
    if (known === undefined) {
      this.#products.set(row.sku, {
        sku: row.sku,
        productName: row.productName,
        category: row.category,
        subCategory: row.subCategory,
        firstDate: row.date,
        lastDate: row.date,
        rows: 1,
        quantity: row.quantity,
      });
      return;
    }
    known.productName ??= row.productName;
    known.category ??= row.category;
    known.subCategory ??= row.subCategory;
    if (row.date < known.firstDate) known.firstDate = row.date;
    if (row.date > known.lastDate) known.lastDate = row.date;
    known.rows++;
    known.quantity += row.quantity;
  }

  list(): ProductSummary[] {
    return [...this.#products.values()];
  }
}

interface DayTotal {
  readonly line: SaleLine;
  readonly firstLine: number;
  quantity: number;
  /** Undefined as soon as one merged line has no price. */
  revenue: Fixed4 | undefined;
  lastPrice: Fixed4 | undefined;
}

function countNewlines(text: string): number {
  let count = 0;
  for (let index = text.indexOf("\n"); index !== -1; index = text.indexOf("\n", index + 1)) count++;
  return count;
}

function describeCsvError(error: CsvError): string {
  switch (error.code) {
    case "CSV_QUOTE_NOT_CLOSED":
      return "unterminated quote: a quoted field is still open at the end of the file";
    case "CSV_INVALID_CLOSING_QUOTE":
      return "a closing quote is followed by other characters instead of a comma or the end of the line";
    case "INVALID_OPENING_QUOTE":
      return "a quote appears inside an unquoted field (quote the whole field and double the inner quotes)";
    case "CSV_MAX_RECORD_SIZE":
      return `a record is longer than ${MAX_RECORD_CHARS} characters (probably an unterminated quote)`;
    default:
      return error.message;
  }
}

/** First line of a record csv-parse rejected: its error counts lines up to where it stopped. */
function csvErrorLine(error: CsvError, raw: string | undefined): number {
  const lastLine = typeof error.lines === "number" ? error.lines : 1;
  const record = (raw ?? "").replace(/^\n+/, "").replace(/\n$/, "");
  return Math.max(1, lastLine - countNewlines(record));
}

function toRow(
  line: SaleLine,
  rowKey: string,
  physicalLine: number,
  quantity: number,
  revenue: Fixed4 | undefined,
  unitPrice: Fixed4 | undefined,
): SaleRow {
  return {
    sku: line.sku,
    productName: line.productName,
    category: line.category,
    subCategory: line.subCategory,
    date: line.date,
    quantity,
    unitPrice: unitPrice === undefined ? undefined : formatFixed4(unitPrice),
    revenue: revenue === undefined ? undefined : formatFixed4(revenue),
    unitCost: line.unitCost === undefined ? undefined : formatFixed4(line.unitCost),
    rowKey,
    line: physicalLine,
  };
}

function dayRow(day: DayTotal): SaleRow {
  const unitPrice =
    day.revenue !== undefined && day.quantity > 0 ? divideFixed4(day.revenue, day.quantity) : day.lastPrice;
  return toRow(
    day.line,
    `day:${day.line.sku}:${day.line.date}`,
    day.firstLine,
    day.quantity,
    day.revenue,
    unitPrice,
  );
}

/** A line as it is, keyed by its identity without occurrence numbers; the database resolves the rest. */
function baseRow(sale: SaleLine, line: number): SaleRow {
  const identity = sale.identity;
  if ("day" in identity) {
    const revenue = sale.amount === undefined ? undefined : multiplyFixed4(sale.amount, sale.quantity);
    return toRow(sale, `day:${sale.sku}:${sale.date}`, line, sale.quantity, revenue, sale.amount);
  }
  return orderLineRow(
    sale,
    "rowId" in identity ? `row:${identity.rowId}` : `order:${identity.orderId}:${sale.sku}`,
    line,
  );
}

/** A Superstore line: its Sales is the line revenue, the unit price is revenue / quantity. */
function orderLineRow(sale: SaleLine, rowKey: string, line: number): SaleRow {
  const unitPrice =
    sale.amount !== undefined && sale.quantity > 0 ? divideFixed4(sale.amount, sale.quantity) : undefined;
  return toRow(sale, rowKey, line, sale.quantity, sale.amount, unitPrice);
}

/** Turns validated lines into rows with their identities, batching them and tallying products. */
class SaleCollector {
  readonly products = new ProductTally();
  validRows = 0;
  mergedLines = 0;
  #batch: SaleRow[] = [];
  readonly #orderOccurrences = new Map<string, number>();
  readonly #rowIdLines = new Map<string, number>();
  readonly #days = new Map<string, DayTotal>();

  constructor(
    private readonly batchSize: number,
    private readonly errors: ErrorLog,
    private readonly identities: "memory" | "database",
  ) {}

  /** Returns a full batch when this line completed one. */
  add(sale: SaleLine, line: number, layout: Layout): SaleRow[] | undefined {
    const identity = sale.identity;
    if (this.identities === "database") return this.#emit(baseRow(sale, line));
    if ("day" in identity) {
      this.#addToDay(sale, line);
      return undefined;
    }
    let rowKey: string;
    if ("rowId" in identity) {
      const earlier = this.#rowIdLines.get(identity.rowId);
      if (earlier !== undefined) {
        const message = `Row ID ${JSON.stringify(identity.rowId)} repeats line ${earlier}`;
        this.errors.add(line, message, layout.rowId?.name);
        return undefined;
      }
      this.#rowIdLines.set(identity.rowId, line);
      rowKey = `row:${identity.rowId}`;
    } else {
      const pair = `${identity.orderId}\u0000${sale.sku}`;
      const occurrence = (this.#orderOccurrences.get(pair) ?? 0) + 1;
      this.#orderOccurrences.set(pair, occurrence);
      rowKey = `order:${identity.orderId}:${sale.sku}:${occurrence}`;
    }
    return this.#emit(orderLineRow(sale, rowKey, line));
  }

  /** The summed days, then whatever is left, in batches. */
  *drain(): Generator<SaleRow[]> {
    for (const day of this.#days.values()) {
      const full = this.#emit(dayRow(day));
      if (full) yield full;
    }
    this.#days.clear();
    if (this.#batch.length > 0) yield this.#batch;
    this.#batch = [];
  }

  #addToDay(sale: SaleLine, line: number): void {
    const key = `${sale.sku}\u0000${sale.date}`;
    const lineRevenue = sale.amount === undefined ? undefined : multiplyFixed4(sale.amount, sale.quantity);
    const known = this.#days.get(key);
    if (known === undefined) {
      this.#days.set(key, {
        line: sale,
        firstLine: line,
        quantity: sale.quantity,
        revenue: lineRevenue,
        lastPrice: sale.amount,
      });
      return;
    }
    this.mergedLines++;
    known.quantity += sale.quantity;
    known.revenue =
      known.revenue === undefined || lineRevenue === undefined ? undefined : known.revenue + lineRevenue;
    known.lastPrice = sale.amount ?? known.lastPrice;
  }

  #emit(row: SaleRow): SaleRow[] | undefined {
    this.products.add(row);
    this.validRows++;
    this.#batch.push(row);
    if (this.#batch.length < this.batchSize) return undefined;
    const full = this.#batch;
    this.#batch = [];
    return full;
  }
}

async function* decodeAll(
  chunks: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
  decoder: ChunkDecoder,
): AsyncGenerator<string> {
  for await (const chunk of chunks) {
    const text = decoder.decode(chunk);
    if (text.length > 0) yield text;
  }
  const rest = decoder.flush();
  if (rest.length > 0) yield rest;
}

/**
 * Parses a sales CSV. Yields `rows` events (Superstore: while reading; plain: after the last line, since
 * duplicate sku-days are summed) and finally one `summary` event. Never throws on bad content; a failing
 * chunk source (e.g. a broken connection) rejects the iteration.
 */
export async function* parseSalesCsv(
  chunks: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
  options: ParseSalesOptions = {},
): AsyncGenerator<SalesParseEvent, void, undefined> {
  const batchSize = Math.max(1, options.batchSize ?? 1000);
  const errors = new ErrorLog(Math.max(0, options.maxErrors ?? 100));
  const decoder = new ChunkDecoder();
  /** csv-parse may report a malformed record again while recovering from it: keep one error per line. */
  let lastSkippedLine = 0;
  const parser = parse({
    info: true,
    raw: true,
    relax_column_count: true,
    skip_records_with_error: true,
    skip_empty_lines: true,
    skip_records_with_empty_values: true,
    max_record_size: MAX_RECORD_CHARS,
    on_skip: (error, raw) => {
      if (error === undefined) return;
      const line = csvErrorLine(error, raw);
      if (line !== lastSkippedLine) errors.add(line, describeCsvError(error));
      lastSkippedLine = line;
    },
  });
  const source = Readable.from(decodeAll(chunks, decoder));
  source.on("error", (error) => parser.destroy(error));
  source.pipe(parser);

  const collector = new SaleCollector(batchSize, errors, options.identities ?? "memory");
  let layout: Layout | undefined;
  let records = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: Info }>) {
      const line = info.lines - record.reduce((sum, field) => sum + countNewlines(field), 0);
      if (layout === undefined) {
        const detected = detectLayout(record);
        if (!detected.ok) {
          errors.add(line, detected.reason);
          break;
        }
        layout = detected.layout;
        continue;
      }
      records++;
      if (record.length !== layout.width) {
        errors.add(line, `expected ${layout.width} fields as in the header, found ${record.length}`);
        continue;
      }
      const result = readLine(layout, record, options.saleDates);
      if (!result.ok) {
        for (const problem of result.problems) errors.add(line, problem.message, problem.field);
        continue;
      }
      const full = collector.add(result.line, line, layout);
      if (full) yield { kind: "rows", format: layout.format, rows: full, errorCount: errors.count };
    }
  } finally {
    source.destroy();
    parser.destroy();
  }

  if (layout === undefined) {
    if (errors.count === 0) errors.add(1, "the file is empty");
  } else {
    for (const rows of collector.drain())
      yield { kind: "rows", format: layout.format, rows, errorCount: errors.count };
    if (records === 0 && errors.count === 0) errors.add(1, "the file has a header but no data rows");
  }

  yield {
    kind: "summary",
    summary: {
      format: layout?.format ?? null,
      encoding: decoder.encoding,
      sha256: decoder.digest(),
      records,
      validRows: collector.validRows,
      mergedLines: collector.mergedLines,
      errorCount: errors.count,
      errors: errors.sorted(),
      products: collector.products.list(),
    },
  };
}

export interface ParsedSales {
  readonly rows: SaleRow[];
  readonly summary: IngestSummary;
}

/** Whole-file convenience over `parseSalesCsv`, for small uploads and tests. */
export async function parseSalesCsvText(
  content: Uint8Array | string,
  options: ParseSalesOptions = {},
): Promise<ParsedSales> {
  const rows: SaleRow[] = [];
  let summary: IngestSummary | undefined;
  for await (const event of parseSalesCsv([content], options)) {
    if (event.kind === "summary") summary = event.summary;
    else rows.push(...event.rows);
  }
  return { rows, summary: summary! };
}
