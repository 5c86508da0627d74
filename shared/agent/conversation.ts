/**
 * One agent conversation: the tool-use loop of a role (Monitor or Analyst) on an `LlmDriver`.
 * Each turn is one LLM call named `llm <label> turn <n>`; each tool_use is decoded with its
 * Schema and run through the product tools. An unknown tool, bad input, a product outside the
 * analysis or an exhausted tool budget is a tool_result with is_error the model sees. The loop
 * ends when the role's final tool is called with input it accepts, or with the reason it stopped.
 */
import { Schema } from "effect";
import type { Budget } from "./budget.ts";
import type { LlmDriver, LlmMessage, ToolResultBlock, ToolUseBlock } from "./llm.ts";
import {
  dataToolDefinitions,
  decodeDataToolCall,
  decodeWith,
  toolDefinition,
  type DataToolResult,
  type Outcome,
  type ProductTools,
} from "./tools.ts";

export interface FinalTool<A, I, R> {
  readonly name: string;
  readonly description: string;
  readonly input: Schema.Schema<A, I, never>;
  /** Checks the decoded input against what the conversation saw; an error goes back to the model. */
  readonly accept: (input: A) => Outcome<R> | Promise<Outcome<R>>;
}

export interface ConversationSpec<A, I, R> {
  /** Names the LLM steps: `llm ${label} turn ${n}`. */
  readonly label: string;
  readonly system: string;
  readonly prompt: string;
  readonly finalTool: FinalTool<A, I, R>;
  /** Products the tools may be asked about. */
  readonly products: ReadonlySet<string>;
  /** Sees every successful data tool call (e.g. to remember the prices quoted). */
  readonly onToolResult?: (result: DataToolResult) => void;
}

export interface ConversationContext {
  readonly llm: LlmDriver;
  readonly tools: ProductTools;
  readonly budget: Budget;
}

/** How often the model is reminded to call the final tool when it ends a turn without tools. */
const maxReminders = 2;

function errorResult(toolUse: ToolUseBlock, message: string): ToolResultBlock {
  return { type: "tool_result", tool_use_id: toolUse.id, content: message, is_error: true };
}

async function runDataTool(
  toolUse: ToolUseBlock,
  spec: Pick<ConversationSpec<unknown, unknown, unknown>, "products" | "onToolResult"> & {
    readonly finalToolName: string;
  },
  context: ConversationContext,
): Promise<ToolResultBlock> {
  const decoded = decodeDataToolCall(toolUse.name, toolUse.input);
  if (!decoded.ok) {
    context.budget.recordToolCall("error");
    return errorResult(
      toolUse,
      `${decoded.error}. Available tools: ${[...dataToolDefinitions.map((tool) => tool.name), spec.finalToolName].join(", ")}`,
    );
  }
  const call = decoded.value;
  if (!spec.products.has(call.input.productId)) {
    context.budget.recordToolCall("error");
    return errorResult(
      toolUse,
      `product "${call.input.productId}" is not part of this analysis; ask about: ${[...spec.products].join(", ")}`,
    );
  }
  const outcome = await context.tools.run(call);
  if (!outcome.ok) return errorResult(toolUse, outcome.error);
  spec.onToolResult?.(outcome.value);
  return { type: "tool_result", tool_use_id: toolUse.id, content: JSON.stringify(outcome.value.value) };
}

export async function runConversation<A, I, R>(
  spec: ConversationSpec<A, I, R>,
  context: ConversationContext,
): Promise<Outcome<R>> {
  const { budget } = context;
  const tools = [
    ...dataToolDefinitions,
    toolDefinition(spec.finalTool.name, spec.finalTool.description, spec.finalTool.input),
  ];
  const messages: LlmMessage[] = [{ role: "user", content: spec.prompt }];
  let reminders = 0;
  for (let turn = 1; ; turn += 1) {
    const refusal = budget.turnRefusal();
    if (refusal !== null) return { ok: false, error: `stopped before ${spec.finalTool.name}: ${refusal}` };
    const response = await context.llm(
      { system: spec.system, messages: [...messages], tools, maxTokens: budget.nextTurnMaxTokens() },
      `llm ${spec.label} turn ${turn}`,
    );
    budget.recordTurn(response.usage);
    // The API refuses an empty assistant turn; the reminder below then follows the previous user turn.
    if (response.content.length > 0) messages.push({ role: "assistant", content: response.content });

    const toolUses = response.content.filter((block): block is ToolUseBlock => block.type === "tool_use");
    if (toolUses.length === 0) {
      if (reminders >= maxReminders)
        return {
          ok: false,
          error: `the model ended ${reminders + 1} turns without calling ${spec.finalTool.name}`,
        };
      reminders += 1;
      messages.push({
        role: "user",
        content: `Finish by calling ${spec.finalTool.name} with your result now.`,
      });
      continue;
    }

    const results: ToolResultBlock[] = [];
    for (const toolUse of toolUses) {
      if (toolUse.name === spec.finalTool.name) {
        const decoded = decodeWith(spec.finalTool.input, toolUse.input);
        const accepted = decoded.ok ? await spec.finalTool.accept(decoded.value) : decoded;
        if (accepted.ok) return accepted;
        budget.recordToolCall("error");
        results.push(errorResult(toolUse, `invalid input for ${spec.finalTool.name}: ${accepted.error}`));
        continue;
      }
      const limit = budget.toolCallRefusal();
      if (limit !== null) {
        results.push(errorResult(toolUse, `${limit}: call ${spec.finalTool.name} now with what you know`));
        continue;
      }
      budget.recordRequestedToolCall();
      results.push(await runDataTool(toolUse, { ...spec, finalToolName: spec.finalTool.name }, context));
    }
    messages.push({ role: "user", content: results });
  }
}
