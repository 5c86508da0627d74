/**
 * The PostgreSQL connection (postgres.js). Column names are camelCased on the way out;
 * numeric columns stay strings so money is never rounded through a float.
 */
import postgres from "postgres";

export type Database = postgres.Sql;
export type Transaction = postgres.TransactionSql;

export interface DatabaseOptions {
  /** Pool size; the embedded PGlite server serialises everything, so it gets one connection. */
  readonly maxConnections?: number;
}

export function connectDatabase(url: string, options: DatabaseOptions = {}): Database {
  return postgres(url, {
    max: options.maxConnections ?? 10,
    // Reconnect within 2 s (postgres.js waits up to 20 s by default): while the database is down,
    // queries fail fast and Restate's retry policy paces the retries; once it is back, work resumes at once.
    backoff: (retries: number) => Math.min(0.1 * 2 ** retries, 2),
    onnotice: () => undefined,
    transform: { ...postgres.camel, undefined: null },
    connection: { application_name: "procure" },
  });
}
