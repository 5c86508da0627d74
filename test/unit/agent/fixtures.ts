/** Builders of tool responses for the agent tests: a healthy product unless overridden. */
import type {
  AdviceResponse,
  BestPriceResponse,
  ForecastResponse,
  PriceQuote,
} from "../../../shared/catalog/insights.ts";
import type {
  LlmDriver,
  LlmRequest,
  LlmResponse,
  ToolResultBlock,
  ToolUseBlock,
} from "../../../shared/agent/llm.ts";
import type { Outcome, ProductReads } from "../../../shared/agent/tools.ts";

export function advice(overrides: Partial<AdviceResponse> = {}): AdviceResponse {
  return {
    productId: "p1",
    stock: 100,
    onOrder: 0,
    leadTimeDays: 7,
    reviewPeriodDays: 7,
    serviceLevel: 0.95,
    averageDailyDemand: 5,
    leadTimeDemand: { mean: 35, atServiceLevel: 45 },
    safetyStock: 10,
    reorderPoint: 45,
    orderUpTo: 80,
    orderQuantity: 0,
    economicOrderQuantity: null,
    daysOfCover: 20,
    stockoutRisk: 0.01,
    shouldReorder: false,
    unitPrice: { amount: "13.0000", currency: "USD", sourceId: null, label: "unit cost" },
    expectedCost: null,
    abc: null,
    xyz: null,
    reasons: [],
    ...overrides,
  };
}

export function quote(overrides: Partial<PriceQuote> = {}): PriceQuote {
  return {
    sourceId: 1,
    label: "shop-a",
    amount: "12.5000",
    currency: "USD",
    availability: "in_stock",
    collectedAt: "2026-11-25T10:00:00.000Z",
    ageHours: 2,
    ...overrides,
  };
}

export function bestPrice(
  best: PriceQuote | null = quote(),
  history: BestPriceResponse["history"] = {
    currency: "USD",
    min: "12.0000",
    max: "16.0000",
    last: "14.0000",
    observations: 10,
    since: "2026-10-01T00:00:00.000Z",
  },
): BestPriceResponse {
  return {
    productId: "p1",
    best,
    sources:
      best === null
        ? []
        : [{ sourceId: best.sourceId, label: best.label, active: true, lastStatus: "ok", lastQuote: best }],
    history,
  };
}

export function forecast(overrides: Partial<ForecastResponse> = {}): ForecastResponse {
  const point = {
    periodStart: "2026-11-30",
    days: 7,
    mean: 35,
    p05: 20,
    p10: 24,
    p50: 35,
    p90: 46,
    p95: 50,
    lo80: 24,
    hi80: 46,
  };
  return {
    productId: "p1",
    unit: "week",
    method: "ets",
    seriesClass: "smooth",
    trainedAt: "2026-11-25T09:00:00.000Z",
    trainingWindow: { start: "2024-01-01", end: "2026-11-22" },
    accuracy: { mase: 0.8, rmsse: 0.9, bias: 0.01, coverage80: 0.79 },
    points: [point, { ...point, periodStart: "2026-12-07" }],
    total: { mean: 70, p10: 55, p50: 70, p90: 86 },
    ...overrides,
  };
}

export interface ProductFixture {
  readonly advice?: AdviceResponse;
  readonly bestPrice?: BestPriceResponse;
  readonly forecast?: ForecastResponse;
  readonly stock?: number;
}

/** Product reads over fixtures; a product or read without a fixture answers 404. Records each call. */
export function fixtureReads(products: Record<string, ProductFixture>): ProductReads & { calls: string[] } {
  const calls: string[] = [];
  const answer = (productId: string, read: string, value: unknown): Promise<Outcome<unknown>> => {
    calls.push(`${read} ${productId}`);
    return Promise.resolve(
      value === undefined
        ? { ok: false, error: `404: no ${read} for product "${productId}"` }
        : { ok: true, value },
    );
  };
  return {
    calls,
    forecast: (id) => answer(id, "forecast", products[id]?.forecast),
    bestPrice: (id) => answer(id, "bestPrice", products[id]?.bestPrice),
    advice: (id) => answer(id, "advice", products[id]?.advice),
    status: (id) =>
      answer(
        id,
        "status",
        products[id] && {
          product: {
            id,
            sku: id,
            name: `Product ${id}`,
            category: null,
            subCategory: null,
            stock: products[id].stock ?? 0,
            leadTimeDays: 7,
            unitCost: "13.0000",
            currency: "USD",
          },
          revision: 1,
        },
      ),
  };
}

export function toolUse(id: string, name: string, input: unknown): ToolUseBlock {
  return { type: "tool_use", id, name, input };
}

export function reply(...content: LlmResponse["content"]): LlmResponse {
  return {
    content,
    stopReason: content.some((block) => block.type === "tool_use") ? "tool_use" : "end_turn",
    usage: { inputTokens: 100, outputTokens: 20 },
  };
}

/** An LLM driver that answers from a script, recording each request and step name. */
export function scriptedLlm(script: readonly LlmResponse[]) {
  const requests: { step: string; request: LlmRequest }[] = [];
  const llm: LlmDriver = (request, step) => {
    const response = script[requests.length];
    requests.push({ step, request });
    if (response === undefined) throw new Error(`the script has no response for ${step}`);
    return Promise.resolve(response);
  };
  return { llm, requests };
}

/** The tool_result blocks of the user message sent with a request. */
export function toolResults(request: LlmRequest): ToolResultBlock[] {
  const last = request.messages.at(-1);
  if (last?.role !== "user" || typeof last.content === "string") return [];
  return last.content.filter((block): block is ToolResultBlock => block.type === "tool_result");
}
