/** What the Restate handlers need from the process: configuration, the database and the polite web fetcher. */
import type { Config } from "../shared/config/index.ts";
import type { Database } from "../shared/db/connection.ts";
import type { Fetcher } from "../shared/scrape/fetch.ts";

export interface ServiceDependencies {
  readonly config: Config;
  readonly db: Database;
  readonly fetcher: Fetcher;
}
