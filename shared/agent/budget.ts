/**
 * Per-analysis bounds on the LLM agents: turns (LLM calls), tokens (input + output) and the tool
 * calls the LLM requests, with the accounting that enforces them. Reads the team makes itself
 * (the Monitor's scan, the rules) are counted but bounded only by the number of products.
 */
import { Schema } from "effect";
import type { TokenUsage } from "./llm.ts";

export const AnalysisLimits = Schema.Struct({
  maxTurns: Schema.Number.pipe(Schema.int(), Schema.between(1, 200)),
  maxTokens: Schema.Number.pipe(Schema.int(), Schema.between(1_000, 5_000_000)),
  maxToolCalls: Schema.Number.pipe(Schema.int(), Schema.between(0, 1_000)),
});
export type AnalysisLimits = typeof AnalysisLimits.Type;

export const defaultLimits: AnalysisLimits = { maxTurns: 40, maxTokens: 400_000, maxToolCalls: 150 };

/** Output tokens asked for per LLM call, and the least worth starting a turn with. */
export const maxTokensPerTurn = 4_096;
const minTokensPerTurn = 512;

export const AnalysisUsage = Schema.Struct({
  turns: Schema.Number,
  inputTokens: Schema.Number,
  outputTokens: Schema.Number,
  /** Every product read, by the LLM or the team. */
  toolCalls: Schema.Number,
  toolErrors: Schema.Number,
  /** Tool calls the LLM asked for: what maxToolCalls bounds. */
  requestedToolCalls: Schema.Number,
});
export type AnalysisUsage = typeof AnalysisUsage.Type;

export class Budget {
  private turns = 0;
  private inputTokens = 0;
  private outputTokens = 0;
  private toolCalls = 0;
  private toolErrors = 0;
  private requestedToolCalls = 0;

  constructor(readonly limits: AnalysisLimits) {}

  /** Why no further LLM turn may start, or null when one may. */
  turnRefusal(): string | null {
    if (this.turns >= this.limits.maxTurns) return `turn limit reached (${this.limits.maxTurns} turns)`;
    if (this.remainingTokens() < minTokensPerTurn)
      return `token limit reached (${this.tokensUsed()} of ${this.limits.maxTokens} tokens used)`;
    return null;
  }

  /** The max_tokens to request for the next turn: never more than what is left of the budget. */
  nextTurnMaxTokens(): number {
    return Math.min(maxTokensPerTurn, this.remainingTokens());
  }

  recordTurn(usage: TokenUsage): void {
    this.turns += 1;
    this.inputTokens += usage.inputTokens;
    this.outputTokens += usage.outputTokens;
  }

  /** Why the LLM may not make another tool call, or null when it may. */
  toolCallRefusal(): string | null {
    return this.requestedToolCalls >= this.limits.maxToolCalls
      ? `tool call limit reached (${this.limits.maxToolCalls} calls)`
      : null;
  }

  recordRequestedToolCall(): void {
    this.requestedToolCalls += 1;
  }

  recordToolCall(outcome: "ok" | "error"): void {
    this.toolCalls += 1;
    if (outcome === "error") this.toolErrors += 1;
  }

  usage(): AnalysisUsage {
    return {
      turns: this.turns,
      inputTokens: this.inputTokens,
      outputTokens: this.outputTokens,
      toolCalls: this.toolCalls,
      toolErrors: this.toolErrors,
      requestedToolCalls: this.requestedToolCalls,
    };
  }

  private tokensUsed(): number {
    return this.inputTokens + this.outputTokens;
  }

  private remainingTokens(): number {
    return Math.max(0, this.limits.maxTokens - this.tokensUsed());
  }
}
