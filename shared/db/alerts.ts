/** Alert rules, alert episodes and their webhook deliveries. */
import type { AlertEvent, AlertKind, AlertRule, OpenEpisode } from "../alerts/rules.ts";
import type { Database } from "./connection.ts";

const timestamp = (sql: Database, column: string) =>
  sql`to_char(${sql(column)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

export interface StoredRule extends AlertRule {
  readonly createdAt: string;
}

const ruleColumns = (sql: Database) =>
  sql`id::int as id, product_id, kind, threshold::text as threshold, ${timestamp(sql, "created_at")} as created_at`;

export async function addRule(
  sql: Database,
  rule: { readonly productId: string | null; readonly kind: AlertKind; readonly threshold: string | null },
): Promise<StoredRule> {
  const [row] = await sql<StoredRule[]>`
    insert into alert_rules (product_id, kind, threshold) values (${rule.productId}, ${rule.kind}, ${rule.threshold})
    returning ${ruleColumns(sql)}`;
  return row!;
}

/** Deactivates a rule (its alerts are kept); its open episodes close at the product's next evaluation. */
export async function removeRule(sql: Database, id: number): Promise<StoredRule | undefined> {
  const [row] = await sql<StoredRule[]>`
    update alert_rules set active = false where id = ${id} and active returning ${ruleColumns(sql)}`;
  return row;
}

/** Active rules: all of them, or those that apply to one product (its own and the global ones). */
export async function activeRules(sql: Database, productId?: string): Promise<StoredRule[]> {
  const product = productId ?? null;
  return sql<StoredRule[]>`
    select ${ruleColumns(sql)} from alert_rules
    where active and (${product}::text is null or product_id is null or product_id = ${product})
    order by id`;
}

export async function openEpisodes(sql: Database, productId: string): Promise<OpenEpisode[]> {
  return sql<OpenEpisode[]>`
    select id as alert_id, rule_id::int as rule_id, subject from alerts
    where product_id = ${productId} and resolved_at is null order by raised_at`;
}

export interface RaisedAlert {
  readonly alertId: string;
  readonly ruleId: number;
  readonly kind: AlertKind;
  readonly subject: string;
  readonly message: string;
  readonly details: Readonly<Record<string, string | number | null>>;
}

export interface ResolvedAlert {
  readonly alertId: string;
  /** What closed it: the condition's message, or why it was closed without one. */
  readonly resolution: string;
}

/** Opens and closes episodes in one transaction; a retried call (same alert ids) changes nothing. */
export async function recordTransitions(
  sql: Database,
  productId: string,
  at: string,
  changes: { readonly raised: readonly RaisedAlert[]; readonly resolved: readonly ResolvedAlert[] },
): Promise<void> {
  await sql.begin(async (tx) => {
    for (const alert of changes.resolved) {
      await tx`
        update alerts set resolved_at = ${at}, resolution = ${alert.resolution}
        where id = ${alert.alertId} and resolved_at is null`;
    }
    for (const alert of changes.raised) {
      await tx`
        insert into alerts (id, rule_id, product_id, kind, subject, message, details, raised_at)
        values (${alert.alertId}, ${alert.ruleId}, ${productId}, ${alert.kind}, ${alert.subject},
                ${alert.message}, ${tx.json(alert.details)}, ${at})
        on conflict do nothing`;
    }
  });
}

export interface AlertRecord {
  readonly id: string;
  readonly ruleId: number;
  readonly productId: string;
  readonly kind: AlertKind;
  readonly subject: string;
  readonly message: string;
  readonly details: Record<string, string | number | null>;
  readonly raisedAt: string;
  readonly resolvedAt: string | null;
  readonly resolution: string | null;
  readonly deliveries: { readonly event: AlertEvent; readonly url: string; readonly status: string }[];
}

const alertColumns = (sql: Database) => sql`
  a.id, a.rule_id::int as rule_id, a.product_id, a.kind, a.subject, a.message, a.details,
  ${timestamp(sql, "a.raised_at")} as raised_at, ${timestamp(sql, "a.resolved_at")} as resolved_at, a.resolution,
  coalesce((select jsonb_agg(jsonb_build_object('event', d.event, 'url', d.url, 'status', d.status)
                             order by d.finished_at)
            from alert_deliveries d where d.alert_id = a.id), '[]'::jsonb) as deliveries`;

export async function alertById(sql: Database, id: string): Promise<AlertRecord | undefined> {
  const [row] = await sql<AlertRecord[]>`select ${alertColumns(sql)} from alerts a where a.id = ${id}`;
  return row;
}

/** The alerts feed, newest first: all, one product's, or only the open ones. */
export async function listAlerts(
  sql: Database,
  filter: { readonly productId?: string; readonly open?: boolean; readonly limit: number },
): Promise<AlertRecord[]> {
  const product = filter.productId ?? null;
  return sql<AlertRecord[]>`
    select ${alertColumns(sql)} from alerts a
    where (${product}::text is null or a.product_id = ${product})
      and (${filter.open ?? false} = false or a.resolved_at is null)
    order by a.raised_at desc, a.id limit ${filter.limit}`;
}

export interface DeliveryOutcome {
  readonly alertId: string;
  readonly event: AlertEvent;
  readonly url: string;
  readonly status: "delivered" | "rejected" | "failed";
  readonly httpStatus: number | null;
  readonly detail: string | null;
  readonly finishedAt: string;
}

export async function recordDelivery(sql: Database, outcome: DeliveryOutcome): Promise<void> {
  await sql`insert into alert_deliveries ${sql(outcome)} on conflict (alert_id, event, url) do nothing`;
}

/** Median of the product's successful in-stock prices in `currency` over the 30 days before `now`. */
export async function medianPrice30d(
  sql: Database,
  productId: string,
  currency: string,
  now: string,
): Promise<string | null> {
  const [row] = await sql<{ median: string | null }[]>`
    select (percentile_cont(0.5) within group (order by amount))::numeric(14, 4)::text as median
    from prices
    where product_id = ${productId} and currency = ${currency} and status in ('ok', 'not_modified')
      and availability <> 'out_of_stock'
      and collected_at > ${now}::timestamptz - interval '30 days' and collected_at <= ${now}::timestamptz`;
  return row?.median ?? null;
}
