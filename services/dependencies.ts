/** What the Restate handlers need from the process: configuration and the database. */
import type { Config } from "../shared/config/index.ts";
import type { Database } from "../shared/db/connection.ts";

export interface ServiceDependencies {
  readonly config: Config;
  readonly db: Database;
}
