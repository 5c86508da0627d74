/**
 * `procure analyse` starts an analysis workflow and prints its id at once (or, with --wait, its
 * report); `procure analysis <id>` shows an analysis's status, and its report once completed.
 */
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import type { AnalysisResult, AnalysisWorkflow } from "../../analysis/index.ts";
import { UsageError, type Command, type CommandContext } from "../command.ts";
import { exitCodes, printOutput } from "../output.ts";

function analysis(context: CommandContext, id: string) {
  return context.ingress.workflowClient<AnalysisWorkflow>({ name: "analysis" }, id);
}

function newAnalysisId(): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  return `analysis-${stamp}-${randomBytes(3).toString("hex")}`;
}

function printResult(context: CommandContext, result: AnalysisResult): void {
  if (context.json) printOutput(context, result.report);
  else context.stdout.write(result.markdown);
}

export const analyseCommand: Command = {
  name: "analyse",
  summary: "start an analysis of which products to buy (Monitor + Analyst)",
  usage: "procure analyse [--products ID,ID,...] [--id ANALYSIS-ID] [--wait]",
  async run(args, context) {
    const { values } = parseArgs({
      args: [...args],
      options: {
        products: { type: "string" },
        id: { type: "string" },
        wait: { type: "boolean" },
      },
    });
    const products = values.products
      ?.split(",")
      .map((id) => id.trim())
      .filter((id) => id.length > 0);
    if (products !== undefined && products.length === 0)
      throw new UsageError("--products needs at least one id");
    const id = values.id ?? newAnalysisId();
    const client = analysis(context, id);
    const submission = await client.workflowSubmit(products === undefined ? {} : { products });
    if (!values.wait) {
      printOutput(context, { id, invocationId: submission.invocationId, status: submission.status });
      return 0;
    }
    context.stderr.write(`analysis ${id} started; waiting for its report\n`);
    printResult(context, await client.workflowAttach());
    return 0;
  },
};

export const analysisCommand: Command = {
  name: "analysis",
  summary: "show an analysis's status, and its report once completed",
  usage: "procure analysis <analysis-id>",
  async run(args, context) {
    const id = args[0];
    if (id === undefined) throw new UsageError("missing the analysis id");
    const client = analysis(context, id);
    const status = await client.status();
    if (status.status !== "completed") {
      printOutput(context, status);
      return status.status === "failed" ? exitCodes.failed : exitCodes.ok;
    }
    printResult(context, await client.report());
    return 0;
  },
};
