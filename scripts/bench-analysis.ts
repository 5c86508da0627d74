/**
 * Benchmark of the whole-catalogue analysis on the real stack: the Superstore sales (1,862 products,
 * each with a model and an advice snapshot, unit costs from the file) analysed end to end, then the
 * catalogue grown to 50,000 products and analysed again; plus the dashboard's product list at that
 * size. Prints figures.
 *
 * The 48,138 added products get advice snapshots written directly (training 48,138 models would
 * take the benchmark many minutes and measure retraining, not the analysis), with money at stake
 * below the real products' top 50, so the team studies real products with models while the ranking
 * read and the totals cover all 50,000 rows.
 *
 *   npm run bench:analysis
 */
import "../shared/runtime/polyfill.ts";
import { connectDatabase, type Database } from "../shared/db/connection.ts";
import { rankByMoneyAtStake } from "../shared/db/snapshots.ts";
import { startOwnStack, type Stack } from "../test/support/stack.ts";
import { readSuperstoreCsv } from "./superstore.ts";

const targetProducts = 50_000;

async function call(stack: Stack, path: string, body: string | object, contentType = "application/json") {
  const response = await fetch(new URL(path, stack.ingressUrl), {
    method: "POST",
    headers: { "content-type": contentType },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${path}: ${response.status} ${text.slice(0, 500)}`);
  return JSON.parse(text) as Record<string, unknown>;
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 600_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function count(db: Database, table: "products" | "advice_snapshots"): Promise<number> {
  const [row] = await db<{ count: number }[]>`select count(*)::int as count from ${db(table)}`;
  return row?.count ?? 0;
}

async function analyse(stack: Stack, id: string): Promise<{ seconds: number; summary: string }> {
  const started = performance.now();
  await call(stack, `/analysis/${id}/run/send`, {});
  const response = await fetch(new URL(`/restate/workflow/analysis/${id}/attach`, stack.ingressUrl));
  const result = (await response.json()) as {
    report: {
      scanned: string[];
      flagged: unknown[];
      recommendations: unknown[];
      unassessed: unknown[];
      catalogue: { products: number; rest: { products: number } };
      spend: { total: { amount: string; currency: string }[] };
    };
  };
  const seconds = (performance.now() - started) / 1000;
  const { report } = result;
  return {
    seconds,
    summary:
      `${report.catalogue.products} products ranked, top ${report.scanned.length} studied (${report.flagged.length} flagged, ` +
      `${report.recommendations.length} recommendations, ${report.unassessed.length} unassessed), ` +
      `${report.catalogue.rest.products} totalled; spend ${report.spend.total.map((money) => `${money.amount} ${money.currency}`).join(" + ") || "0"}`,
  };
}

/** Products and snapshots for the rest of the 50,000, staked below the real top 50. */
async function growCatalogue(db: Database, products: number): Promise<void> {
  const scan = await rankByMoneyAtStake(db, 50);
  const floor = scan.ranked.at(-1)?.moneyAtStake?.amount ?? "0";
  await db.begin(async (tx) => {
    await tx`
      insert into products (id, sku, name, stock, unit_cost)
      select 'SYN-' || n, 'SYN-' || n, 'Synthetic product ' || n, n % 40, 1 + (n % 97)
      from generate_series(1, ${products}) as n`;
    await tx`
      insert into advice_snapshots (product_id, computed_at, status, stock, stockout_risk, days_of_cover,
        order_quantity, currency, unit_cost, unit_cost_source, selling_price, order_cost, expected_lost_units,
        lost_margin, excess_units, overstock_capital, money_at_stake, unknown)
      select 'SYN-' || n, now(), case when n % 40 = 0 then 'out_of_stock' when n % 3 = 0 then 'reorder' else 'ok' end,
        n % 40, (n % 101) / 100.0, n % 60, n % 25, 'USD', 1 + (n % 97), 'catalogue unit cost', 2 + (n % 97),
        (n % 25) * (1 + (n % 97)), (n % 7) / 3.0, 0, n % 13, 0,
        round(${floor}::numeric * (n % 1000) / 1000.0, 4),
        case when n % 17 = 0 then array['selling price'] else '{}'::text[] end
      from generate_series(1, ${products}) as n`;
    await tx`
      insert into product_classes (product_id, abc, sales_value, window_end)
      select 'SYN-' || n, case when n % 10 = 0 then 'A' when n % 4 = 0 then 'B' else 'C' end, n % 500, current_date
      from generate_series(1, ${products}) as n`;
  });
  await db`analyze`;
}

async function listTimings(stack: Stack): Promise<string[]> {
  const queries = [
    "",
    "sort=risk",
    "sort=stake",
    "sort=abc&abc=A",
    "status=reorder&sort=risk",
    "search=Bookcase",
  ];
  const lines: string[] = [];
  for (const query of queries) {
    const times: number[] = [];
    for (let round = 0; round < 11; round++) {
      const started = performance.now();
      const response = await fetch(new URL(`/api/products?limit=25&${query}`, stack.dashboardUrl));
      await response.text();
      if (!response.ok) throw new Error(`/api/products?${query}: ${response.status}`);
      times.push(performance.now() - started);
    }
    times.sort((left, right) => left - right);
    lines.push(
      `  /api/products?limit=25${query ? `&${query}` : ""}: median ${times[5]!.toFixed(0)} ms, max ${times.at(-1)!.toFixed(0)} ms`,
    );
  }
  return lines;
}

async function main(): Promise<void> {
  const superstore = readSuperstoreCsv();
  const stack = await startOwnStack({ env: { RETRAIN_DEBOUNCE_SECONDS: "1" } });
  const db = connectDatabase(stack.databaseUrl, { maxConnections: 2 });
  try {
    console.log(`database: ${stack.database.kind}`);
    const started = performance.now();
    await call(stack, "/ingestion/upload", superstore, "text/csv");
    const products = await count(db, "products");
    await until(
      "every Superstore product's advice snapshot",
      async () => (await count(db, "advice_snapshots")) >= products,
    );
    console.log(
      `superstore: ${products} products uploaded, modelled and snapshotted in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    const small = await analyse(stack, "bench-superstore");
    console.log(`analysis of ${products} products: ${small.seconds.toFixed(2)} s — ${small.summary}`);

    const added = targetProducts - products;
    const growStarted = performance.now();
    await growCatalogue(db, added);
    console.log(
      `added ${added} products with snapshots in ${((performance.now() - growStarted) / 1000).toFixed(1)} s`,
    );
    const rankStarted = performance.now();
    await rankByMoneyAtStake(db, 50);
    console.log(
      `ranking read over ${await count(db, "products")} products: ${(performance.now() - rankStarted).toFixed(0)} ms`,
    );
    const large = await analyse(stack, "bench-50k");
    console.log(`analysis of ${targetProducts} products: ${large.seconds.toFixed(2)} s — ${large.summary}`);
    console.log(`dashboard product list at ${targetProducts} products (11 calls each):`);
    for (const line of await listTimings(stack)) console.log(line);
  } finally {
    await db.end();
    await stack.stop();
  }
}

await main();
