/**
 * Signed webhook messages, in the Standard Webhooks form: the receiver gets `webhook-id` (also
 * sent as `Idempotency-Key`, so a retried delivery is recognisable), `webhook-timestamp` (Unix
 * seconds) and `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`. Pure: the
 * same message id, time and body always sign the same way, so a journaled delivery can be resent.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export interface SignedWebhookHeaders {
  readonly "content-type": "application/json";
  readonly "webhook-id": string;
  readonly "webhook-timestamp": string;
  readonly "webhook-signature": string;
  readonly "idempotency-key": string;
}

function signatureOf(secret: string, messageId: string, timestampSeconds: number, body: string): string {
  return createHmac("sha256", secret).update(`${messageId}.${timestampSeconds}.${body}`).digest("base64");
}

/** The headers of one webhook message; `body` must be sent byte for byte as signed. */
export function signWebhook(
  secret: string,
  messageId: string,
  timestampSeconds: number,
  body: string,
): SignedWebhookHeaders {
  return {
    "content-type": "application/json",
    "webhook-id": messageId,
    "webhook-timestamp": String(timestampSeconds),
    "webhook-signature": `v1,${signatureOf(secret, messageId, timestampSeconds, body)}`,
    "idempotency-key": messageId,
  };
}

/** Checks a received message's signature (what a receiver does; used by tests and documentation). */
export function verifyWebhook(
  secret: string,
  headers: { readonly id: string; readonly timestamp: string; readonly signature: string },
  body: string,
): boolean {
  const expected = Buffer.from(`v1,${signatureOf(secret, headers.id, Number(headers.timestamp), body)}`);
  return headers.signature.split(" ").some((candidate) => {
    const given = Buffer.from(candidate);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
