import { describe, expect, it } from "vitest";
import { bestQuote, type SourceObservation } from "../../../shared/catalog/best-price.ts";

const now = Date.parse("2026-01-10T12:00:00Z");

function observation(
  overrides: Partial<SourceObservation> & Pick<SourceObservation, "sourceId">,
): SourceObservation {
  return {
    label: `shop ${overrides.sourceId}`,
    active: true,
    status: "ok",
    amount: "100.00",
    currency: "BRL",
    availability: "in_stock",
    collectedAt: "2026-01-10T06:00:00.000Z",
    ...overrides,
  };
}

describe("bestQuote", () => {
  it("picks the lowest amount exactly, not by float", () => {
    const best = bestQuote(
      [observation({ sourceId: 1, amount: "1299.9000" }), observation({ sourceId: 2, amount: "1299.8999" })],
      "BRL",
      now,
    );
    expect(best).toMatchObject({ sourceId: 2, amount: "1299.8999", ageHours: 6 });
  });

  it("ignores failed, out-of-stock and inactive sources", () => {
    const best = bestQuote(
      [
        observation({ sourceId: 1, amount: "5.00", status: "blocked", currency: null }),
        observation({ sourceId: 2, amount: "6.00", availability: "out_of_stock" }),
        observation({ sourceId: 3, amount: "7.00", active: false }),
        observation({ sourceId: 4, amount: "9.00", availability: "unknown" }),
        observation({ sourceId: 5, amount: "8.00", status: "not_modified" }),
      ],
      "BRL",
      now,
    );
    expect(best?.sourceId).toBe(5);
  });

  it("prefers the product's currency and never compares amounts across currencies", () => {
    const sources = [
      observation({ sourceId: 1, amount: "1.00", currency: "USD" }),
      observation({ sourceId: 2, amount: "50.00" }),
    ];
    expect(bestQuote(sources, "BRL", now)?.sourceId).toBe(2);
    const foreign = [
      observation({ sourceId: 1, amount: "9.00", currency: "USD" }),
      observation({ sourceId: 2, amount: "1.00", currency: "EUR" }),
      observation({ sourceId: 3, amount: "3.00", currency: "USD" }),
    ];
    expect(bestQuote(foreign, "BRL", now)).toMatchObject({ sourceId: 3, currency: "USD" });
  });

  it("answers null when no source has a usable price", () => {
    expect(
      bestQuote(
        [observation({ sourceId: 1, status: "parse_error", amount: null, currency: null })],
        "BRL",
        now,
      ),
    ).toBeNull();
    expect(bestQuote([], "BRL", now)).toBeNull();
  });
});
