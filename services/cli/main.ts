/**
 * The `procure` command line (package bin): talks to the Restate ingress
 * (RESTATE_INGRESS_URL) for everything a user does day to day.
 */
import "../../shared/runtime/polyfill.ts";
import * as clients from "@restatedev/restate-sdk-clients";
import { loadConfig } from "../../shared/config/index.ts";
import { UsageError, ingressHeaders, type Command } from "./command.ts";
import { exitCodeForStatus, exitCodeHelp, exitCodes } from "./output.ts";
import { accuracyCommand, alertsCommand, modelCommand } from "./commands/alerts.ts";
import { analyseCommand, analysisCommand } from "./commands/analyse.ts";
import { catalogCommand } from "./commands/catalog.ts";
import { doctorCommand } from "./commands/doctor.ts";
import { adviceCommand, bestPriceCommand, forecastCommand } from "./commands/insights.ts";
import {
  extractPriceCommand,
  parsePriceCommand,
  scheduleCommand,
  scrapeCommand,
  sourcesCommand,
} from "./commands/prices.ts";
import { orderCommand, supplierCommand } from "./commands/orders.ts";
import { createCommand, showCommand, stockCommand, updateCommand } from "./commands/products.ts";
import { progressCommand, uploadCommand } from "./commands/sales.ts";

const commands: readonly Command[] = [
  createCommand,
  updateCommand,
  showCommand,
  stockCommand,
  uploadCommand,
  catalogCommand,
  progressCommand,
  forecastCommand,
  adviceCommand,
  bestPriceCommand,
  sourcesCommand,
  scrapeCommand,
  scheduleCommand,
  analyseCommand,
  analysisCommand,
  alertsCommand,
  modelCommand,
  accuracyCommand,
  orderCommand,
  supplierCommand,
  parsePriceCommand,
  extractPriceCommand,
  doctorCommand,
];

function help(): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  return [
    "usage: procure <command> [arguments]",
    "",
    ...commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    "",
    "Answers are printed for people (tables, units, dates in UTC); add --json to any command for the",
    "raw JSON answer, for scripts.",
    "Run `procure <command> --help` for a command's arguments.",
    "",
    exitCodeHelp,
  ].join("\n");
}

function isArgumentError(error: unknown): error is Error {
  return error instanceof TypeError && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS");
}

/** A refused, reset or unresolvable connection (undici's errors carry the socket's code). */
function isConnectionError(
  error: unknown,
): error is Error & { code: string; address?: string; port?: number } {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    error instanceof Error &&
    typeof code === "string" &&
    ["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "EHOSTUNREACH"].includes(code)
  );
}

export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    process.stdout.write(`${help()}\n`);
    return name === undefined ? exitCodes.usage : exitCodes.ok;
  }
  const command = commands.find((candidate) => candidate.name === name);
  if (!command) {
    process.stderr.write(`procure: unknown command "${name}"\n\n${help()}\n`);
    return exitCodes.usage;
  }
  if (args.includes("--help")) {
    process.stdout.write(`usage: ${command.usage} [--json]\n\n${exitCodeHelp}\n`);
    return exitCodes.ok;
  }
  const config = loadConfig();
  const ingress = clients.connect({ url: config.RESTATE_INGRESS_URL, headers: ingressHeaders(config) });
  try {
    return await command.run(
      args.filter((arg) => arg !== "--json"),
      {
        config,
        ingress,
        stdout: process.stdout,
        stderr: process.stderr,
        stdin: process.stdin,
        json: args.includes("--json"),
      },
    );
  } catch (error) {
    if (error instanceof UsageError || isArgumentError(error)) {
      process.stderr.write(`procure ${command.name}: ${error.message}\nusage: ${command.usage}\n`);
      return exitCodes.usage;
    }
    if (error instanceof clients.HttpCallError) {
      process.stderr.write(`procure ${command.name}: ${error.status} ${error.message}\n`);
      return exitCodeForStatus(error.status);
    }
    if (error instanceof TypeError && error.message.includes("fetch failed")) {
      process.stderr.write(
        `procure ${command.name}: cannot reach the Restate ingress at ${config.RESTATE_INGRESS_URL} (is \`npm start\` running?)\n`,
      );
      return exitCodes.unreachable;
    }
    if (isConnectionError(error)) {
      process.stderr.write(
        `procure ${command.name}: cannot reach ${error.address ?? "procure"}:${error.port ?? ""} (${error.code}; is \`npm start\` running, and DASHBOARD_PORT right?)\n`,
      );
      return exitCodes.unreachable;
    }
    throw error;
  }
}
