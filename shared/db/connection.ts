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
    onnotice: () => undefined,
    transform: { ...postgres.camel, undefined: null },
    connection: { application_name: "procure" },
  });
}
