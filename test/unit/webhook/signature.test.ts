import { describe, expect, it } from "vitest";
import { signWebhook, verifyWebhook } from "../../../shared/webhook/signature.ts";

describe("signed webhooks", () => {
  const body = JSON.stringify({ order: "PO-1", lines: 2 });
  const headers = signWebhook("s3cret", "msg-1", 1_700_000_000, body);
  const received = {
    id: headers["webhook-id"],
    timestamp: headers["webhook-timestamp"],
    signature: headers["webhook-signature"],
  };

  it("signs the same message the same way on every retry", () => {
    expect(signWebhook("s3cret", "msg-1", 1_700_000_000, body)).toEqual(headers);
    expect(headers["idempotency-key"]).toBe("msg-1");
    expect(headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
  });

  it("verifies with the shared secret and rejects a changed body, id or secret", () => {
    expect(verifyWebhook("s3cret", received, body)).toBe(true);
    expect(verifyWebhook("s3cret", received, body.replace("PO-1", "PO-2"))).toBe(false);
    expect(verifyWebhook("s3cret", { ...received, id: "msg-2" }, body)).toBe(false);
    expect(verifyWebhook("other", received, body)).toBe(false);
  });
});
