/**
 * The two accepted sales CSV layouts: recognising one from the header row (names matched ignoring case,
 * spaces and punctuation; column order free; extra columns ignored) and reading one record of it into
 * a validated sale line, or the list of problems with that record.
 */
import { divideFixed4, parseFixed4, type Fixed4 } from "../money/index.ts";
import type { SalesFormat } from "./schema.ts";
import {
  checkDateWindow,
  limitedText,
  optionalText,
  parseDate,
  parseQuantity,
  parseSku,
  type DateWindow,
  type FieldResult,
} from "./fields.ts";

/** Longest Order ID or Row ID: it becomes part of the sale's key. */
export const MAX_ID_CHARS = 100;
export const MAX_NAME_CHARS = 300;
export const MAX_CATEGORY_CHARS = 100;

interface ColumnSpec {
  readonly aliases: readonly string[];
  readonly required: boolean;
}

const SUPERSTORE_COLUMNS = {
  orderDate: { aliases: ["orderdate"], required: true },
  productId: { aliases: ["productid"], required: true },
  quantity: { aliases: ["quantity"], required: true },
  orderId: { aliases: ["orderid"], required: false },
  rowId: { aliases: ["rowid"], required: false },
  productName: { aliases: ["productname"], required: false },
  category: { aliases: ["category"], required: false },
  subCategory: { aliases: ["subcategory"], required: false },
  sales: { aliases: ["sales"], required: false },
  profit: { aliases: ["profit"], required: false },
} as const satisfies Record<string, ColumnSpec>;

const PLAIN_COLUMNS = {
  sku: { aliases: ["sku"], required: true },
  date: { aliases: ["date"], required: true },
  quantity: { aliases: ["quantity"], required: true },
  price: { aliases: ["price", "unitprice"], required: false },
  productName: { aliases: ["name", "productname"], required: false },
  category: { aliases: ["category"], required: false },
  subCategory: { aliases: ["subcategory"], required: false },
} as const satisfies Record<string, ColumnSpec>;

export const ACCEPTED_FORMATS =
  "accepted formats: the Superstore export (columns Order ID or Row ID, Order Date, Product ID, Quantity; " +
  "optionally Product Name, Category, Sub-Category, Sales) or plain sales (columns sku, date, quantity; " +
  "optionally price, name, category, sub_category)";

export interface Column {
  readonly index: number;
  /** As written in the header. */
  readonly name: string;
}

/** Where each role sits in the file; `amount` is Superstore's line Sales or the plain unit price. */
export interface Layout {
  readonly format: SalesFormat;
  readonly width: number;
  readonly sku: Column;
  readonly date: Column;
  readonly quantity: Column;
  readonly amount: Column | undefined;
  /** Superstore's line Profit: with Sales, the unit cost is (Sales − Profit) / Quantity. */
  readonly profit: Column | undefined;
  readonly productName: Column | undefined;
  readonly category: Column | undefined;
  readonly subCategory: Column | undefined;
  readonly orderId: Column | undefined;
  readonly rowId: Column | undefined;
}

/** A record read under a layout; `identity` is what makes it the same sale on a re-upload. */
export interface SaleLine {
  readonly sku: string;
  readonly date: string;
  readonly quantity: number;
  readonly productName: string | undefined;
  readonly category: string | undefined;
  readonly subCategory: string | undefined;
  /** Line revenue (Superstore Sales) or unit price (plain price), exact. */
  readonly amount: Fixed4 | undefined;
  /** Cost per unit from the line's Sales − Profit (Superstore), when both are there. */
  readonly unitCost: Fixed4 | undefined;
  readonly identity: { readonly orderId: string } | { readonly rowId: string } | { readonly day: true };
}

export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

export type LineResult =
  { readonly ok: true; readonly line: SaleLine } | { readonly ok: false; readonly problems: FieldProblem[] };

function normaliseHeader(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, "");
}

function describeValue(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
}

type Columns<Specs> = { readonly [K in keyof Specs]: Column | undefined };

function resolveColumns<Specs extends Record<string, ColumnSpec>>(
  specs: Specs,
  header: readonly string[],
  formatName: string,
): { ok: true; columns: Columns<Specs> } | { ok: false; reason: string } {
  const normalised = header.map(normaliseHeader);
  const columns: Record<string, Column | undefined> = {};
  const missing: string[] = [];
  for (const [key, spec] of Object.entries(specs)) {
    const indexes = normalised.flatMap((name, index) => (spec.aliases.includes(name) ? [index] : []));
    if (indexes.length > 1) {
      const names = indexes.map((index) => describeValue(header[index]!)).join(" and ");
      return { ok: false, reason: `columns ${names} both mean ${spec.aliases[0]}` };
    }
    const index = indexes[0];
    columns[key] = index === undefined ? undefined : { index, name: header[index]!.trim() };
    if (index === undefined && spec.required) missing.push(spec.aliases[0]!);
  }
  if (missing.length > 0) {
    return {
      ok: false,
      reason: `the ${formatName} header lacks the required column(s) ${missing.join(", ")}`,
    };
  }
  return { ok: true, columns: columns as Columns<Specs> };
}

/** Picks the format from the header row, or explains why none fits. */
export function detectLayout(
  header: readonly string[],
): { ok: true; layout: Layout } | { ok: false; reason: string } {
  const names = new Set(header.map(normaliseHeader));
  const width = header.length;
  if (names.has("sku")) {
    const resolved = resolveColumns(PLAIN_COLUMNS, header, "plain");
    if (!resolved.ok) return resolved;
    const { sku, date, quantity, price, productName, category, subCategory } = resolved.columns;
    return {
      ok: true,
      layout: {
        format: "plain",
        width,
        sku: sku!,
        date: date!,
        quantity: quantity!,
        amount: price,
        profit: undefined,
        productName,
        category,
        subCategory,
        orderId: undefined,
        rowId: undefined,
      },
    };
  }
  if (names.has("productid") || names.has("orderdate") || names.has("orderid")) {
    const resolved = resolveColumns(SUPERSTORE_COLUMNS, header, "Superstore");
    if (!resolved.ok) return resolved;
    const {
      productId,
      orderDate,
      quantity,
      sales,
      profit,
      productName,
      category,
      subCategory,
      orderId,
      rowId,
    } = resolved.columns;
    if (orderId === undefined && rowId === undefined) {
      return {
        ok: false,
        reason: "the Superstore header needs an Order ID or a Row ID column to identify rows",
      };
    }
    return {
      ok: true,
      layout: {
        format: "superstore",
        width,
        sku: productId!,
        date: orderDate!,
        quantity: quantity!,
        amount: sales,
        profit,
        productName,
        category,
        subCategory,
        orderId,
        rowId,
      },
    };
  }
  const single = header.length === 1 ? header[0]! : "";
  const separatorHint = /[;\t|]/.test(single) ? " (the file must be comma-separated)" : "";
  return {
    ok: false,
    reason: `unrecognised header ${describeValue(header.join(","))}${separatorHint}; ${ACCEPTED_FORMATS}`,
  };
}

class LineReader {
  readonly problems: FieldProblem[] = [];
  constructor(private readonly record: readonly string[]) {}

  raw(column: Column | undefined): string | undefined {
    return column === undefined ? undefined : (this.record[column.index] ?? "").trim();
  }

  text(column: Column | undefined, maxChars: number): string | undefined {
    const value = optionalText(this.raw(column));
    return column === undefined || value === undefined
      ? undefined
      : this.check(column, value, limitedText(maxChars)(value));
  }

  required<T>(column: Column, parse: (text: string) => FieldResult<T>): T | undefined {
    const value = this.raw(column) ?? "";
    if (value === "") {
      this.problems.push({ field: column.name, message: `${column.name} is empty` });
      return undefined;
    }
    return this.check(column, value, parse(value));
  }

  optionalAmount(column: Column | undefined): Fixed4 | undefined {
    const value = this.raw(column);
    if (column === undefined || value === undefined || value === "") return undefined;
    const amount = parseFixed4(value);
    if (amount !== undefined) return amount;
    this.problems.push({
      field: column.name,
      message: `${column.name} ${describeValue(value)} is not a non-negative decimal number (at most 10 integer digits)`,
    });
    return undefined;
  }

  /** A signed decimal (a Profit may be negative), in ten-thousandths. */
  optionalSignedAmount(column: Column | undefined): bigint | undefined {
    const value = this.raw(column);
    if (column === undefined || value === undefined || value === "") return undefined;
    const negative = value.startsWith("-");
    const amount = parseFixed4(negative ? value.slice(1) : value);
    if (amount !== undefined) return negative ? -amount : amount;
    this.problems.push({
      field: column.name,
      message: `${column.name} ${describeValue(value)} is not a decimal number (at most 10 integer digits)`,
    });
    return undefined;
  }

  private check<T>(column: Column, value: string, result: FieldResult<T>): T | undefined {
    if (result.ok) return result.value;
    this.problems.push({
      field: column.name,
      message: `${column.name} ${describeValue(value)} ${result.reason}`,
    });
    return undefined;
  }
}

/** (Sales − Profit) / Quantity, rounded half up; undefined when unknown or not a cost (below 0). */
function lineUnitCost(
  sales: Fixed4 | undefined,
  profit: bigint | undefined,
  quantity: number,
): Fixed4 | undefined {
  if (sales === undefined || profit === undefined || quantity <= 0 || sales - profit < 0n) return undefined;
  return divideFixed4(sales - profit, quantity);
}

/** Reads one data record (already checked to have the header's width); dates outside `window` are problems. */
export function readLine(layout: Layout, record: readonly string[], window?: DateWindow): LineResult {
  const reader = new LineReader(record);
  const usDates = layout.format === "superstore";
  const sku = reader.required(layout.sku, parseSku);
  const date = reader.required(layout.date, (text) => {
    const parsed = parseDate(text, usDates);
    return parsed.ok && window !== undefined ? checkDateWindow(parsed.value, window) : parsed;
  });
  const quantity = reader.required(layout.quantity, parseQuantity);
  const amount = reader.optionalAmount(layout.amount);
  const profit = reader.optionalSignedAmount(layout.profit);
  const productName = reader.text(layout.productName, MAX_NAME_CHARS);
  const category = reader.text(layout.category, MAX_CATEGORY_CHARS);
  const subCategory = reader.text(layout.subCategory, MAX_CATEGORY_CHARS);
  let identity: SaleLine["identity"] | undefined = { day: true };
  if (layout.orderId) {
    const orderId = reader.required(layout.orderId, limitedText(MAX_ID_CHARS));
    identity = orderId === undefined ? undefined : { orderId };
  } else if (layout.rowId) {
    const rowId = reader.required(layout.rowId, limitedText(MAX_ID_CHARS));
    identity = rowId === undefined ? undefined : { rowId };
  }
  if (
    reader.problems.length > 0 ||
    sku === undefined ||
    date === undefined ||
    quantity === undefined ||
    identity === undefined
  ) {
    return { ok: false, problems: reader.problems };
  }
  return {
    ok: true,
    line: {
      sku,
      date,
      quantity,
      productName,
      category,
      subCategory,
      amount,
      unitCost: lineUnitCost(amount, profit, quantity),
      identity,
    },
  };
}
