import { describe, expect, it } from "vitest";
import { defaultLimits } from "../../../shared/agent/budget.ts";
import { renderMarkdown } from "../../../shared/agent/markdown.ts";
import type { AnalysisReport } from "../../../shared/agent/report.ts";

const report: AnalysisReport = {
  analysisId: "weekly-1",
  mode: "claude",
  model: "claude-sonnet-4-5",
  startedAt: "2026-11-25T18:00:00.000Z",
  finishedAt: "2026-11-25T18:01:00.000Z",
  scanned: ["p1", "p2", "p3"],
  flagged: [{ productId: "p1", risks: ["stockout"], note: "low cover" }],
  unassessed: [{ productId: "p3", reason: "404: no sales history" }],
  recommendations: [
    {
      productId: "p1",
      action: "buy_now",
      quantity: 68,
      source: { sourceId: 1, label: "shop | a" },
      unitPrice: { amount: "12.50", currency: "USD" },
      expectedCost: { amount: "850.00", currency: "USD" },
      risks: ["stockout"],
      reasons: [{ text: "stock covers 2.4 days", figures: { daysOfCover: 2.4, bestPrice: "12.50" } }],
      decidedBy: "claude",
    },
  ],
  usage: { turns: 4, inputTokens: 400, outputTokens: 80, toolCalls: 6, toolErrors: 2, requestedToolCalls: 4 },
  limits: defaultLimits,
  notes: ["Analyst on p2: stopped"],
};

describe("markdown report", () => {
  const markdown = renderMarkdown(report);

  it("summarises the recommendations in a table with exact money, escaping table syntax", () => {
    expect(markdown).toContain("| p1 | Buy now | 68 | shop \\| a | 12.50 USD | 850.00 USD |");
  });

  it("gives each recommendation its risks, source and reasons with their figures", () => {
    expect(markdown).toContain("### p1: Buy now 68 units");
    expect(markdown).toContain("Risks: stock-out before lead time.");
    expect(markdown).toContain("at 12.50 USD per unit; expected cost 850.00 USD.");
    expect(markdown).toContain("- stock covers 2.4 days (daysOfCover = 2.4, bestPrice = 12.50)");
    expect(markdown).toContain("Decided by: Claude (Analyst).");
  });

  it("lists unassessed products, usage against the limits and notes", () => {
    expect(markdown).toContain("Scanned 3 products; flagged 1; 1 could not be assessed.");
    expect(markdown).toContain("- p3: 404: no sales history");
    expect(markdown).toContain(
      "LLM turns 4 of 40; tokens 480 of 400000 (400 in, 80 out); tool calls 6, 2 failed (4 requested by the LLM, limit 150).",
    );
    expect(markdown).toContain("## Notes\n\n- Analyst on p2: stopped");
  });

  it("says so when no product needs action", () => {
    expect(renderMarkdown({ ...report, flagged: [], recommendations: [] })).toContain(
      "No product needs action.",
    );
  });
});
