import { readFileSync } from "node:fs";
import { Either, Schema } from "effect";
import { describe, expect, it } from "vitest";
import type { FetchOutcome } from "../../../shared/scrape/fetch.ts";
import { observationFrom, PriceObservation, sanitizeDetail } from "../../../shared/scrape/observation.ts";

const page = (name: string) => readFileSync(new URL(`../../fixtures/pages/${name}`, import.meta.url), "utf8");

const ok = (body: string, extra: Partial<Extract<FetchOutcome, { kind: "ok" }>> = {}): FetchOutcome => ({
  kind: "ok",
  status: 200,
  body,
  finalUrl: "https://www.loja.com.br/p/1",
  contentType: "text/html; charset=utf-8",
  ...extra,
});

/** Two products' JSON-LD prices and no visible price to settle them. */
const conflictPage = () => page("conflict-two-products.html").replace('<p class="price">R$ 399,90</p>', "");

const isValid = (observation: unknown) =>
  Either.isRight(Schema.decodeUnknownEither(PriceObservation)(observation));

describe("observationFrom", () => {
  it("records an extracted price with its rule, availability and validators", () => {
    const observation = observationFrom(ok(page("jsonld-product.html"), { etag: '"abc"' }));
    expect(observation).toEqual({
      status: "ok",
      amount: "1899.90",
      currency: "BRL",
      availability: "in_stock",
      rule: "json-ld",
      httpStatus: 200,
      etag: '"abc"',
    });
    expect(isValid(observation)).toBe(true);
  });

  it.each<[string, FetchOutcome, string]>([
    ["a block page served with 200", ok(page("blocked-cloudflare.html")), "blocked"],
    ["conflicting prices", ok(conflictPage()), "parse_error"],
    ["a page without a price", ok(page("no-price.html")), "parse_error"],
    ["a non-HTML response", ok("%PDF-1.7", { contentType: "application/pdf" }), "parse_error"],
    ["HTTP 404", { kind: "http_error", status: 404 }, "not_found"],
    ["HTTP 410", { kind: "http_error", status: 410 }, "not_found"],
    ["HTTP 403", { kind: "http_error", status: 403 }, "blocked"],
    ["HTTP 503", { kind: "http_error", status: 503 }, "http_error"],
    ["HTTP 429 with Retry-After", { kind: "http_error", status: 429, retryAfterMs: 120_000 }, "http_error"],
    ["robots.txt", { kind: "robots_disallowed", reason: "robots.txt disallows /p/1" }, "robots_disallowed"],
    ["a network error", { kind: "network_error", message: "connect ECONNREFUSED" }, "network_error"],
    ["a timeout", { kind: "timeout" }, "network_error"],
    ["an oversized page", { kind: "too_large" }, "parse_error"],
    [
      "a forbidden address",
      { kind: "forbidden_address", message: "10.0.0.1 is a private address" },
      "forbidden_address",
    ],
  ])("records %s as %s, with no price and unknown availability", (_label, outcome, status) => {
    const observation = observationFrom(outcome);
    expect(observation.status).toBe(status);
    expect(observation.amount).toBeUndefined();
    expect(observation.currency).toBeUndefined();
    expect(observation.availability).toBe("unknown");
    expect(observation.detail).toBeTruthy();
    expect(isValid(observation)).toBe(true);
  });

  it("keeps the validators on a 304 so the previous price can be reused", () => {
    expect(
      observationFrom({ kind: "not_modified" }, { etag: '"v1"', lastModified: "Tue, 24 Nov 2026" }),
    ).toEqual({
      status: "not_modified",
      availability: "unknown",
      httpStatus: 304,
      etag: '"v1"',
      lastModified: "Tue, 24 Nov 2026",
    });
  });

  it("names the conflicting candidates in the detail", () => {
    expect(observationFrom(ok(conflictPage())).detail).toBe(
      "conflicting prices from json-ld: 399.90 BRL, 459.90 BRL",
    );
  });
});

describe("PriceObservation schema", () => {
  it("rejects an ok observation without a price and a failure with one", () => {
    expect(isValid({ status: "ok", availability: "in_stock" })).toBe(false);
    expect(isValid({ status: "blocked", amount: "0.00", currency: "BRL", availability: "unknown" })).toBe(
      false,
    );
    expect(isValid({ status: "network_error", availability: "out_of_stock" })).toBe(false);
  });
});

describe("sanitizeDetail", () => {
  it("flattens control characters and whitespace and caps the length at 200", () => {
    expect(sanitizeDetail("  a\n\tb\u0000c  ")).toBe("a b c");
    const long = sanitizeDetail("x".repeat(500));
    expect(long).toHaveLength(200);
    expect(long.endsWith("…")).toBe(true);
  });
});
