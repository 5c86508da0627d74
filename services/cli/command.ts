/** What every CLI command provides, and the context it runs with. */
import * as clients from "@restatedev/restate-sdk-clients";
import type { Config } from "../../shared/config/index.ts";

export interface CommandContext {
  readonly config: Config;
  readonly ingress: clients.Ingress;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly stdin: NodeJS.ReadableStream;
  /** `--json` was given: print the raw answer for scripts instead of the human-readable view. */
  readonly json?: boolean;
}

export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  /** Returns the process exit code. */
  run(args: readonly string[], context: CommandContext): Promise<number>;
}

/** A command-line mistake: printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

export function ingressHeaders(config: Config): Record<string, string> {
  return config.PROCURE_API_KEY ? { authorization: `Bearer ${config.PROCURE_API_KEY}` } : {};
}
