/**
 * Which invocations are still pending, asked of Restate's admin SQL API (`sys_invocation`,
 * `state`). A pending invocation is one not completed yet: scheduled with a delay, queued in its
 * object's inbox, running or backing off. Used to tell a live timer or retrain from one that
 * Restate killed after its retries ran out, and by the reconciler to find what to repair.
 */
import * as restate from "@restatedev/restate-sdk";

const invocationIdPattern = /^inv_[0-9A-Za-z]+$/;
const namePattern = /^[A-Za-z][A-Za-z0-9_]*$/;

async function adminQuery(adminUrl: string, sql: string): Promise<Record<string, unknown>[]> {
  const response = await fetch(new URL("/query", adminUrl), {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ query: sql }),
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok)
    throw new Error(`Restate admin query failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { rows: Record<string, unknown>[] }).rows;
}

function checkedName(name: string): string {
  if (!namePattern.test(name)) throw new Error(`not a service or handler name: ${name}`);
  return name;
}

/** Whether the invocation exists and has not completed (a killed one is completed). */
export async function isInvocationPending(adminUrl: string, invocationId: string): Promise<boolean> {
  if (!invocationIdPattern.test(invocationId)) return false;
  const rows = await adminQuery(
    adminUrl,
    `select status from sys_invocation where id = '${invocationId}' and status <> 'completed'`,
  );
  return rows.length > 0;
}

/** Keys of the object or workflow that have an invocation of `handler` still pending. */
export async function keysWithPendingInvocations(
  adminUrl: string,
  service: string,
  handler: string,
): Promise<Set<string>> {
  const rows = await adminQuery(
    adminUrl,
    `select distinct target_service_key as key from sys_invocation
     where target_service_name = '${checkedName(service)}' and target_handler_name = '${checkedName(handler)}'
       and status <> 'completed'`,
  );
  return new Set(rows.map((row) => String(row.key)));
}

/** Every key of the object that holds the state entry `key`, with its JSON value. */
export async function objectStates(
  adminUrl: string,
  service: string,
  key: string,
): Promise<Array<{ readonly key: string; readonly value: unknown }>> {
  const rows = await adminQuery(
    adminUrl,
    `select service_key, value_utf8 from state where service_name = '${checkedName(service)}' and key = '${checkedName(key)}'`,
  );
  return rows.map((row) => ({
    key: String(row.service_key),
    value: JSON.parse(String(row.value_utf8)) as unknown,
  }));
}

/**
 * Inside a handler: whether the invocation it armed earlier is still pending, journaled. When the
 * admin API cannot answer, the deadline decides: past `lostAfterMs` the invocation counts as lost.
 */
export async function armedInvocationPending(
  ctx: restate.Context | restate.ObjectContext,
  adminUrl: string,
  invocationId: string,
  lostAfterMs: number,
): Promise<boolean> {
  try {
    return await ctx.run("is armed invocation pending", () => isInvocationPending(adminUrl, invocationId), {
      maxRetryAttempts: 3,
      initialRetryInterval: 500,
    });
  } catch (error) {
    if (!(error instanceof restate.TerminalError)) throw error;
    return (await ctx.date.now()) < lostAfterMs;
  }
}
