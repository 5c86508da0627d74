import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AnalysisWorkflow } from "../../services/analysis/index.ts";
import type { UploadResult } from "../../services/ingestion.ts";
import { connectDatabase, type Database } from "../../shared/db/connection.ts";
import {
  eventually,
  ingress,
  plainSalesCsv,
  uniqueId,
  uploadCsv,
  waitForRetrains,
} from "../support/clients.ts";
import { provisionDatabase, startStack, type Stack, type TestDatabase } from "../support/stack.ts";

describe("analysis of the whole catalogue (own stack: the ranking covers every product)", () => {
  let database: TestDatabase;
  let stack: Stack;
  let db: Database;
  const prefix = uniqueId("rank");
  const ids = {
    /** Out of stock, bought at 5.00 and sold at 19.90: a large lost margin. */
    thinStock: `${prefix}-thin`,
    /** Out of stock, bought at 19.00 and sold at 19.90: a small lost margin. */
    lowMargin: `${prefix}-lowmargin`,
    /** 5,000 in stock at 10.00 each: a large capital tied in overstock. */
    overstocked: `${prefix}-over`,
    /** Out of stock, no unit cost and no price source: its money at stake is unknown. */
    unpriced: `${prefix}-unpriced`,
    /** No sales at all: no advice. */
    unsold: `${prefix}-unsold`,
  };

  beforeAll(async () => {
    database = await provisionDatabase();
    stack = await startStack({ database });
    db = connectDatabase(stack.databaseUrl, { maxConnections: 1 });
    const sold = [ids.thinStock, ids.lowMargin, ids.overstocked, ids.unpriced];
    const response = await uploadCsv(plainSalesCsv(sold, 60), stack.ingressUrl);
    expect(response.status, response.body).toBe(200);
    await waitForRetrains((JSON.parse(response.body) as UploadResult).uploadId, stack.ingressUrl);
    const catalogue = await fetch(new URL("/catalog/import", stack.ingressUrl), {
      method: "POST",
      headers: { "content-type": "text/csv" },
      body: [
        "sku,stock,unit_cost,supplier",
        `${ids.thinStock},0,5.00,Acme`,
        `${ids.lowMargin},0,19.00,Acme`,
        `${ids.overstocked},5000,10.00,Bulk Ltd`,
        `${ids.unpriced},0,,`,
        `${ids.unsold},3,2.50,Acme`,
      ].join("\n"),
    });
    expect(catalogue.status, await catalogue.text()).toBe(200);
    await eventually("snapshots of the imported stock", async () => {
      const [row] = await db<{ count: number }[]>`
        select count(*)::int as count from advice_snapshots
        where product_id = ${ids.overstocked} and stock = 5000
           or product_id = ${ids.thinStock} and unit_cost is not null
           or product_id = ${ids.lowMargin} and unit_cost is not null
           or product_id = ${ids.unsold}`;
      return row?.count === 4 ? true : undefined;
    });
  }, 120_000);

  afterAll(async () => {
    await db?.end();
    await stack?.stop();
    await database?.drop();
  });

  it("ranks every product by money at stake, studies the top N and totals the rest", async () => {
    const client = ingress(stack.ingressUrl).workflowClient<AnalysisWorkflow>(
      { name: "analysis" },
      `${prefix}-a`,
    );
    await client.workflowSubmit({ top: 2 });
    const { report, markdown } = await client.workflowAttach();
    const catalogue = report.catalogue!;
    expect(catalogue.products).toBe(5);
    expect(catalogue.withoutAdvice).toBe(1);
    expect(catalogue.ranked.map((entry) => entry.productId)).toEqual([ids.overstocked, ids.thinStock]);
    expect(report.scanned).toEqual([ids.overstocked, ids.thinStock]);

    const [over, thin] = catalogue.ranked;
    // Overstock: (5000 − order-up-to level) units × 10.00, exactly.
    expect(over!.excessUnits).toBeGreaterThan(4900);
    expect(over!.overstockCapital).toEqual({ amount: `${over!.excessUnits! * 10}.00`, currency: "USD" });
    // Lost margin: expected lost units × (19.90 − 5.00).
    expect(thin!.expectedLostUnits).toBeGreaterThan(5);
    expect(Number(thin!.lostMargin!.amount)).toBeCloseTo(thin!.expectedLostUnits! * 14.9, 1);
    expect(thin!.moneyAtStake).toEqual(thin!.lostMargin);

    // The rest: the low-margin product (priced) and the unpriced one (unknown).
    expect(catalogue.rest.products).toBe(2);
    expect(catalogue.rest.unknownMoney).toBe(1);
    const [lowMargin] = await db<{ moneyAtStake: string }[]>`
      select money_at_stake::text as money_at_stake from advice_snapshots where product_id = ${ids.lowMargin}`;
    expect(catalogue.rest.moneyAtStake).toEqual([
      { amount: Number(lowMargin!.moneyAtStake).toFixed(2), currency: "USD" },
    ]);
    expect(Number(lowMargin!.moneyAtStake)).toBeLessThan(Number(thin!.moneyAtStake!.amount));

    // The thin-stock product is bought from its catalogue supplier at its unit cost.
    const buy = report.recommendations.find((recommendation) => recommendation.productId === ids.thinStock);
    expect(buy).toMatchObject({ action: "buy_now", unitPrice: { amount: "5.00", currency: "USD" } });
    expect(report.recommendations.find((entry) => entry.productId === ids.overstocked)?.action).toBe(
      "reduce",
    );
    expect(report.spend).toEqual({
      bySupplier: [{ supplier: "Acme", amount: buy!.expectedCost!, lines: 1 }],
      total: [buy!.expectedCost!],
      unpriced: [],
    });
    expect(markdown).toContain("## The whole catalogue");
    expect(markdown).toContain(`| Acme | 1 | ${buy!.expectedCost!.amount} USD |`);
  });

  it("says what is unknown instead of pricing a purchase at nothing", async () => {
    const client = ingress(stack.ingressUrl).workflowClient<AnalysisWorkflow>(
      { name: "analysis" },
      `${prefix}-b`,
    );
    await client.workflowSubmit({ products: [ids.unpriced] });
    const { report, markdown } = await client.workflowAttach();
    const [recommendation] = report.recommendations;
    expect(recommendation).toMatchObject({ productId: ids.unpriced, action: "buy_now", expectedCost: null });
    expect(recommendation!.reasons.map((reason) => reason.text)).toContain(
      "cost unknown: the product has no price source and no catalogue unit cost (import unit_cost with procure catalog, or add a price source)",
    );
    expect(report.spend).toEqual({ bySupplier: [], total: [], unpriced: [ids.unpriced] });
    expect(markdown).toContain(
      `Cost unknown (no price source and no catalogue unit cost) for: ${ids.unpriced}`,
    );
  });
});
