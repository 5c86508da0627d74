/**
 * Wire types of sales ingestion as Effect Schemas: a normalised sale row, a rejected line, and the
 * summary of a parsed file (errors, per-product date ranges, content hash).
 */
import { Schema } from "effect";
import { ProductId } from "../ids/index.ts";
import { DecimalAmount } from "../money/index.ts";

export const IsoDate = Schema.String.pipe(
  Schema.pattern(/^\d{4}-\d{2}-\d{2}$/, { message: () => "expected a date as YYYY-MM-DD" }),
);

export const SalesFormat = Schema.Literal("superstore", "plain");
export type SalesFormat = typeof SalesFormat.Type;

const LineNumber = Schema.Int.pipe(Schema.positive());

export const SaleRow = Schema.Struct({
  sku: ProductId,
  productName: Schema.optional(Schema.String),
  category: Schema.optional(Schema.String),
  subCategory: Schema.optional(Schema.String),
  date: IsoDate,
  quantity: Schema.NonNegativeInt,
  /** Net price paid per unit (revenue / quantity), when the file states revenue or a price. */
  unitPrice: Schema.optional(DecimalAmount),
  /** Line revenue after discounts. */
  revenue: Schema.optional(DecimalAmount),
  /** Identity of the sale within its product: re-uploading the same row upserts, never adds. */
  rowKey: Schema.String,
  /** 1-based physical line where the row starts (the first line of a summed plain-format day). */
  line: LineNumber,
});
export type SaleRow = typeof SaleRow.Type;

export const RowError = Schema.Struct({
  line: LineNumber,
  /** Column as written in the file's header, when the problem is one field. */
  field: Schema.optional(Schema.String),
  /** Full sentence, starting with "line N: ". */
  message: Schema.String,
});
export type RowError = typeof RowError.Type;

export const ProductSummary = Schema.Struct({
  sku: ProductId,
  productName: Schema.optional(Schema.String),
  category: Schema.optional(Schema.String),
  subCategory: Schema.optional(Schema.String),
  firstDate: IsoDate,
  lastDate: IsoDate,
  rows: Schema.NonNegativeInt,
  quantity: Schema.NonNegativeInt,
});
export type ProductSummary = typeof ProductSummary.Type;

export const IngestSummary = Schema.Struct({
  /** Null when the header matched no known format (or the file was empty). */
  format: Schema.NullOr(SalesFormat),
  encoding: Schema.Literal("utf-8", "windows-1252"),
  /** SHA-256 (hex) of the raw bytes, for recognising a re-upload of the same file. */
  sha256: Schema.String,
  /** Data records read, blank lines excluded. */
  records: Schema.NonNegativeInt,
  /** Rows emitted (plain format: after summing duplicate sku-days). */
  validRows: Schema.NonNegativeInt,
  /** Plain-format lines merged into an earlier line for the same sku and date. */
  mergedLines: Schema.NonNegativeInt,
  errorCount: Schema.NonNegativeInt,
  /** The first `maxErrors` errors in file order; `errorCount` counts them all. */
  errors: Schema.Array(RowError),
  products: Schema.Array(ProductSummary),
});
export type IngestSummary = typeof IngestSummary.Type;
