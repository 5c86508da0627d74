/**
 * Price collection from the command line: a product's sources and schedule, a scrape now, and the
 * offline tools `parse-price` (stdin, one string per line) and `extract-price` (a saved page).
 */
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { extractPriceFromFile, parsePriceLines } from "../../../shared/pricing/cli.ts";
import type { SchedulerService } from "../../scheduler.ts";
import { UsageError, type Command } from "../command.ts";
import { printOutput } from "../output.ts";
import { productFor } from "./products.ts";

export const sourcesCommand: Command = {
  name: "sources",
  summary: "list, add or remove a product's price sources",
  usage: "procure sources <product-id> [list | add <url> [--label L] | remove <source-id>]",
  async run(args, context) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { label: { type: "string" } },
      allowPositionals: true,
    });
    const [id, action = "list", target] = positionals;
    const product = productFor(context, id);
    if (action === "list") printOutput(context, await product.sources());
    else if (action === "add") {
      if (!target) throw new UsageError("missing the source url");
      printOutput(
        context,
        await product.addSource({ url: target, ...(values.label !== undefined && { label: values.label }) }),
      );
    } else if (action === "remove") {
      if (!target || !/^\d+$/.test(target)) throw new UsageError("missing the numeric source id");
      printOutput(context, await product.removeSource({ sourceId: Number(target) }));
    } else throw new UsageError(`unknown action "${action}"`);
    return 0;
  },
};

export const scrapeCommand: Command = {
  name: "scrape",
  summary: "scrape a product's sources now",
  usage: "procure scrape <product-id>",
  async run(args, context) {
    printOutput(context, await productFor(context, args[0]).scrape());
    return 0;
  },
};

export const scheduleCommand: Command = {
  name: "schedule",
  summary: "start or stop a product's periodic scrape (default every 8 hours), or start all",
  usage:
    "procure schedule <product-id> start [--every SECONDS] | procure schedule <product-id> stop | procure schedule all",
  async run(args, context) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { every: { type: "string" } },
      allowPositionals: true,
    });
    const [id, action] = positionals;
    if (id === "all") {
      printOutput(
        context,
        await context.ingress.serviceClient<SchedulerService>({ name: "scheduler" }).scrapeAll(),
      );
      return 0;
    }
    const product = productFor(context, id);
    if (action === "start") {
      if (values.every !== undefined && !/^\d+$/.test(values.every))
        throw new UsageError("--every takes whole seconds");
      printOutput(
        context,
        await product.startSchedule(
          values.every !== undefined ? { intervalSeconds: Number(values.every) } : {},
        ),
      );
    } else if (action === "stop") printOutput(context, await product.stopSchedule());
    else throw new UsageError('expected "start" or "stop"');
    return 0;
  },
};

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = "";
  for await (const chunk of stream)
    text += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
  return text;
}

export const parsePriceCommand: Command = {
  name: "parse-price",
  summary: "parse price strings from stdin, one per line, into JSON lines (offline)",
  usage: "procure parse-price [--currency ISO] [--decimal-separator . | ,] < prices.txt",
  async run(args, context) {
    const { values } = parseArgs({
      args: [...args],
      options: { currency: { type: "string" }, "decimal-separator": { type: "string" } },
    });
    const given = values["decimal-separator"];
    if (given !== undefined && given !== "." && given !== ",") {
      throw new UsageError('--decimal-separator takes "." or ","');
    }
    const separator: "." | "," | undefined = given;
    const options = {
      ...(values.currency !== undefined && { currencyHint: values.currency }),
      ...(separator !== undefined && { decimalSeparatorHint: separator }),
    };
    context.stdout.write(parsePriceLines(await readAll(context.stdin), options));
    return 0;
  },
};

export const extractPriceCommand: Command = {
  name: "extract-price",
  summary: "extract the price from a saved product page (offline)",
  usage: "procure extract-price <page.html> [--url URL]",
  async run(args, context) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { url: { type: "string" } },
      allowPositionals: true,
    });
    if (!positionals[0]) throw new UsageError("missing the HTML file");
    context.stdout.write(extractPriceFromFile(await readFile(positionals[0], "utf8"), values.url));
    return 0;
  },
};
