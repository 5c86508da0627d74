/**
 * The whole catalogue in an analysis (pure): the ranking by money at stake that chose the products
 * the team studies, the totals of the rest, and the spend the recommendations add up to per
 * supplier. Money is exact (decimal strings with their currency; totals per currency).
 */
import { Schema } from "effect";
import { formatFixed4, Money, normaliseAmount } from "../money/index.ts";
import type { Recommendation } from "./report.ts";

export const RankedProduct = Schema.Struct({
  productId: Schema.String,
  supplier: Schema.NullOr(Schema.String),
  stockoutRisk: Schema.NullOr(Schema.Number),
  expectedLostUnits: Schema.NullOr(Schema.Number),
  excessUnits: Schema.NullOr(Schema.Number),
  lostMargin: Schema.NullOr(Money),
  overstockCapital: Schema.NullOr(Money),
  moneyAtStake: Schema.NullOr(Money),
  /** What the money at stake could not include: "unit cost", "selling price". */
  unknown: Schema.Array(Schema.String),
});
export type RankedProduct = typeof RankedProduct.Type;

export const RestTotals = Schema.Struct({
  /** Products with advice outside the top N. */
  products: Schema.Number,
  /** Of those, products whose money at stake is unknown (no unit cost and no selling price). */
  unknownMoney: Schema.Number,
  lostMargin: Schema.Array(Money),
  overstockCapital: Schema.Array(Money),
  moneyAtStake: Schema.Array(Money),
});
export type RestTotals = typeof RestTotals.Type;

export const CatalogueScan = Schema.Struct({
  /** Every product of the catalogue. */
  products: Schema.Number,
  /** Products without advice yet (no sales history, model still training). */
  withoutAdvice: Schema.Number,
  /** The top N by money at stake, studied by the team. */
  ranked: Schema.Array(RankedProduct),
  rest: RestTotals,
});
export type CatalogueScan = typeof CatalogueScan.Type;

export const SupplierSpend = Schema.Struct({
  supplier: Schema.String,
  amount: Money,
  lines: Schema.Number,
});

export const Spend = Schema.Struct({
  bySupplier: Schema.Array(SupplierSpend),
  /** One total per currency. */
  total: Schema.Array(Money),
  /** Products to buy whose cost is unknown (no price source and no catalogue unit cost). */
  unpriced: Schema.Array(Schema.String),
});
export type Spend = typeof Spend.Type;

function units(amount: string): bigint {
  const [whole, fraction = ""] = normaliseAmount(amount).split(".");
  return BigInt(whole!) * 10_000n + BigInt(fraction.padEnd(4, "0"));
}

/** Sums amounts per currency, exactly; currencies in alphabetical order. */
export function totalsByCurrency(amounts: readonly Money[]): Money[] {
  const sums = new Map<string, bigint>();
  for (const { amount, currency } of amounts) sums.set(currency, (sums.get(currency) ?? 0n) + units(amount));
  return [...sums.entries()]
    .sort(([left], [right]) => left.localeCompare(right))
    .map(([currency, sum]) => ({ amount: formatFixed4(sum), currency }));
}

export const unknownSupplier = "unknown supplier";

/**
 * The spend of the buy-now recommendations per supplier (the catalogue's supplier of the product,
 * else the price source it is bought from) and currency, and the total per currency.
 */
export function spendBySupplier(
  recommendations: readonly Recommendation[],
  supplierOf: (productId: string) => string | null,
): Spend {
  const buys = recommendations.filter((recommendation) => recommendation.action === "buy_now");
  const groups = new Map<string, { supplier: string; costs: Money[] }>();
  const unpriced: string[] = [];
  for (const buy of buys) {
    if (buy.expectedCost === null) {
      unpriced.push(buy.productId);
      continue;
    }
    const supplier = supplierOf(buy.productId) ?? buy.source?.label ?? unknownSupplier;
    const key = `${supplier}\u0000${buy.expectedCost.currency}`;
    const group = groups.get(key) ?? { supplier, costs: [] };
    group.costs.push(buy.expectedCost);
    groups.set(key, group);
  }
  const bySupplier = [...groups.values()]
    .map(({ supplier, costs }) => ({ supplier, amount: totalsByCurrency(costs)[0]!, lines: costs.length }))
    .sort(
      (left, right) =>
        left.supplier.localeCompare(right.supplier) ||
        left.amount.currency.localeCompare(right.amount.currency),
    );
  return {
    bySupplier,
    total: totalsByCurrency(bySupplier.map((entry) => entry.amount)),
    unpriced,
  };
}

const moneyText = (money: Money | null) => (money === null ? "unknown" : `${money.amount} ${money.currency}`);
const listText = (amounts: readonly Money[]) =>
  amounts.length === 0 ? "0" : amounts.map((money) => `${money.amount} ${money.currency}`).join(" + ");

/** The Monitor's view of the catalogue: what was ranked out and what the rest adds up to. */
export function catalogueBrief(scan: CatalogueScan): string {
  const { rest } = scan;
  return [
    `The catalogue has ${scan.products} products; ${scan.withoutAdvice} have no advice yet.`,
    `You see the top ${scan.ranked.length} by money at stake (expected lost margin from stock-outs + capital tied in overstock).`,
    `The other ${rest.products} products add up to: money at stake ${listText(rest.moneyAtStake)} ` +
      `(lost margin ${listText(rest.lostMargin)}, overstock capital ${listText(rest.overstockCapital)}); ` +
      `${rest.unknownMoney} of them have no known unit cost or selling price.`,
    "Money at stake of the products you see (one JSON object per line):",
    ...scan.ranked.map((entry) =>
      JSON.stringify({
        productId: entry.productId,
        moneyAtStake: moneyText(entry.moneyAtStake),
        lostMargin: moneyText(entry.lostMargin),
        overstockCapital: moneyText(entry.overstockCapital),
        unknown: entry.unknown,
      }),
    ),
  ].join("\n");
}

function escape(text: string): string {
  return text.replace(/\s+/g, " ").replace(/([\\|*_`[\]<>#])/g, "\\$1");
}

/** Markdown sections: the catalogue ranking and the spend per supplier. */
export function catalogueMarkdown(scan: CatalogueScan | undefined, spend: Spend | undefined): string[] {
  const lines: string[] = [];
  if (scan !== undefined) {
    lines.push(
      "## The whole catalogue",
      "",
      `${scan.products} products; ${scan.withoutAdvice} without advice yet. The team studied the top ` +
        `${scan.ranked.length} by money at stake (expected lost margin from stock-outs + capital tied in overstock).`,
      "",
      "| Product | Money at stake | Lost margin | Overstock capital | Stock-out risk | Unknown |",
      "| --- | ---: | ---: | ---: | ---: | --- |",
      ...scan.ranked.map(
        (entry) =>
          `| ${escape(entry.productId)} | ${moneyText(entry.moneyAtStake)} | ${moneyText(entry.lostMargin)} | ` +
          `${moneyText(entry.overstockCapital)} | ${entry.stockoutRisk === null ? "—" : `${(entry.stockoutRisk * 100).toFixed(1)}%`} | ` +
          `${entry.unknown.length === 0 ? "—" : entry.unknown.join(", ")} |`,
      ),
      "",
      `The other ${scan.rest.products} products: money at stake ${listText(scan.rest.moneyAtStake)} ` +
        `(lost margin ${listText(scan.rest.lostMargin)}, overstock capital ${listText(scan.rest.overstockCapital)}); ` +
        `${scan.rest.unknownMoney} with unknown unit cost and selling price.`,
      "",
    );
  }
  if (spend !== undefined) {
    lines.push("## Spend per supplier", "");
    if (spend.bySupplier.length === 0) lines.push("Nothing priced to buy.", "");
    else
      lines.push(
        "| Supplier | Lines | Amount |",
        "| --- | ---: | ---: |",
        ...spend.bySupplier.map(
          (entry) =>
            `| ${escape(entry.supplier)} | ${entry.lines} | ${entry.amount.amount} ${entry.amount.currency} |`,
        ),
        `| **Total** | | ${listText(spend.total)} |`,
        "",
      );
    if (spend.unpriced.length > 0)
      lines.push(
        `Cost unknown (no price source and no catalogue unit cost) for: ${spend.unpriced.map(escape).join(", ")}. ` +
          "Import unit_cost with `procure catalog` or add a price source.",
        "",
      );
  }
  return lines;
}
