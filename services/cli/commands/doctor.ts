/**
 * `procure doctor`: checks what a running installation needs — the Restate admin API, the
 * registered deployment (every service of services/registry.ts), a real call through the ingress,
 * the database and its migrations — and prints one line per check with what to do about a failure.
 * The embedded database serves only the process that runs it, so it is checked through that
 * process's dashboard (`/healthz/database`); a DATABASE_URL is checked directly.
 */
import type { Config } from "../../../shared/config/index.ts";
import { connectDatabase } from "../../../shared/db/connection.ts";
import { pendingMigrations } from "../../../shared/db/migrate.ts";
import type { DatabaseHealth } from "../../edge/server.ts";
import { serviceNames } from "../../registry.ts";
import { ingressHeaders, type Command } from "../command.ts";

export const requiredServices = serviceNames;

export interface CheckResult {
  readonly name: string;
  readonly ok: boolean;
  /** What was found, or what is wrong and what to do. */
  readonly detail: string;
}

const requestTimeoutMs = 5_000;

function reason(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
    return `${error.message}${cause}`;
  }
  return String(error);
}

async function withTimeout<T>(work: PromiseLike<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function checkAdmin(config: Config): Promise<CheckResult> {
  const name = "Restate admin API";
  try {
    const response = await fetch(new URL("/health", config.RESTATE_ADMIN_URL), {
      signal: AbortSignal.timeout(requestTimeoutMs),
    });
    if (response.ok) return { name, ok: true, detail: `reachable at ${config.RESTATE_ADMIN_URL}` };
    return { name, ok: false, detail: `${config.RESTATE_ADMIN_URL}/health answered ${response.status}` };
  } catch (error) {
    return {
      name,
      ok: false,
      detail: `cannot reach ${config.RESTATE_ADMIN_URL} (${reason(error)}): start Restate (\`npm start\` runs it) or set RESTATE_ADMIN_URL`,
    };
  }
}

interface DeploymentList {
  readonly deployments?: readonly { readonly services?: readonly { readonly name?: string }[] }[];
}

async function checkRegistration(config: Config): Promise<CheckResult> {
  const name = "deployment registered";
  const register = `register the service endpoint: \`curl -X POST ${config.RESTATE_ADMIN_URL}/deployments -H 'content-type: application/json' -d '{"uri": "<endpoint url>"}'\` (npm start does it when RESTATE_REGISTER_DEPLOYMENT=true)`;
  try {
    const response = await fetch(new URL("/deployments", config.RESTATE_ADMIN_URL), {
      signal: AbortSignal.timeout(requestTimeoutMs),
    });
    if (!response.ok) return { name, ok: false, detail: `GET /deployments answered ${response.status}` };
    const list = (await response.json()) as DeploymentList;
    const registered = new Set(
      (list.deployments ?? []).flatMap((deployment) =>
        (deployment.services ?? []).map((service) => service.name),
      ),
    );
    const missing = requiredServices.filter((service) => !registered.has(service));
    if (missing.length === 0)
      return { name, ok: true, detail: `services ${requiredServices.join(", ")} registered` };
    return { name, ok: false, detail: `missing service(s) ${missing.join(", ")}: ${register}` };
  } catch (error) {
    return { name, ok: false, detail: `cannot list deployments (${reason(error)})` };
  }
}

async function checkIngress(config: Config): Promise<CheckResult> {
  const name = "ingress call health/ping";
  try {
    const response = await fetch(new URL("/health/ping", config.RESTATE_INGRESS_URL), {
      method: "POST",
      headers: ingressHeaders(config),
      signal: AbortSignal.timeout(requestTimeoutMs),
    });
    if (response.ok) return { name, ok: true, detail: `answered through ${config.RESTATE_INGRESS_URL}` };
    return {
      name,
      ok: false,
      detail: `${config.RESTATE_INGRESS_URL}/health/ping answered ${response.status}: ${(await response.text()).slice(0, 200)} — is the service endpoint running and registered?`,
    };
  } catch (error) {
    return {
      name,
      ok: false,
      detail: `cannot reach ${config.RESTATE_INGRESS_URL} (${reason(error)}): check RESTATE_INGRESS_URL and that the endpoint is up`,
    };
  }
}

function migrationsCheck(pending: readonly string[]): CheckResult {
  return pending.length === 0
    ? { name: "migrations", ok: true, detail: "none pending" }
    : {
        name: "migrations",
        ok: false,
        detail: `pending: ${pending.join(", ")} — restart the service (it migrates at start-up)`,
      };
}

const migrationsNotChecked: CheckResult = {
  name: "migrations",
  ok: false,
  detail: "not checked: the database is unreachable",
};

async function checkDatabaseUrl(databaseUrl: string): Promise<CheckResult[]> {
  const db = connectDatabase(databaseUrl, { maxConnections: 1 });
  try {
    await withTimeout(db`select 1`, requestTimeoutMs);
    const pending = await withTimeout(pendingMigrations(db), requestTimeoutMs);
    return [{ name: "database", ok: true, detail: "reachable (DATABASE_URL)" }, migrationsCheck(pending)];
  } catch (error) {
    return [
      {
        name: "database",
        ok: false,
        detail: `cannot connect with DATABASE_URL: ${reason(error)} — check the URL and that PostgreSQL is running`,
      },
      migrationsNotChecked,
    ];
  } finally {
    await db.end({ timeout: 1 });
  }
}

/** The dashboard of a local `npm start` (a wildcard bind address is reached on loopback). */
export function localDashboardUrl(config: Config): string {
  const host = ["0.0.0.0", "::", ""].includes(config.DASHBOARD_HOST) ? "127.0.0.1" : config.DASHBOARD_HOST;
  return `http://${host.includes(":") ? `[${host}]` : host}:${config.DASHBOARD_PORT}`;
}

/**
 * The embedded PGlite serves one connection, held by `npm start` itself: the check asks that
 * process, through its dashboard, to query the database and list pending migrations.
 */
async function checkEmbeddedDatabase(config: Config): Promise<CheckResult[]> {
  const dashboard = localDashboardUrl(config);
  const label = `embedded PGlite on 127.0.0.1:${config.PGLITE_PORT}, asked through ${dashboard}`;
  try {
    const response = await fetch(new URL("/healthz/database", dashboard), {
      signal: AbortSignal.timeout(requestTimeoutMs),
    });
    if (!response.ok) throw new Error(`${dashboard}/healthz/database answered ${response.status}`);
    const health = (await response.json()) as DatabaseHealth;
    if (!health.reachable)
      return [{ name: "database", ok: false, detail: `${label}: ${health.error}` }, migrationsNotChecked];
    return [
      { name: "database", ok: true, detail: `reachable (${label})` },
      migrationsCheck(health.pendingMigrations),
    ];
  } catch (error) {
    return [
      {
        name: "database",
        ok: false,
        detail: `cannot check the ${label} (${reason(error)}): start procure with \`npm start\`, or set DATABASE_URL`,
      },
      migrationsNotChecked,
    ];
  }
}

export async function runChecks(config: Config): Promise<CheckResult[]> {
  const admin = await checkAdmin(config);
  const registration: CheckResult = admin.ok
    ? await checkRegistration(config)
    : { name: "deployment registered", ok: false, detail: "not checked: the admin API is unreachable" };
  const [ingress, database] = await Promise.all([
    checkIngress(config),
    config.DATABASE_URL === undefined ? checkEmbeddedDatabase(config) : checkDatabaseUrl(config.DATABASE_URL),
  ]);
  return [admin, registration, ingress, ...database];
}

export function formatCheck(check: CheckResult): string {
  return `${check.ok ? "✓" : "✗"} ${check.name}: ${check.detail}`;
}

export const doctorCommand: Command = {
  name: "doctor",
  summary: "check Restate, the registration, the ingress, the database and migrations",
  usage: "procure doctor",
  async run(_args, context) {
    const checks = await runChecks(context.config);
    for (const check of checks) context.stdout.write(`${formatCheck(check)}\n`);
    const failed = checks.filter((check) => !check.ok).length;
    context.stdout.write(failed === 0 ? "all checks passed\n" : `${failed} check(s) failed\n`);
    return failed === 0 ? 0 : 1;
  },
};
