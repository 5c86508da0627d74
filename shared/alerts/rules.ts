/**
 * Alert rules and their episodes, pure. A rule (for one product, or for every product) is turned
 * into conditions over a product's facts — each condition is active, clear or unknown (no data:
 * a failed scrape never clears nor raises anything) for one subject (the product, or one of its
 * sources). An episode opens when a condition becomes active and closes when it becomes clear, so
 * an alert is raised once per episode however often the data is re-evaluated.
 */
import { Schema } from "effect";
import { ProductId } from "../ids/index.ts";
import { DecimalAmount, parseFixed4 } from "../money/index.ts";

export const alertKinds = [
  "price_at_or_below",
  "price_drop",
  "source_out_of_stock",
  "stockout_risk",
  "cover_below_lead_time",
  "drift",
] as const;
export type AlertKind = (typeof alertKinds)[number];

const Scope = { productId: Schema.optionalWith(ProductId, { exact: true }) };
const Percent = Schema.Number.pipe(
  Schema.greaterThan(0, { message: () => "percent must be above 0" }),
  Schema.lessThan(100, { message: () => "percent must be below 100" }),
);

/** A new rule, as the CLI and API send it: each kind with its own threshold. */
export const AlertRuleInput = Schema.Union(
  Schema.Struct({ ...Scope, kind: Schema.Literal("price_at_or_below"), target: DecimalAmount }),
  Schema.Struct({ ...Scope, kind: Schema.Literal("price_drop"), percent: Percent }),
  Schema.Struct({ ...Scope, kind: Schema.Literal("source_out_of_stock") }),
  Schema.Struct({
    ...Scope,
    kind: Schema.Literal("stockout_risk"),
    probability: Schema.Number.pipe(Schema.greaterThan(0), Schema.lessThan(1)),
  }),
  Schema.Struct({ ...Scope, kind: Schema.Literal("cover_below_lead_time") }),
  Schema.Struct({
    ...Scope,
    kind: Schema.Literal("drift"),
    trackingSignal: Schema.optionalWith(Schema.Number.pipe(Schema.greaterThan(0), Schema.lessThan(1000)), {
      exact: true,
    }),
  }),
);
export type AlertRuleInput = typeof AlertRuleInput.Type;

/** The rule's one threshold as stored (a decimal string), or null. */
export function ruleThreshold(input: AlertRuleInput): string | null {
  switch (input.kind) {
    case "price_at_or_below":
      return input.target;
    case "price_drop":
      return input.percent.toFixed(4);
    case "stockout_risk":
      return input.probability.toFixed(4);
    case "drift":
      return input.trackingSignal === undefined ? null : input.trackingSignal.toFixed(4);
    default:
      return null;
  }
}

export interface AlertRule {
  readonly id: number;
  /** null: every product. */
  readonly productId: string | null;
  readonly kind: AlertKind;
  readonly threshold: string | null;
}

export const AlertEvent = Schema.Literal("raised", "resolved");
export type AlertEvent = typeof AlertEvent.Type;

/** What a product's alerts are evaluated on (null: not known, e.g. no model or no successful scrape). */
export interface ProductFacts {
  readonly productId: string;
  readonly currency: string;
  readonly bestPrice: {
    readonly amount: string;
    readonly currency: string;
    readonly label: string;
  } | null;
  /** Median of the product's in-stock prices (in the best price's currency) over the last 30 days. */
  readonly medianPrice30d: string | null;
  /** Each active source's latest successful observation's availability (null: none yet). */
  readonly sources: readonly {
    readonly sourceId: number;
    readonly label: string;
    readonly availability: "in_stock" | "out_of_stock" | "unknown" | null;
  }[];
  readonly stockoutRisk: number | null;
  readonly daysOfCover: number | null;
  readonly leadTimeDays: number;
  /** The serving model's tracking signal over its scored periods (null: not scored yet). */
  readonly trackingSignal: number | null;
}

export interface Condition {
  readonly ruleId: number;
  readonly kind: AlertKind;
  /** "product", or "source:<id>" for a per-source condition. */
  readonly subject: string;
  readonly state: "active" | "clear" | "unknown";
  readonly message: string;
  readonly details: Readonly<Record<string, string | number | null>>;
}

export interface AlertDefaults {
  /** Tracking signal (in mean absolute errors) past which a model has drifted. */
  readonly driftTrackingSignal: number;
}

type Verdict = "active" | "clear" | "unknown";
const verdict = (known: boolean, active: boolean): Verdict =>
  !known ? "unknown" : active ? "active" : "clear";
const round = (value: number, digits: number) => Number(value.toFixed(digits));

/** The condition's message in its state: what is true now, or what is true again. */
const say = (state: Verdict, active: string, clear: string) => (state === "clear" ? clear : active);

function productCondition(
  rule: AlertRule,
  facts: ProductFacts,
  defaults: AlertDefaults,
): Omit<Condition, "ruleId" | "kind" | "subject"> {
  const id = facts.productId;
  const threshold = rule.threshold === null ? null : Number(rule.threshold);
  const best = facts.bestPrice;
  const price = best ? `${best.amount} ${best.currency} at ${best.label}` : "unknown";
  switch (rule.kind) {
    case "price_at_or_below": {
      const target = parseFixed4(rule.threshold ?? "");
      const amount = best && best.currency === facts.currency ? parseFixed4(best.amount) : undefined;
      const state = verdict(target !== undefined && amount !== undefined, (amount ?? 0n) <= (target ?? 0n));
      return {
        state,
        message: `${id}: best price ${price} is ${say(state, "at or below", "above")} the target ${rule.threshold} ${facts.currency}`,
        details: {
          bestPrice: best?.amount ?? null,
          currency: best?.currency ?? null,
          target: rule.threshold,
        },
      };
    }
    case "price_drop": {
      const amount = best ? parseFixed4(best.amount) : undefined;
      const median = facts.medianPrice30d === null ? undefined : parseFixed4(facts.medianPrice30d);
      const keptPart = BigInt(Math.round((100 - (threshold ?? 0)) * 10_000));
      const known = amount !== undefined && median !== undefined && threshold !== null;
      const state = verdict(known, (amount ?? 0n) * 1_000_000n <= (median ?? 0n) * keptPart);
      return {
        state,
        message: `${id}: best price ${price} is ${say(state, "down", "no longer down")} ${threshold}% or more from its 30-day median ${facts.medianPrice30d ?? "?"}`,
        details: {
          bestPrice: best?.amount ?? null,
          currency: best?.currency ?? null,
          median30d: facts.medianPrice30d,
          percent: threshold,
        },
      };
    }
    case "stockout_risk": {
      const risk = facts.stockoutRisk;
      const state = verdict(risk !== null && threshold !== null, (risk ?? 0) > (threshold ?? 1));
      return {
        state,
        message: `${id}: stock-out risk over the lead time is ${round(100 * (risk ?? 0), 1)}%, ${say(state, "above", "back under")} ${round(100 * (threshold ?? 0), 1)}%`,
        details: { stockoutRisk: risk, threshold },
      };
    }
    case "cover_below_lead_time": {
      const state = verdict(facts.daysOfCover !== null, (facts.daysOfCover ?? 0) < facts.leadTimeDays);
      return {
        state,
        message: `${id}: ${facts.daysOfCover ?? "?"} days of cover, ${say(state, "under", "no longer under")} the ${facts.leadTimeDays}-day lead time`,
        details: { daysOfCover: facts.daysOfCover, leadTimeDays: facts.leadTimeDays },
      };
    }
    case "drift": {
      const limit = threshold ?? defaults.driftTrackingSignal;
      const signal = facts.trackingSignal;
      const state: Verdict = signal !== null && Math.abs(signal) >= limit ? "active" : "clear";
      return {
        state,
        message:
          signal === null
            ? `${id}: the serving model has not been held to account on new sales yet`
            : `${id}: ${say(state, "forecast drift", "no forecast drift")}, tracking signal ${round(signal, 2)} (limit ±${limit}): demand runs ${signal > 0 ? "above" : "below"} the forecast`,
        details: { trackingSignal: signal === null ? null : round(signal, 4), limit },
      };
    }
    case "source_out_of_stock":
      throw new RangeError("source_out_of_stock is evaluated per source");
  }
}

/** Every condition of the given rules on one product's facts. */
export function evaluateRules(
  rules: readonly AlertRule[],
  facts: ProductFacts,
  defaults: AlertDefaults,
): Condition[] {
  return rules.flatMap((rule): Condition[] => {
    if (rule.kind !== "source_out_of_stock") {
      return [
        { ruleId: rule.id, kind: rule.kind, subject: "product", ...productCondition(rule, facts, defaults) },
      ];
    }
    return facts.sources.map((source) => ({
      ruleId: rule.id,
      kind: rule.kind,
      subject: `source:${source.sourceId}`,
      state:
        source.availability === "out_of_stock"
          ? "active"
          : source.availability === "in_stock"
            ? "clear"
            : "unknown",
      message: `${facts.productId}: ${source.label} is ${source.availability === "in_stock" ? "back in stock" : "out of stock"}`,
      details: { sourceId: source.sourceId, label: source.label, availability: source.availability },
    }));
  });
}

export interface OpenEpisode {
  readonly alertId: string;
  readonly ruleId: number;
  readonly subject: string;
}

export interface Transitions {
  /** Conditions that became active: each opens an episode (an alert is raised). */
  readonly raise: readonly Condition[];
  /**
   * Open episodes to close: with the clear condition (the alert is resolved), or without one
   * when its rule or subject is gone (closed silently).
   */
  readonly resolve: readonly { readonly episode: OpenEpisode; readonly condition: Condition | null }[];
}

const episodeKey = (ruleId: number, subject: string) => `${ruleId}\u0001${subject}`;

export function episodeTransitions(
  open: readonly OpenEpisode[],
  conditions: readonly Condition[],
): Transitions {
  const current = new Map(
    conditions.map((condition) => [episodeKey(condition.ruleId, condition.subject), condition]),
  );
  const opened = new Set(open.map((episode) => episodeKey(episode.ruleId, episode.subject)));
  return {
    raise: conditions.filter(
      (condition) =>
        condition.state === "active" && !opened.has(episodeKey(condition.ruleId, condition.subject)),
    ),
    resolve: open.flatMap((episode): Transitions["resolve"] => {
      const condition = current.get(episodeKey(episode.ruleId, episode.subject));
      if (condition === undefined) return [{ episode, condition: null }];
      return condition.state === "clear" ? [{ episode, condition }] : [];
    }),
  };
}

/** The rule kinds that need the forecast model's advice (stock-out risk, cover). */
export const adviceKinds: readonly AlertKind[] = ["stockout_risk", "cover_below_lead_time"];
/** The rule kinds that need current prices. */
export const priceKinds: readonly AlertKind[] = ["price_at_or_below", "price_drop", "source_out_of_stock"];
