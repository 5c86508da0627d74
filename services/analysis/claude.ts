/**
 * One Claude Messages API call through `@anthropic-ai/sdk` (ANTHROPIC_API_KEY, ANTHROPIC_MODEL,
 * ANTHROPIC_BASE_URL), reduced to what the agents journal: text and tool_use blocks, the stop
 * reason and token usage. A request Claude refuses as invalid is a terminal error (not retried).
 */
import Anthropic from "@anthropic-ai/sdk";
import * as restate from "@restatedev/restate-sdk";
import type { AssistantBlock, LlmRequest, LlmResponse } from "../../shared/agent/llm.ts";

/** Statuses that will not get better by asking again. */
const permanentStatuses = new Set([400, 401, 403, 404, 413, 422]);

export type ClaudeCall = (request: LlmRequest) => Promise<LlmResponse>;

export interface ClaudeSettings {
  readonly apiKey: string;
  readonly model: string;
  readonly baseUrl: string | undefined;
}

export function createClaudeCall(settings: ClaudeSettings): ClaudeCall {
  const client = new Anthropic({
    apiKey: settings.apiKey,
    ...(settings.baseUrl !== undefined && { baseURL: settings.baseUrl }),
    maxRetries: 0,
    timeout: 120_000,
  });
  return async (request) => {
    try {
      const message = await client.messages.create({
        model: settings.model,
        max_tokens: request.maxTokens,
        system: request.system,
        tools: request.tools.map((tool) => ({ ...tool, input_schema: { ...tool.input_schema } })),
        messages: request.messages.map((message) =>
          message.role === "user"
            ? {
                role: "user",
                content:
                  typeof message.content === "string"
                    ? message.content
                    : message.content.map((block) => ({ ...block })),
              }
            : { role: "assistant", content: message.content.map((block) => ({ ...block })) },
        ),
      });
      const content: AssistantBlock[] = message.content.flatMap((block): AssistantBlock[] => {
        if (block.type === "text") return [{ type: "text", text: block.text }];
        if (block.type === "tool_use")
          return [{ type: "tool_use", id: block.id, name: block.name, input: block.input }];
        return [];
      });
      return {
        content,
        stopReason: message.stop_reason,
        usage: { inputTokens: message.usage.input_tokens, outputTokens: message.usage.output_tokens },
      };
    } catch (error) {
      if (
        error instanceof Anthropic.APIError &&
        typeof error.status === "number" &&
        permanentStatuses.has(error.status)
      )
        throw new restate.TerminalError(`Claude refused the request (${error.status}): ${error.message}`, {
          errorCode: 502,
        });
      throw error;
    }
  };
}
