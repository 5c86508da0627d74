/**
 * Advice snapshots: each product's latest advice summary and money at stake, one row per product,
 * written by its product object. They make the dashboard's product list one query and the
 * analysis's ranking of the whole catalogue one indexed read.
 */
import type { CatalogueScan } from "../agent/catalogue.ts";
import type { AdviceSnapshot, StockStatus } from "../catalog/stake.ts";
import { normaliseAmount } from "../money/index.ts";
import type { Database } from "./connection.ts";

/** Rows per insert when snapshots are written in bulk (20 parameters each). */
const batchRows = 3_000;

export async function saveSnapshots(
  db: Database,
  snapshots: readonly AdviceSnapshot[],
  computedAt: string,
): Promise<void> {
  for (let start = 0; start < snapshots.length; start += batchRows) {
    const rows = snapshots
      .slice(start, start + batchRows)
      .map((snapshot) => ({ ...snapshot, unknown: [...snapshot.unknown], computedAt }));
    await db`
      insert into advice_snapshots ${db(
        rows,
        "productId",
        "computedAt",
        "status",
        "error",
        "stock",
        "stockoutRisk",
        "daysOfCover",
        "orderQuantity",
        "xyz",
        "currency",
        "unitCost",
        "unitCostSource",
        "sellingPrice",
        "orderCost",
        "expectedLostUnits",
        "lostMargin",
        "excessUnits",
        "overstockCapital",
        "moneyAtStake",
        "unknown",
      )}
      on conflict (product_id) do update set
        computed_at = excluded.computed_at, status = excluded.status, error = excluded.error,
        stock = excluded.stock, stockout_risk = excluded.stockout_risk, days_of_cover = excluded.days_of_cover,
        order_quantity = excluded.order_quantity, xyz = excluded.xyz, currency = excluded.currency,
        unit_cost = excluded.unit_cost, unit_cost_source = excluded.unit_cost_source,
        selling_price = excluded.selling_price, order_cost = excluded.order_cost,
        expected_lost_units = excluded.expected_lost_units, lost_margin = excluded.lost_margin,
        excess_units = excluded.excess_units, overstock_capital = excluded.overstock_capital,
        money_at_stake = excluded.money_at_stake, unknown = excluded.unknown
      where advice_snapshots.computed_at <= excluded.computed_at`;
  }
}

/** Average net selling price per unit over the product's last year of sales; null without priced sales. */
export async function averageSellingPrice(db: Database, productId: string): Promise<string | null> {
  const [row] = await db<{ price: string | null }[]>`
    with priced as (
      select sale_date, quantity, coalesce(revenue, quantity * unit_price) as value
      from sales where product_id = ${productId} and quantity > 0
        and coalesce(revenue, quantity * unit_price) is not null and sale_date <= current_date
    )
    select round(sum(value) / nullif(sum(quantity), 0), 4)::text as price
    from priced where sale_date > (select max(sale_date) from priced) - 365`;
  return row?.price ?? null;
}

export type ProductSort = "risk" | "stake" | "abc" | "name";

export interface ProductListQuery {
  readonly search?: string;
  readonly abc?: "A" | "B" | "C";
  readonly status?: StockStatus;
  readonly sort?: ProductSort;
  readonly limit: number;
  readonly offset: number;
}

export interface ProductListRow {
  readonly id: string;
  readonly sku: string;
  readonly name: string;
  readonly category: string | null;
  readonly stock: number;
  readonly leadTimeDays: number;
  readonly status: StockStatus;
  readonly stockoutRisk: number | null;
  readonly daysOfCover: number | null;
  readonly orderQuantity: number | null;
  readonly abc: "A" | "B" | "C" | null;
  readonly moneyAtStake: string | null;
  readonly currency: string;
}

const listColumns = (db: Database) => db`
  p.id, p.sku, p.name, p.category, p.stock, p.lead_time_days,
  case when p.stock <= 0 then 'out_of_stock' else coalesce(s.status, 'no_forecast') end as status,
  s.stockout_risk, s.days_of_cover, s.order_quantity, c.abc,
  s.money_at_stake::text as money_at_stake, coalesce(s.currency, p.currency) as currency`;

function listFilter(db: Database, query: ProductListQuery) {
  const pattern = query.search ? `%${query.search}%` : undefined;
  const status = db`case when p.stock <= 0 then 'out_of_stock' else coalesce(s.status, 'no_forecast') end`;
  const clauses = [
    ...(pattern === undefined
      ? []
      : [db`(p.name ilike ${pattern} or p.sku ilike ${pattern} or p.id ilike ${pattern})`]),
    ...(query.abc === undefined ? [] : [db`c.abc = ${query.abc}`]),
    ...(query.status === undefined ? [] : [db`${status} = ${query.status}`]),
  ];
  return clauses.reduce((all, clause) => db`${all} and ${clause}`, db`true`);
}

/**
 * One page of the product list and the number of matching products. A sort on an advice figure
 * walks the snapshots' index and puts the products without a snapshot after them (by id), so a page
 * reads about `offset + limit` rows whatever the catalogue's size.
 */
export async function productList(
  db: Database,
  query: ProductListQuery,
): Promise<{ total: number; rows: ProductListRow[] }> {
  const joins = db`
    left join advice_snapshots s on s.product_id = p.id
    left join product_classes c on c.product_id = p.id`;
  const filter = listFilter(db, query);
  const sort = query.sort ?? "name";
  const window = query.offset + query.limit;
  const snapshotOrder =
    sort === "risk"
      ? db`s.stockout_risk desc nulls last, s.product_id`
      : db`s.money_at_stake desc nulls last, s.stockout_risk desc nulls last, s.product_id`;
  const rowsQuery =
    sort === "risk" || sort === "stake"
      ? db<(ProductListRow & { part: number; position: number })[]>`
          select * from (
            (select ${listColumns(db)}, 0 as part, row_number() over (order by ${snapshotOrder}) as position
             from advice_snapshots s
             join products p on p.id = s.product_id
             left join product_classes c on c.product_id = p.id
             where ${filter}
             order by ${snapshotOrder}
             limit ${window})
            union all
            (select ${listColumns(db)}, 1 as part, row_number() over (order by p.id) as position
             from products p ${joins}
             where s.product_id is null and ${filter}
             order by p.id
             limit ${window})
          ) page
          order by part, position
          limit ${query.limit} offset ${query.offset}`
      : db<(ProductListRow & { part?: never; position?: never })[]>`
          select ${listColumns(db)} from products p ${joins}
          where ${filter}
          order by ${sort === "abc" ? db`c.abc nulls last, c.sales_value desc, p.id` : db`p.name, p.id`}
          limit ${query.limit} offset ${query.offset}`;
  const [rows, [counted]] = await Promise.all([
    rowsQuery,
    db<{ total: number }[]>`select count(*)::int as total from products p ${joins} where ${filter}`,
  ]);
  return {
    total: counted?.total ?? 0,
    rows: rows.map(({ part: _part, position: _position, ...row }) => row),
  };
}

interface RankedRow {
  readonly productId: string;
  readonly supplier: string | null;
  readonly currency: string;
  readonly stockoutRisk: number | null;
  readonly expectedLostUnits: number | null;
  readonly excessUnits: number | null;
  readonly lostMargin: string | null;
  readonly overstockCapital: string | null;
  readonly moneyAtStake: string | null;
  readonly unknown: string[];
}

const money = (amount: string | null, currency: string) =>
  amount === null ? null : { amount: normaliseAmount(amount), currency };

/**
 * The whole catalogue ranked by money at stake (then stock-out risk) in two indexed reads: the top
 * `top` products with advice, and per currency the totals of all the others.
 */
export async function rankByMoneyAtStake(db: Database, top: number): Promise<CatalogueScan> {
  const ranked = await db<RankedRow[]>`
    select s.product_id, p.supplier, s.currency, s.stockout_risk, s.expected_lost_units, s.excess_units,
      s.lost_margin::text as lost_margin, s.overstock_capital::text as overstock_capital,
      s.money_at_stake::text as money_at_stake, s.unknown
    from advice_snapshots s join products p on p.id = s.product_id
    where s.error is null
    order by s.money_at_stake desc nulls last, s.stockout_risk desc nulls last, s.product_id
    limit ${top}`;
  const rankedIds = ranked.map((row) => row.productId);
  const rest = await db<
    {
      currency: string;
      products: number;
      unknownMoney: number;
      lostMargin: string | null;
      overstockCapital: string | null;
      moneyAtStake: string | null;
    }[]
  >`
    select s.currency, count(*)::int as products,
      count(*) filter (where s.money_at_stake is null)::int as unknown_money,
      sum(s.lost_margin)::text as lost_margin, sum(s.overstock_capital)::text as overstock_capital,
      sum(s.money_at_stake)::text as money_at_stake
    from advice_snapshots s
    where s.error is null and not (s.product_id = any(${rankedIds}))
    group by s.currency order by s.currency`;
  const [counts] = await db<{ products: number; withAdvice: number }[]>`
    select (select count(*) from products)::int as products,
      (select count(*) from advice_snapshots where error is null)::int as with_advice`;
  const totals = (pick: (row: (typeof rest)[number]) => string | null) =>
    rest.flatMap((row) => {
      const amount = money(pick(row), row.currency);
      return amount === null ? [] : [amount];
    });
  const products = counts?.products ?? 0;
  return {
    products,
    withoutAdvice: products - (counts?.withAdvice ?? 0),
    ranked: ranked.map((row) => ({
      productId: row.productId,
      supplier: row.supplier,
      stockoutRisk: row.stockoutRisk,
      expectedLostUnits: row.expectedLostUnits,
      excessUnits: row.excessUnits,
      lostMargin: money(row.lostMargin, row.currency),
      overstockCapital: money(row.overstockCapital, row.currency),
      moneyAtStake: money(row.moneyAtStake, row.currency),
      unknown: row.unknown,
    })),
    rest: {
      products: rest.reduce((sum, row) => sum + row.products, 0),
      unknownMoney: rest.reduce((sum, row) => sum + row.unknownMoney, 0),
      lostMargin: totals((row) => row.lostMargin),
      overstockCapital: totals((row) => row.overstockCapital),
      moneyAtStake: totals((row) => row.moneyAtStake),
    },
  };
}

/** The catalogue supplier of each product that has one. */
export async function productSuppliers(
  db: Database,
  ids: readonly string[],
): Promise<Record<string, string>> {
  const rows = await db<{ id: string; supplier: string }[]>`
    select id, supplier from products where id = any(${[...ids]}) and supplier is not null`;
  return Object.fromEntries(rows.map((row) => [row.id, row.supplier]));
}
