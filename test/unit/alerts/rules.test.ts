import { describe, expect, it } from "vitest";
import { Either, Schema } from "effect";
import {
  AlertRuleInput,
  ruleThreshold,
  episodeTransitions,
  evaluateRules,
  type AlertRule,
  type ProductFacts,
} from "../../../shared/alerts/rules.ts";

const facts: ProductFacts = {
  productId: "P1",
  currency: "BRL",
  bestPrice: { amount: "89.90", currency: "BRL", label: "Shop" },
  medianPrice30d: "100.00",
  sources: [
    { sourceId: 1, label: "Shop", availability: "in_stock" },
    { sourceId: 2, label: "Other", availability: "out_of_stock" },
    { sourceId: 3, label: "Failing", availability: null },
  ],
  stockoutRisk: 0.3,
  daysOfCover: 5,
  leadTimeDays: 7,
  trackingSignal: -4.5,
};
const defaults = { driftTrackingSignal: 4 };
const rule = (id: number, kind: AlertRule["kind"], threshold: string | null = null): AlertRule => ({
  id,
  productId: null,
  kind,
  threshold,
});
const stateOf = (rules: AlertRule[], given: ProductFacts = facts) =>
  evaluateRules(rules, given, defaults).map((condition) => `${condition.subject}:${condition.state}`);

describe("alert conditions", () => {
  it("compares the best price with a target exactly, at or below", () => {
    expect(stateOf([rule(1, "price_at_or_below", "89.90")])).toEqual(["product:active"]);
    expect(stateOf([rule(1, "price_at_or_below", "89.8999")])).toEqual(["product:clear"]);
    expect(stateOf([rule(1, "price_at_or_below", "90")], { ...facts, bestPrice: null })).toEqual([
      "product:unknown",
    ]);
  });

  it("raises a price drop at X% or more below the 30-day median", () => {
    expect(stateOf([rule(1, "price_drop", "10.1")])).toEqual(["product:active"]);
    expect(stateOf([rule(1, "price_drop", "10.2")])).toEqual(["product:clear"]);
    expect(stateOf([rule(1, "price_drop", "5")], { ...facts, medianPrice30d: null })).toEqual([
      "product:unknown",
    ]);
  });

  it("judges each source's stock on its own, and a failed scrape as unknown", () => {
    const conditions = evaluateRules([rule(1, "source_out_of_stock")], facts, defaults);
    expect(conditions.map((condition) => `${condition.subject}:${condition.state}`)).toEqual([
      "source:1:clear",
      "source:2:active",
      "source:3:unknown",
    ]);
    expect(conditions[0]!.message).toContain("back in stock");
  });

  it("raises stock-out risk above its threshold, cover under the lead time and drift past the limit", () => {
    expect(stateOf([rule(1, "stockout_risk", "0.25"), rule(2, "stockout_risk", "0.3")])).toEqual([
      "product:active",
      "product:clear",
    ]);
    expect(stateOf([rule(1, "cover_below_lead_time")])).toEqual(["product:active"]);
    expect(stateOf([rule(1, "cover_below_lead_time")], { ...facts, daysOfCover: null })).toEqual([
      "product:unknown",
    ]);
    expect(stateOf([rule(1, "drift"), rule(2, "drift", "5")])).toEqual(["product:active", "product:clear"]);
    expect(stateOf([rule(1, "drift")], { ...facts, trackingSignal: null })).toEqual(["product:clear"]);
  });
});

describe("alert episodes", () => {
  const rules = [rule(1, "price_at_or_below", "90"), rule(2, "source_out_of_stock")];

  it("raises once when a condition becomes true and resolves when it becomes false", () => {
    const first = episodeTransitions([], evaluateRules(rules, facts, defaults));
    expect(first.raise.map((condition) => `${condition.ruleId}/${condition.subject}`)).toEqual([
      "1/product",
      "2/source:2",
    ]);
    const open = [
      { alertId: "a", ruleId: 1, subject: "product" },
      { alertId: "b", ruleId: 2, subject: "source:2" },
    ];
    expect(episodeTransitions(open, evaluateRules(rules, facts, defaults))).toEqual({
      raise: [],
      resolve: [],
    });

    const restocked = {
      ...facts,
      sources: facts.sources.map((source) => ({ ...source, availability: "in_stock" as const })),
    };
    const later = episodeTransitions(open, evaluateRules(rules, restocked, defaults));
    expect(later.raise).toEqual([]);
    expect(later.resolve.map(({ episode, condition }) => [episode.alertId, condition?.state])).toEqual([
      ["b", "clear"],
    ]);
  });

  it("keeps an episode open while its condition is unknown, and closes it silently when its rule is gone", () => {
    const unknown = { ...facts, bestPrice: null };
    const open = [{ alertId: "a", ruleId: 1, subject: "product" }];
    expect(episodeTransitions(open, evaluateRules(rules, unknown, defaults)).resolve).toEqual([]);
    expect(episodeTransitions(open, []).resolve).toEqual([{ episode: open[0], condition: null }]);
  });
});

describe("alert rule input", () => {
  const decode = Schema.decodeUnknownEither(AlertRuleInput);

  it("stores each kind's threshold as a decimal string, and none for the kinds without one", () => {
    const decoded = (input: unknown) => Either.getOrThrow(decode(input));
    expect(ruleThreshold(decoded({ kind: "price_at_or_below", target: "89.90", productId: "P1" }))).toBe(
      "89.90",
    );
    expect(ruleThreshold(decoded({ kind: "price_drop", percent: 12.5 }))).toBe("12.5000");
    expect(ruleThreshold(decoded({ kind: "stockout_risk", probability: 0.2 }))).toBe("0.2000");
    expect(ruleThreshold(decoded({ kind: "drift" }))).toBeNull();
    expect(ruleThreshold(decoded({ kind: "cover_below_lead_time" }))).toBeNull();
  });

  it("rejects a missing or out-of-range threshold and an unknown kind", () => {
    for (const input of [
      { kind: "price_at_or_below" },
      { kind: "price_at_or_below", target: "-1" },
      { kind: "price_drop", percent: 150 },
      { kind: "stockout_risk", probability: 1 },
      { kind: "sunny_day" },
      { kind: "drift", productId: "not a valid id!" },
    ]) {
      expect(Either.isLeft(decode(input)), JSON.stringify(input)).toBe(true);
    }
  });
});
