/**
 * The record of one scrape attempt of one price source, as the product object stores it, and the pure
 * mapping from a fetch outcome (plus extraction of the page) to it. A failed or blocked fetch never
 * carries an amount and its availability is "unknown": it is never a price of 0 nor out of stock. A page
 * read without a confident price (parse_error) keeps what its stock text or buy button says, since shops
 * often hide the price of a sold-out product.
 */
import { Schema } from "effect";
import { CurrencyCode, DecimalAmount } from "../money/index.ts";
import { extractPrice, type ExtractionResult } from "../pricing/extract.ts";
import type { Availability } from "../pricing/page.ts";
import type { FetchOutcome, Validators } from "./fetch.ts";

export const ObservationStatus = Schema.Literal(
  "ok",
  "not_found",
  "blocked",
  "http_error",
  "parse_error",
  "robots_disallowed",
  "not_modified",
  "network_error",
  "forbidden_address",
);
export type ObservationStatus = typeof ObservationStatus.Type;

const MAX_DETAIL_LENGTH = 200;

export const PriceObservation = Schema.Struct({
  status: ObservationStatus,
  amount: Schema.optional(DecimalAmount),
  currency: Schema.optional(CurrencyCode),
  availability: Schema.Literal("in_stock", "out_of_stock", "pre_order", "unknown"),
  /** The extraction rule that won: json-ld, microdata, opengraph, embedded, dom or site:<shop>. */
  rule: Schema.optional(
    Schema.String.pipe(Schema.pattern(/^(?:json-ld|microdata|opengraph|embedded|dom|site:[a-z0-9-]+)$/)),
  ),
  httpStatus: Schema.optional(Schema.Number.pipe(Schema.int(), Schema.between(100, 599))),
  detail: Schema.optional(Schema.String.pipe(Schema.maxLength(MAX_DETAIL_LENGTH))),
  etag: Schema.optional(Schema.String),
  lastModified: Schema.optional(Schema.String),
}).pipe(
  Schema.filter((observation) => {
    const priced = observation.amount !== undefined && observation.currency !== undefined;
    if (observation.status === "ok") return priced || "an ok observation needs an amount and a currency";
    if (observation.amount !== undefined || observation.currency !== undefined) {
      return `a ${observation.status} observation carries no price`;
    }
    return (
      observation.availability === "unknown" ||
      observation.status === "parse_error" ||
      `a ${observation.status} observation has unknown availability`
    );
  }),
);
export type PriceObservation = typeof PriceObservation.Type;

/** One line, printable characters only, at most 200 characters. */
export function sanitizeDetail(text: string): string {
  const clean = text.replace(/[\p{Cc}\p{Cf}\s]+/gu, " ").trim();
  return clean.length <= MAX_DETAIL_LENGTH ? clean : `${clean.slice(0, MAX_DETAIL_LENGTH - 1)}…`;
}

function failure(
  status: Exclude<ObservationStatus, "ok">,
  detail: string,
  httpStatus?: number,
  availability: Availability = "unknown",
): PriceObservation {
  return {
    status,
    availability,
    detail: sanitizeDetail(detail),
    ...(httpStatus === undefined ? {} : { httpStatus }),
  };
}

function fromPage(
  page: Extract<FetchOutcome, { kind: "ok" }>,
  extraction: ExtractionResult,
): PriceObservation {
  switch (extraction.outcome) {
    case "price":
      return {
        status: "ok",
        amount: extraction.amount,
        currency: extraction.currency,
        availability: extraction.availability,
        rule: extraction.rule,
        httpStatus: page.status,
        ...(page.etag === undefined ? {} : { etag: page.etag }),
        ...(page.lastModified === undefined ? {} : { lastModified: page.lastModified }),
      };
    case "conflict": {
      const prices = extraction.candidates.map(({ amount, currency }) => `${amount} ${currency}`).join(", ");
      const detail = `conflicting prices from ${extraction.rule}: ${prices}`;
      return failure("parse_error", detail, page.status, extraction.availability);
    }
    case "no_price":
      return failure("parse_error", extraction.reason, page.status, extraction.availability);
    case "blocked":
      return failure("blocked", `block page: ${extraction.reason}`, page.status);
  }
}

/** Maps a fetch outcome to the observation to store; `extract` reads the price from an HTML page. */
export function observationFrom(
  outcome: FetchOutcome,
  validators: Validators = {},
  extract: (html: string, pageUrl: string) => ExtractionResult = extractPrice,
): PriceObservation {
  switch (outcome.kind) {
    case "ok": {
      const contentType = outcome.contentType ?? "";
      if (contentType !== "" && !/html|xml/i.test(contentType)) {
        return failure("parse_error", `not an HTML page (content-type ${contentType})`, outcome.status);
      }
      return fromPage(outcome, extract(outcome.body, outcome.finalUrl));
    }
    case "not_modified":
      return {
        status: "not_modified",
        availability: "unknown",
        httpStatus: 304,
        ...(validators.etag === undefined ? {} : { etag: validators.etag }),
        ...(validators.lastModified === undefined ? {} : { lastModified: validators.lastModified }),
      };
    case "robots_disallowed":
      return failure("robots_disallowed", outcome.reason);
    case "http_error": {
      if (outcome.status === 404 || outcome.status === 410) {
        return failure("not_found", `HTTP ${outcome.status}: the page does not exist`, outcome.status);
      }
      if (outcome.status === 401 || outcome.status === 403) {
        return failure("blocked", `HTTP ${outcome.status}: access refused`, outcome.status);
      }
      const wait =
        outcome.retryAfterMs === undefined
          ? ""
          : ` (asked to wait ${Math.ceil(outcome.retryAfterMs / 1000)} s)`;
      return failure("http_error", `HTTP ${outcome.status}${wait}`, outcome.status);
    }
    case "network_error":
      return failure("network_error", outcome.message);
    case "timeout":
      return failure("network_error", "timed out");
    case "too_large":
      return failure("parse_error", "page larger than the size cap");
    case "forbidden_address":
      return failure("forbidden_address", outcome.message);
  }
}
