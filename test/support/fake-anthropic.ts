/**
 * A fake Anthropic Messages API on loopback (POST /v1/messages) for the analysis tests. Each
 * request is keyed like the workflow's LLM steps — "monitor turn 2", "analyst p1 turn 1" — from
 * its system prompt, its product and how many assistant turns it carries, and answered from a
 * script by that key. Every request is recorded; one key can be held unanswered (to kill the
 * service while a call is in flight).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { AssistantBlock, LlmMessage, ToolResultBlock } from "../../shared/agent/llm.ts";

export interface ScriptedReply {
  readonly content: readonly AssistantBlock[];
  readonly usage?: { readonly input_tokens: number; readonly output_tokens: number };
}

export interface RecordedRequest {
  readonly key: string;
  readonly apiKey: string | undefined;
  readonly model: string;
  readonly maxTokens: number;
  readonly toolNames: readonly string[];
  readonly messages: readonly LlmMessage[];
  /** "answered", "unscripted" (answered 400) or "abandoned" (held, and the client went away). */
  outcome: "pending" | "answered" | "unscripted" | "abandoned";
}

interface MessagesBody {
  readonly model: string;
  readonly max_tokens: number;
  readonly system: string;
  readonly tools: readonly { readonly name: string }[];
  readonly messages: readonly LlmMessage[];
}

export interface FakeAnthropic {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Replaces the script and forgets the recorded requests. */
  script(replies: Record<string, ScriptedReply>): void;
  /** Leaves the next request with this key unanswered; resolves when it arrives. */
  hold(key: string): Promise<void>;
  /** Keys of the requests with the given outcome, in arrival order. */
  keys(outcome?: RecordedRequest["outcome"]): string[];
  close(): Promise<void>;
}

/** The key of a request: role (and product for the Analyst) plus the turn it asks for. */
export function requestKey(body: MessagesBody): string {
  const turn = body.messages.filter((message) => message.role === "assistant").length + 1;
  if (body.system.includes("You are the Monitor")) return `monitor turn ${turn}`;
  const first = body.messages[0];
  const product = typeof first?.content === "string" ? /^Product: (\S+)/.exec(first.content)?.[1] : undefined;
  return `analyst ${product ?? "?"} turn ${turn}`;
}

/** The tool_result blocks a request sends back (in its last user message). */
export function sentToolResults(request: RecordedRequest): ToolResultBlock[] {
  const last = request.messages.at(-1);
  if (last?.role !== "user" || typeof last.content === "string") return [];
  return last.content.filter((block): block is ToolResultBlock => block.type === "tool_result");
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
}

export async function startFakeAnthropic(): Promise<FakeAnthropic> {
  let replies: Record<string, ScriptedReply> = {};
  const requests: RecordedRequest[] = [];
  const holds = new Map<string, () => void>();
  let messageCount = 0;

  const server = createServer((request, response) => {
    void (async () => {
      if (request.method !== "POST" || request.url?.split("?")[0] !== "/v1/messages") {
        sendJson(response, 404, { type: "error", error: { type: "not_found_error", message: "not found" } });
        return;
      }
      const body = JSON.parse(await readBody(request)) as MessagesBody;
      const apiKey = request.headers["x-api-key"] ?? request.headers.authorization?.replace(/^Bearer /, "");
      const recorded: RecordedRequest = {
        key: requestKey(body),
        apiKey: typeof apiKey === "string" ? apiKey : undefined,
        model: body.model,
        maxTokens: body.max_tokens,
        toolNames: body.tools.map((tool) => tool.name),
        messages: body.messages,
        outcome: "pending",
      };
      requests.push(recorded);
      const arrived = holds.get(recorded.key);
      if (arrived !== undefined) {
        holds.delete(recorded.key);
        response.once("close", () => (recorded.outcome = "abandoned"));
        arrived();
        return;
      }
      const reply = replies[recorded.key];
      if (reply === undefined) {
        recorded.outcome = "unscripted";
        sendJson(response, 400, {
          type: "error",
          error: { type: "invalid_request_error", message: `no scripted reply for "${recorded.key}"` },
        });
        return;
      }
      recorded.outcome = "answered";
      messageCount += 1;
      sendJson(response, 200, {
        id: `msg_fake_${messageCount}`,
        type: "message",
        role: "assistant",
        model: body.model,
        content: reply.content,
        stop_reason: reply.content.some((block) => block.type === "tool_use") ? "tool_use" : "end_turn",
        stop_sequence: null,
        usage: reply.usage ?? { input_tokens: 1_000, output_tokens: 100 },
      });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    script(next) {
      replies = next;
      requests.length = 0;
    },
    hold: (key) => new Promise<void>((resolve) => holds.set(key, resolve)),
    keys: (outcome) =>
      requests
        .filter((request) => outcome === undefined || request.outcome === outcome)
        .map((request) => request.key),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
