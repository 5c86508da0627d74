/** `procure catalog FILE.csv`: import a catalogue or stock file (sku plus any profile columns). */
import type { CatalogImportResult } from "../../catalog.ts";
import { UsageError, type Command } from "../command.ts";
import { exitCodeForStatus, exitCodes, printOutput } from "../output.ts";
import { errorMessage, uploadFile } from "./sales.ts";

export const catalogCommand: Command = {
  name: "catalog",
  summary: "import a catalogue CSV: sku plus any of name, category, stock, lead_time_days, unit_cost, ...",
  usage:
    "procure catalog <file.csv>   (columns: sku and any of name, category, stock, lead_time_days, unit_cost, " +
    "currency, supplier, min_order_qty, pack_size, service_level, review_period_days)",
  async run(args, context) {
    const file = args.find((arg) => !arg.startsWith("--"));
    if (!file) throw new UsageError("missing the CSV file");
    const response = await uploadFile(
      context,
      file,
      new URL("/catalog/import", context.config.RESTATE_INGRESS_URL),
    );
    if (response.status !== 200) {
      context.stderr.write(`${errorMessage(response.body)}\n`);
      return exitCodeForStatus(response.status);
    }
    const result = JSON.parse(response.body) as CatalogImportResult;
    context.stderr.write(
      result.status === "unchanged"
        ? `${result.rows} products read: nothing to change\n`
        : `${result.rows} products read (${result.columns.join(", ")}): ${result.createdProducts} created, ` +
            `${result.changedProducts.length} changed\n`,
    );
    printOutput(context, { ...result, changedProducts: result.changedProducts.length });
    return exitCodes.ok;
  },
};
