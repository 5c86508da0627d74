import { describe, expect, it } from "vitest";
import { defaultLimits } from "../../../shared/agent/budget.ts";
import { runTeam } from "../../../shared/agent/team.ts";
import {
  advice,
  bestPrice,
  fixtureReads,
  forecast,
  reply,
  scriptedLlm,
  toolResults,
  toolUse,
  type ProductFixture,
} from "./fixtures.ts";

const atRisk: ProductFixture = {
  advice: advice({ productId: "p1", stock: 12, daysOfCover: 2.4, orderQuantity: 68, shouldReorder: true }),
  bestPrice: bestPrice(),
  forecast: forecast(),
};
const healthy: ProductFixture = { advice: advice({ productId: "p2" }), bestPrice: bestPrice() };

const submitBuy = (id: string, sourceId: number | null = 1) =>
  toolUse(id, "submit_recommendation", {
    action: "buy_now",
    quantity: 68,
    sourceId,
    risks: ["stockout"],
    reasons: [
      { text: "2.4 days of cover against a 7-day lead time", figures: { daysOfCover: 2.4, leadTimeDays: 7 } },
    ],
  });

const flagP1 = (id: string) =>
  toolUse(id, "flag_products", {
    flagged: [{ productId: "p1", risks: ["stockout"], note: "2.4 days of cover, lead time 7" }],
  });

describe("the team on Claude", () => {
  it("runs the Monitor then the Analyst, turning a malformed call and an unknown tool into tool errors", async () => {
    const { llm, requests } = scriptedLlm([
      reply(
        { type: "text", text: "Checking both products." },
        toolUse("t1", "get_purchase_advice", { productId: "p1" }),
        toolUse("t2", "get_purchase_advice", { productId: "p2" }),
        toolUse("t3", "get_best_price", { productId: 42 }),
        toolUse("t4", "lookup_supplier", { productId: "p1" }),
      ),
      reply(flagP1("t5")),
      reply(
        toolUse("t6", "get_best_price", { productId: "p1" }),
        toolUse("t7", "get_demand_forecast", { productId: "p1", horizon: 4, unit: "week" }),
      ),
      reply(submitBuy("t8")),
    ]);
    const result = await runTeam({
      productIds: ["p1", "p2"],
      reads: fixtureReads({ p1: atRisk, p2: healthy }),
      llm,
      limits: defaultLimits,
    });

    expect(requests.map((request) => request.step)).toEqual([
      "llm monitor turn 1",
      "llm monitor turn 2",
      "llm analyst p1 turn 1",
      "llm analyst p1 turn 2",
    ]);
    const [advice1, advice2, malformed, unknown] = toolResults(requests[1]!.request);
    expect(advice1?.is_error).toBeUndefined();
    expect(JSON.parse(advice1!.content)).toMatchObject({ productId: "p1", daysOfCover: 2.4 });
    expect(advice2?.tool_use_id).toBe("t2");
    expect(malformed).toMatchObject({ tool_use_id: "t3", is_error: true });
    expect(malformed?.content).toMatch(
      /^invalid input for get_best_price: productId: Expected string, actual 42/,
    );
    expect(unknown).toMatchObject({ tool_use_id: "t4", is_error: true });
    expect(unknown?.content).toMatch(
      /^unknown tool "lookup_supplier"\. Available tools: get_demand_forecast, /,
    );

    expect(result.flagged).toEqual([
      { productId: "p1", risks: ["stockout"], note: "2.4 days of cover, lead time 7" },
    ]);
    expect(result.recommendations).toEqual([
      {
        productId: "p1",
        action: "buy_now",
        quantity: 68,
        source: { sourceId: 1, label: "shop-a" },
        unitPrice: { amount: "12.50", currency: "USD" },
        expectedCost: { amount: "850.00", currency: "USD" },
        risks: ["stockout"],
        reasons: [
          {
            text: "2.4 days of cover against a 7-day lead time",
            figures: { daysOfCover: 2.4, leadTimeDays: 7 },
          },
        ],
        decidedBy: "claude",
      },
    ]);
    expect(result.usage).toEqual({
      turns: 4,
      inputTokens: 400,
      outputTokens: 80,
      toolCalls: 10,
      toolErrors: 2,
      requestedToolCalls: 6,
    });
    expect(result.notes).toEqual([]);
  });

  it("starts the Monitor from a scan of numbers, sends the tools' JSON Schemas and returns tool results", async () => {
    const { llm, requests } = scriptedLlm([
      reply(toolUse("t1", "get_stock_level", { productId: "p1" })),
      reply(flagP1("t2")),
      reply(submitBuy("t3", null)),
    ]);
    await runTeam({
      productIds: ["p1"],
      reads: fixtureReads({ p1: { ...atRisk, stock: 12 } }),
      llm,
      limits: defaultLimits,
    });
    const first = requests[0]!.request;
    expect(first.tools.map((tool) => tool.name)).toEqual([
      "get_demand_forecast",
      "get_best_price",
      "get_stock_level",
      "get_purchase_advice",
      "flag_products",
    ]);
    expect(first.tools[0]?.input_schema).toMatchObject({ type: "object", required: ["productId"] });
    expect(first.tools[0]?.input_schema).not.toHaveProperty("$schema");
    const [heading, line] = String(first.messages[0]?.content).split("\n");
    expect(heading).toBe("Scan of 1 products (one JSON object per line):");
    expect(JSON.parse(line!)).toEqual({
      productId: "p1",
      stock: 12,
      leadTimeDays: 7,
      averageDailyDemand: 5,
      daysOfCover: 2.4,
      stockoutRisk: 0.01,
      reorderPoint: 45,
      orderUpTo: 80,
      bestPrice: { amount: "12.50", currency: "USD", availability: "in_stock" },
      priceHistory: { min: "12.00", max: "16.00", observations: 10 },
    });
    const second = requests[1]!.request;
    expect(second.messages[1]).toEqual({
      role: "assistant",
      content: [toolUse("t1", "get_stock_level", { productId: "p1" })],
    });
    expect(JSON.parse(toolResults(second)[0]!.content)).toEqual({
      productId: "p1",
      stock: 12,
      leadTimeDays: 7,
      unitCost: "13.0000",
      currency: "USD",
    });
  });

  it("refuses a recommendation naming a source it never saw, then accepts the corrected one", async () => {
    const { llm, requests } = scriptedLlm([
      reply(flagP1("t1")),
      reply(submitBuy("t2", 7)),
      reply(toolUse("t3", "get_best_price", { productId: "p1" })),
      reply(submitBuy("t4", 1)),
    ]);
    const result = await runTeam({
      productIds: ["p1"],
      reads: fixtureReads({ p1: atRisk }),
      llm,
      limits: defaultLimits,
    });
    expect(toolResults(requests[2]!.request)[0]).toMatchObject({ tool_use_id: "t2", is_error: true });
    expect(toolResults(requests[2]!.request)[0]?.content).toMatch(/sourceId 7 has no quote/);
    expect(result.recommendations[0]?.expectedCost).toEqual({ amount: "850.00", currency: "USD" });
  });

  it("prices a buy without a source from the purchase advice, reading it if the Analyst did not", async () => {
    const reads = fixtureReads({ p1: atRisk });
    const { llm } = scriptedLlm([reply(flagP1("t1")), reply(submitBuy("t2", null))]);
    const result = await runTeam({ productIds: ["p1"], reads, llm, limits: defaultLimits });
    expect(reads.calls).toEqual(["advice p1", "bestPrice p1"]);
    expect(result.recommendations[0]).toMatchObject({
      source: { sourceId: null, label: "unit cost" },
      unitPrice: { amount: "13.00", currency: "USD" },
      expectedCost: { amount: "884.00", currency: "USD" },
    });
  });

  it("reports products whose scan failed as unassessed, whatever the Monitor flags", async () => {
    const { llm, requests } = scriptedLlm([reply(toolUse("t1", "flag_products", { flagged: [] }))]);
    const result = await runTeam({
      productIds: ["p2", "p3"],
      reads: fixtureReads({ p2: healthy }),
      llm,
      limits: defaultLimits,
    });
    expect(String(requests[0]?.request.messages[0]?.content).split("\n")[2]).toBe(
      '{"productId":"p3","error":"404: no advice for product \\"p3\\""}',
    );
    expect(result.unassessed).toEqual([{ productId: "p3", reason: '404: no advice for product "p3"' }]);
    expect(result.recommendations).toEqual([]);
  });

  it("spends no LLM call when no product could be scanned", async () => {
    const { llm, requests } = scriptedLlm([]);
    const result = await runTeam({ productIds: ["p3"], reads: fixtureReads({}), llm, limits: defaultLimits });
    expect(requests).toEqual([]);
    expect(result.unassessed.map((entry) => entry.productId)).toEqual(["p3"]);
    expect(result.usage.turns).toBe(0);
  });

  it("rejects flags for products outside the analysis and tools asked about them", async () => {
    const { llm, requests } = scriptedLlm([
      reply(toolUse("t1", "get_purchase_advice", { productId: "elsewhere" })),
      reply(
        toolUse("t2", "flag_products", {
          flagged: [{ productId: "elsewhere", risks: ["overstock"], note: "" }],
        }),
      ),
      reply(toolUse("t3", "flag_products", { flagged: [] })),
    ]);
    const result = await runTeam({
      productIds: ["p1"],
      reads: fixtureReads({ p1: atRisk }),
      llm,
      limits: defaultLimits,
    });
    expect(toolResults(requests[1]!.request)[0]?.content).toBe(
      'product "elsewhere" is not part of this analysis; ask about: p1',
    );
    expect(toolResults(requests[2]!.request)[0]?.content).toBe(
      "invalid input for flag_products: not in this analysis: elsewhere",
    );
    expect(result.flagged).toEqual([]);
    expect(result.recommendations).toEqual([]);
  });
});

describe("limits", () => {
  it("stops at the turn limit and lets the rules finish the Monitor's and Analyst's work", async () => {
    const { llm, requests } = scriptedLlm([
      reply(toolUse("t1", "get_purchase_advice", { productId: "p1" })),
      reply(toolUse("t2", "get_best_price", { productId: "p1" })),
    ]);
    const result = await runTeam({
      productIds: ["p1", "p2"],
      reads: fixtureReads({ p1: atRisk, p2: healthy }),
      llm,
      limits: { ...defaultLimits, maxTurns: 2 },
    });
    expect(requests).toHaveLength(2);
    expect(result.usage.turns).toBe(2);
    expect(result.notes).toEqual([
      "Monitor: stopped before flag_products: turn limit reached (2 turns); the rules flagged the products instead.",
      "Analyst on p1: stopped before submit_recommendation: turn limit reached (2 turns); the rules decided instead.",
    ]);
    expect(result.recommendations).toMatchObject([
      { productId: "p1", action: "buy_now", decidedBy: "rules" },
    ]);
  });

  it("answers tool calls beyond the tool limit with an error asking for the final call", async () => {
    const { llm, requests } = scriptedLlm([
      reply(
        toolUse("t1", "get_purchase_advice", { productId: "p1" }),
        toolUse("t2", "get_best_price", { productId: "p1" }),
      ),
      reply(toolUse("t3", "flag_products", { flagged: [] })),
    ]);
    const result = await runTeam({
      productIds: ["p1"],
      reads: fixtureReads({ p1: atRisk }),
      llm,
      limits: { ...defaultLimits, maxToolCalls: 1 },
    });
    const [allowed, refused] = toolResults(requests[1]!.request);
    expect(allowed?.is_error).toBeUndefined();
    expect(refused).toMatchObject({
      is_error: true,
      content: "tool call limit reached (1 calls): call flag_products now with what you know",
    });
    expect(result.usage).toMatchObject({ toolCalls: 3, requestedToolCalls: 1 });
  });

  it("asks for no more output tokens than the budget has left and stops when too few remain", async () => {
    const { llm, requests } = scriptedLlm([
      {
        ...reply(toolUse("t1", "get_purchase_advice", { productId: "p1" })),
        usage: { inputTokens: 500, outputTokens: 100 },
      },
    ]);
    const result = await runTeam({
      productIds: ["p1"],
      reads: fixtureReads({ p1: atRisk }),
      llm,
      limits: { ...defaultLimits, maxTokens: 1_000 },
    });
    expect(requests[0]?.request.maxTokens).toBe(1_000);
    expect(requests).toHaveLength(1);
    expect(result.notes[0]).toBe(
      "Monitor: stopped before flag_products: token limit reached (600 of 1000 tokens used); the rules flagged the products instead.",
    );
  });

  it("never sends back an empty assistant turn", async () => {
    const { llm, requests } = scriptedLlm([reply(), reply(toolUse("t1", "flag_products", { flagged: [] }))]);
    await runTeam({ productIds: ["p2"], reads: fixtureReads({ p2: healthy }), llm, limits: defaultLimits });
    expect(requests[1]?.request.messages.map((message) => message.role)).toEqual(["user", "user"]);
  });

  it("gives up on a role that keeps answering without calling its final tool", async () => {
    const { llm, requests } = scriptedLlm([
      reply({ type: "text", text: "All fine." }),
      reply({ type: "text", text: "Really." }),
      reply({ type: "text", text: "Done." }),
    ]);
    const result = await runTeam({
      productIds: ["p2"],
      reads: fixtureReads({ p2: healthy }),
      llm,
      limits: defaultLimits,
    });
    expect(requests).toHaveLength(3);
    expect(requests[1]?.request.messages.at(-1)).toEqual({
      role: "user",
      content: "Finish by calling flag_products with your result now.",
    });
    expect(result.notes[0]).toMatch(/^Monitor: the model ended 3 turns without calling flag_products/);
  });
});

describe("the team offline", () => {
  it("flags by rules, lists products without data as unassessed, and reads each fact once", async () => {
    const reads = fixtureReads({ p1: atRisk, p2: healthy });
    const progress: string[] = [];
    const result = await runTeam({
      productIds: ["p1", "p2", "p3"],
      reads,
      llm: null,
      limits: defaultLimits,
      onProgress: (update) => progress.push(`${update.phase} ${update.analysed.length}`),
    });
    expect(result.flagged.map((flag) => flag.productId)).toEqual(["p1"]);
    expect(result.unassessed).toEqual([{ productId: "p3", reason: '404: no advice for product "p3"' }]);
    expect(result.recommendations).toMatchObject([
      { productId: "p1", action: "buy_now", quantity: 68, decidedBy: "rules" },
    ]);
    expect(reads.calls).toEqual([
      "advice p1",
      "bestPrice p1",
      "advice p2",
      "bestPrice p2",
      "advice p3",
      "forecast p1",
    ]);
    expect(result.usage).toMatchObject({ turns: 0, toolCalls: 6, toolErrors: 1, requestedToolCalls: 0 });
    expect(progress).toEqual(["monitoring 0", "analysing 0", "analysing 1"]);
  });
});
