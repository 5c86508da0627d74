import { describe, expect, it } from "vitest";
import { backoffDelayMs, parseRetryAfter } from "../../../shared/scrape/backoff.ts";

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-11-25T12:00:00Z");

  it("reads delay seconds", () => {
    expect(parseRetryAfter("120", now)).toBe(120_000);
    expect(parseRetryAfter(" 0 ", now)).toBe(0);
  });

  it("reads an HTTP date relative to now, never negative", () => {
    expect(parseRetryAfter("Wed, 25 Nov 2026 12:00:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfter("Wed, 25 Nov 2026 11:00:00 GMT", now)).toBe(0);
  });

  it("ignores a missing or unreadable header", () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter("-5", now)).toBeUndefined();
  });
});

describe("backoffDelayMs", () => {
  it("draws uniformly below base·2^attempt (full jitter)", () => {
    expect(backoffDelayMs(0, 500, 30_000, () => 0.5)).toBe(250);
    expect(backoffDelayMs(3, 500, 30_000, () => 0.5)).toBe(2_000);
    expect(backoffDelayMs(3, 500, 30_000, () => 0)).toBe(0);
  });

  it("never exceeds the cap", () => {
    expect(backoffDelayMs(20, 500, 30_000, () => 0.999999)).toBeLessThan(30_000);
  });
});
