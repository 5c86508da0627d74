/**
 * Delivers one signed webhook message over HTTP. A 2xx answer is delivered; a 4xx other than
 * 408/429 is a permanent rejection (a typed error the caller maps to a terminal failure); anything
 * else — network error, timeout, 408, 429, 5xx — throws a plain error so the surrounding `ctx.run`
 * retries it durably. The message id and timestamp come from the caller's journal, so every retry
 * sends the same signed message and the receiver can drop duplicates by `webhook-id`.
 */
import { request } from "undici";
import { signWebhook } from "../../shared/webhook/signature.ts";

export class WebhookRejectedError extends Error {
  override readonly name = "WebhookRejectedError";
}

export interface WebhookMessage {
  readonly url: string;
  readonly secret: string;
  readonly messageId: string;
  readonly timestampSeconds: number;
  readonly body: string;
}

export interface WebhookDelivery {
  readonly status: number;
}

const TIMEOUT_MS = 10_000;

export async function deliverWebhook(message: WebhookMessage): Promise<WebhookDelivery> {
  const response = await request(message.url, {
    method: "POST",
    headers: {
      ...signWebhook(message.secret, message.messageId, message.timestampSeconds, message.body),
      "user-agent": "procure-webhook/1",
    },
    body: message.body,
    headersTimeout: TIMEOUT_MS,
    bodyTimeout: TIMEOUT_MS,
  });
  await response.body.dump();
  const status = response.statusCode;
  if (status >= 200 && status < 300) return { status };
  if (status >= 400 && status < 500 && status !== 408 && status !== 429) {
    throw new WebhookRejectedError(
      `webhook ${message.url} rejected message ${message.messageId}: HTTP ${status}`,
    );
  }
  throw new Error(
    `webhook ${message.url} answered HTTP ${status} for message ${message.messageId}; will retry`,
  );
}
