/**
 * The slice of the Anthropic Messages API the agents use, as plain JSON types: a request with
 * tools, a response reduced to its text and tool_use blocks plus token usage. An `LlmDriver`
 * sends one request; the workflow's driver journals each call as a named step, tests script it.
 */

export interface ToolDefinition {
  readonly name: string;
  readonly description: string;
  readonly input_schema: { readonly type: "object"; readonly [key: string]: unknown };
}

export interface TextBlock {
  readonly type: "text";
  readonly text: string;
}

export interface ToolUseBlock {
  readonly type: "tool_use";
  readonly id: string;
  readonly name: string;
  readonly input: unknown;
}

export interface ToolResultBlock {
  readonly type: "tool_result";
  readonly tool_use_id: string;
  readonly content: string;
  readonly is_error?: boolean;
}

export type AssistantBlock = TextBlock | ToolUseBlock;

export type LlmMessage =
  | { readonly role: "user"; readonly content: string | readonly (TextBlock | ToolResultBlock)[] }
  | { readonly role: "assistant"; readonly content: readonly AssistantBlock[] };

export interface LlmRequest {
  readonly system: string;
  readonly messages: readonly LlmMessage[];
  readonly tools: readonly ToolDefinition[];
  readonly maxTokens: number;
}

export interface TokenUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
}

export interface LlmResponse {
  readonly content: readonly AssistantBlock[];
  readonly stopReason: string | null;
  readonly usage: TokenUsage;
}

/** Sends one request; `step` names the call (e.g. "llm monitor turn 3") for journaling and logs. */
export type LlmDriver = (request: LlmRequest, step: string) => Promise<LlmResponse>;
