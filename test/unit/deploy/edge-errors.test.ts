import { describe, expect, it } from "vitest";
import { clientMessage, errorBody, upstreamErrorBody } from "../../../services/edge/errors.ts";

const restateFailure = JSON.stringify({
  message:
    "[500] Error: duplicate key value violates unique constraint\n    at ErrorResponse (file:///srv/procure/node_modules/postgres/src/connection.js:794:26)\n    at handle (/srv/procure/shared/db/sales.ts:42:7)\n    ... 3 lines matching cause stack trace ...",
});

describe("errors to clients", () => {
  it("carry a message and a code for the status", () => {
    expect(errorBody(404, 'product "x" does not exist')).toEqual({
      error: 'product "x" does not exist',
      code: "not_found",
    });
    expect(errorBody(413, "too large").code).toBe("payload_too_large");
    expect(errorBody(599, "odd").code).toBe("internal_error");
  });

  it("never carry a stack trace or a source path, also when Restate's answer had them", () => {
    const body = upstreamErrorBody(500, restateFailure);
    expect(body.code).toBe("internal_error");
    expect(body.error).toContain("duplicate key value violates unique constraint");
    expect(body.error).not.toMatch(/\bat\s|\.ts:|\.js:|\/srv\//);
    expect(clientMessage("failed in /home/me/procure/services/ingestion.ts:12:3")).toBe("failed in <source>");
  });

  it("keep a plain-text answer as the message, and name the status when there is none", () => {
    expect(upstreamErrorBody(400, "bad input")).toEqual({ error: "bad input", code: "bad_request" });
    expect(upstreamErrorBody(503, "")).toEqual({
      error: "the call failed with status 503",
      code: "unavailable",
    });
  });
});
