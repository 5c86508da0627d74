/** Price sources of a product and the price history collected from them. */
import type { ObservationStatus, PriceObservation } from "../scrape/observation.ts";
import type { Database } from "./connection.ts";

export interface PriceSource {
  readonly id: number;
  readonly productId: string;
  readonly url: string;
  readonly label: string;
  readonly active: boolean;
}

const sourceColumns = (sql: Database) => sql`id::int as id, product_id, url, label, active`;

/** Adds a source, or re-activates (and relabels) the same URL if it was added before. */
export async function addSource(
  sql: Database,
  productId: string,
  url: string,
  label: string,
): Promise<PriceSource> {
  const [row] = await sql<PriceSource[]>`
    insert into product_sources (product_id, url, label) values (${productId}, ${url}, ${label})
    on conflict (product_id, url) do update set active = true, label = excluded.label
    returning ${sourceColumns(sql)}`;
  return row!;
}

/** Deactivates a source; its price history is kept. */
export async function deactivateSource(
  sql: Database,
  productId: string,
  sourceId: number,
): Promise<PriceSource | undefined> {
  const [row] = await sql<PriceSource[]>`
    update product_sources set active = false where product_id = ${productId} and id = ${sourceId}
    returning ${sourceColumns(sql)}`;
  return row;
}

export async function listSources(sql: Database, productId: string): Promise<PriceSource[]> {
  return sql<
    PriceSource[]
  >`select ${sourceColumns(sql)} from product_sources where product_id = ${productId} order by id`;
}

export async function productsWithActiveSources(sql: Database): Promise<string[]> {
  const rows = await sql<{ productId: string }[]>`
    select distinct product_id from product_sources where active order by product_id`;
  return rows.map((row) => row.productId);
}

export type PriceStatus = ObservationStatus;
export type Availability = PriceObservation["availability"];

export interface PriceRecord {
  readonly attemptId: string;
  readonly productId: string;
  readonly sourceId: number;
  readonly status: PriceStatus;
  readonly amount: string | null;
  readonly currency: string | null;
  readonly availability: Availability;
  readonly rule: string | null;
  readonly httpStatus: number | null;
  readonly detail: string | null;
  readonly etag: string | null;
  readonly lastModified: string | null;
  readonly collectedAt: string;
}

/** Stores one scrape attempt of one source; a retried attempt (same attempt id) is stored once. */
export async function recordPrice(sql: Database, record: PriceRecord): Promise<void> {
  await sql`
    insert into prices ${sql(
      record,
      "attemptId",
      "productId",
      "sourceId",
      "status",
      "amount",
      "currency",
      "availability",
      "rule",
      "httpStatus",
      "detail",
      "etag",
      "lastModified",
      "collectedAt",
    )}
    on conflict (attempt_id) do nothing`;
}

export interface LastGoodPrice {
  readonly amount: string;
  readonly currency: string;
  readonly availability: Availability;
  readonly rule: string | null;
  readonly etag: string | null;
  readonly lastModified: string | null;
}

/** The last successful observation of a source: its price (for a 304) and its cache validators. */
export async function lastGoodPrice(sql: Database, sourceId: number): Promise<LastGoodPrice | undefined> {
  const [row] = await sql<LastGoodPrice[]>`
    select amount::text as amount, currency, availability, rule, etag, last_modified
    from prices where source_id = ${sourceId} and status in ('ok', 'not_modified')
    order by collected_at desc, id desc limit 1`;
  return row;
}

export interface LatestObservation {
  readonly sourceId: number;
  readonly label: string;
  readonly active: boolean;
  readonly status: PriceStatus | null;
  readonly amount: string | null;
  readonly currency: string | null;
  readonly availability: Availability | null;
  readonly collectedAt: string | null;
}

/** Each source of the product with its most recent observation (if any). */
export async function latestObservations(sql: Database, productId: string): Promise<LatestObservation[]> {
  return sql<LatestObservation[]>`
    select s.id::int as source_id, s.label, s.active, p.status, p.amount::text as amount, p.currency,
           p.availability, to_char(p.collected_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as collected_at
    from product_sources s
    left join lateral (
      select status, amount, currency, availability, collected_at from prices
      where source_id = s.id order by collected_at desc, id desc limit 1
    ) p on true
    where s.product_id = ${productId}
    order by s.id`;
}

export interface PriceHistorySummary {
  readonly currency: string;
  readonly min: string;
  readonly max: string;
  readonly last: string;
  readonly observations: number;
  readonly since: string;
}

export async function priceHistorySummary(
  sql: Database,
  productId: string,
  currency: string,
): Promise<PriceHistorySummary | undefined> {
  const [row] = await sql<(PriceHistorySummary & { observations: number })[]>`
    select ${currency}::text as currency, min(amount)::text as min, max(amount)::text as max,
      (array_agg(amount::text order by collected_at desc, id desc))[1] as last,
      count(*)::int as observations,
      to_char(min(collected_at) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as since
    from prices where product_id = ${productId} and currency = ${currency} and status in ('ok', 'not_modified')`;
  return row && row.observations > 0 ? row : undefined;
}

export interface PricePoint {
  readonly sourceId: number;
  readonly collectedAt: string;
  readonly amount: string;
  readonly currency: string;
}

/** Successful observations of a product, oldest first, for charts. */
export async function priceHistory(sql: Database, productId: string, limit = 1000): Promise<PricePoint[]> {
  return sql<PricePoint[]>`
    select * from (
      select source_id::int as source_id, to_char(collected_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as collected_at,
        amount::text as amount, currency
      from prices where product_id = ${productId} and status in ('ok', 'not_modified')
      order by collected_at desc limit ${limit}
    ) recent order by collected_at`;
}
