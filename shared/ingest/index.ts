/**
 * Sales CSV ingestion (pure): streaming parser, validation and the wire types it produces.
 */
export { parseSalesCsv, parseSalesCsvText, MAX_RECORD_CHARS } from "./parse.ts";
export type { ParseSalesOptions, ParsedSales, SalesParseEvent } from "./parse.ts";
export { ACCEPTED_FORMATS } from "./formats.ts";
export { saleDateWindow, type DateWindow } from "./fields.ts";
export { IngestSummary, IsoDate, ProductSummary, RowError, SaleRow, SalesFormat } from "./schema.ts";
