/** Renders an analysis report as readable Markdown: a summary table, then each product's reasons. */
import { catalogueMarkdown } from "./catalogue.ts";
import type { AnalysisReport, Reason, Recommendation, Risk } from "./report.ts";

const actionLabels: Record<Recommendation["action"], string> = {
  buy_now: "Buy now",
  wait: "Wait",
  reduce: "Reduce",
};

const riskLabels: Record<Risk, string> = {
  stockout: "stock-out before lead time",
  price_drop: "price drop",
  overstock: "overstock",
};

/** Keeps text from breaking a table row or starting Markdown structure. */
function inline(text: string): string {
  return text.replace(/\s+/g, " ").replace(/([\\|*_`[\]<>#])/g, "\\$1");
}

function money(value: Recommendation["unitPrice"]): string {
  return value === null ? "—" : `${value.amount} ${value.currency}`;
}

function figures(reason: Reason): string {
  const entries = Object.entries(reason.figures);
  return entries.length === 0
    ? ""
    : ` (${entries.map(([name, value]) => `${inline(name)} = ${inline(String(value))}`).join(", ")})`;
}

function recommendationSection(recommendation: Recommendation): string[] {
  const risks = recommendation.risks.map((risk) => riskLabels[risk]).join(", ");
  return [
    `### ${inline(recommendation.productId)}: ${actionLabels[recommendation.action]}` +
      (recommendation.quantity > 0 ? ` ${recommendation.quantity} units` : ""),
    "",
    ...(risks.length > 0 ? [`Risks: ${risks}.`, ""] : []),
    ...(recommendation.source === null
      ? []
      : [
          `Source: ${inline(recommendation.source.label)}` +
            (recommendation.source.sourceId === null ? "" : ` (source ${recommendation.source.sourceId})`) +
            ` at ${money(recommendation.unitPrice)} per unit; expected cost ${money(recommendation.expectedCost)}.`,
          "",
        ]),
    ...recommendation.reasons.map((reason) => `- ${inline(reason.text)}${figures(reason)}`),
    "",
    `Decided by: ${recommendation.decidedBy === "claude" ? "Claude (Analyst)" : "rules"}.`,
    "",
  ];
}

export function renderMarkdown(report: AnalysisReport): string {
  const { usage, limits } = report;
  const mode =
    report.mode === "claude" ? `Claude (${inline(report.model ?? "unknown model")})` : "offline rules";
  const lines = [
    `# Purchase analysis ${inline(report.analysisId)}`,
    "",
    `Mode: ${mode}. Started ${report.startedAt}, finished ${report.finishedAt}.`,
    "",
    `Scanned ${report.scanned.length} products; flagged ${report.flagged.length}; ` +
      `${report.unassessed.length} could not be assessed.`,
    "",
    "## Recommendations",
    "",
  ];
  if (report.recommendations.length === 0) {
    lines.push("No product needs action.", "");
  } else {
    lines.push(
      "| Product | Action | Quantity | Source | Unit price | Expected cost |",
      "| --- | --- | ---: | --- | ---: | ---: |",
      ...report.recommendations.map(
        (recommendation) =>
          `| ${inline(recommendation.productId)} | ${actionLabels[recommendation.action]} | ${recommendation.quantity} | ` +
          `${recommendation.source === null ? "—" : inline(recommendation.source.label)} | ` +
          `${money(recommendation.unitPrice)} | ${money(recommendation.expectedCost)} |`,
      ),
      "",
      ...report.recommendations.flatMap(recommendationSection),
    );
  }
  lines.push(...catalogueMarkdown(report.catalogue, report.spend));
  if (report.unassessed.length > 0) {
    lines.push(
      "## Not assessed",
      "",
      ...report.unassessed.map((entry) => `- ${inline(entry.productId)}: ${inline(entry.reason)}`),
      "",
    );
  }
  lines.push(
    "## Usage",
    "",
    `LLM turns ${usage.turns} of ${limits.maxTurns}; tokens ${usage.inputTokens + usage.outputTokens} of ${limits.maxTokens} ` +
      `(${usage.inputTokens} in, ${usage.outputTokens} out); tool calls ${usage.toolCalls}, ${usage.toolErrors} failed ` +
      `(${usage.requestedToolCalls} requested by the LLM, limit ${limits.maxToolCalls}).`,
    "",
  );
  if (report.notes.length > 0)
    lines.push("## Notes", "", ...report.notes.map((note) => `- ${inline(note)}`), "");
  return lines.join("\n");
}
