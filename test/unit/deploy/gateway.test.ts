import { describe, expect, it } from "vitest";
import {
  authorize,
  clientHeader,
  cookieValue,
  ingressPath,
  parseIngressTarget,
  type IngressTarget,
} from "../../../services/edge/gateway.ts";
import { EdgeConfigError, isLoopbackHost, startEdge } from "../../../services/edge/server.ts";
import { stockStatus } from "../../../services/edge/views.ts";
import type { AdviceResponse } from "../../../shared/catalog/insights.ts";
import { connectDatabase } from "../../../shared/db/connection.ts";

const apiKey = "k".repeat(24);

function target(path: string): IngressTarget {
  const parsed = parseIngressTarget(path);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.target;
}

describe("parseIngressTarget", () => {
  it("reads a keyed handler and marks the product object's shared reads as read-only", () => {
    expect(target("product/WIDGET-1/advice")).toEqual({
      service: "product",
      key: "WIDGET-1",
      handler: "advice",
      send: false,
      readOnly: true,
    });
    expect(target("product/WIDGET-1/upsert").readOnly).toBe(false);
    expect(target("ingestion/progress").readOnly).toBe(true);
    expect(target("ingestion/upload")).toMatchObject({ key: null, handler: "upload", readOnly: false });
  });

  it("treats every one-way /send call as a change, even of a read handler", () => {
    expect(target("analysis/a-1/run/send")).toMatchObject({ handler: "run", send: true, readOnly: false });
    expect(target("product/p1/status/send").readOnly).toBe(false);
  });

  it("refuses unknown services, a missing or extra key, and malformed handler names", () => {
    for (const path of [
      "restate/invocation/inv_1/attach",
      "product/advice",
      "ingestion/x/upload",
      "product/p1/up-sert",
      "product//status",
    ]) {
      const parsed = parseIngressTarget(path);
      expect(parsed.ok, path).toBe(false);
    }
  });

  it("answers malformed percent-encoding with 400, not as an unknown handler", () => {
    expect(parseIngressTarget("product/%E0%A4%A/status")).toMatchObject({ ok: false, status: 400 });
  });

  it("decodes the key and encodes it again for the ingress", () => {
    const parsed = target("product/a%20b%2Fc/status");
    expect(parsed.key).toBe("a b/c");
    expect(ingressPath(parsed)).toBe("/product/a%20b%2Fc/status");
    expect(ingressPath(target("analysis/a-1/run/send"))).toBe("/analysis/a-1/run/send");
  });
});

describe("authorize", () => {
  const upsert = target("product/p1/upsert");

  it("without an API key, allows same-origin changes sent as JSON or with the client header", () => {
    const host = "127.0.0.1:3000";
    const json = "application/json; charset=utf-8";
    expect(authorize(upsert, { host, "content-type": json }, undefined)).toEqual({ allowed: true });
    expect(authorize(upsert, { host, origin: `http://${host}`, "content-type": json }, undefined)).toEqual({
      allowed: true,
    });
    expect(
      authorize(upsert, { host, "content-type": "text/csv", [clientHeader]: "dashboard" }, undefined),
    ).toEqual({ allowed: true });
    expect(
      authorize(target("product/p1/forecast"), { host, origin: "http://evil.example" }, undefined),
    ).toEqual({
      allowed: true,
    });
  });

  it("without an API key, refuses a cross-site change (a form on another page) with 403", () => {
    const host = "127.0.0.1:3000";
    for (const headers of [
      { host, origin: "http://evil.example", "content-type": "application/x-www-form-urlencoded" },
      { host, origin: "http://evil.example", "content-type": "application/json" },
      { host, origin: "null", "content-type": "application/json" },
      { host, "sec-fetch-site": "cross-site", "content-type": "application/json" },
      { host, "content-type": "text/plain" },
      { host, "content-type": "multipart/form-data; boundary=x" },
      { host },
    ]) {
      expect(authorize(upsert, headers, undefined), JSON.stringify(headers)).toMatchObject({
        allowed: false,
        status: 403,
      });
    }
  });

  it("allows read-only handlers without credentials", () => {
    expect(authorize(target("product/p1/forecast"), {}, apiKey)).toEqual({ allowed: true });
  });

  it("refuses a change without the key, or with a wrong one, with 401", () => {
    expect(authorize(upsert, {}, apiKey)).toMatchObject({ allowed: false, status: 401 });
    expect(authorize(upsert, { authorization: `Bearer ${apiKey}x` }, apiKey)).toMatchObject({
      allowed: false,
    });
    expect(authorize(upsert, { authorization: apiKey }, apiKey)).toMatchObject({ allowed: false });
  });

  it("accepts the key as a bearer token", () => {
    expect(authorize(upsert, { authorization: `Bearer ${apiKey}` }, apiKey)).toEqual({ allowed: true });
  });

  it("accepts the session cookie from the same origin only", () => {
    const cookie = `theme=dark; procure_api_key=${apiKey}`;
    expect(authorize(upsert, { cookie, host: "shop.example:3000" }, apiKey)).toEqual({ allowed: true });
    expect(
      authorize(upsert, { cookie, host: "shop.example:3000", origin: "http://shop.example:3000" }, apiKey),
    ).toEqual({ allowed: true });
    expect(
      authorize(upsert, { cookie, host: "shop.example:3000", origin: "https://evil.example" }, apiKey),
    ).toMatchObject({ allowed: false, status: 401 });
  });
});

describe("cookieValue", () => {
  it("finds a cookie among others and decodes it; a malformed value counts as absent", () => {
    expect(cookieValue("a=1; procure_api_key=x%2By; b=2", "procure_api_key")).toBe("x+y");
    expect(cookieValue("a=1", "procure_api_key")).toBeUndefined();
    expect(cookieValue("procure_api_key=%E0%A4%A", "procure_api_key")).toBeUndefined();
  });
});

describe("isLoopbackHost", () => {
  it("accepts only loopback addresses", () => {
    for (const host of ["127.0.0.1", "127.1.2.3", "::1", "localhost"])
      expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ["0.0.0.0", "::", "10.0.0.5", "example.com", "127.0.0.1.example.com"])
      expect(isLoopbackHost(host), host).toBe(false);
  });
});

describe("startEdge", () => {
  it("refuses to listen beyond loopback without PROCURE_API_KEY", async () => {
    const db = connectDatabase("postgres://nobody@127.0.0.1:1/none", { maxConnections: 1 });
    const config = {
      PROCURE_API_KEY: undefined,
      RESTATE_INGRESS_URL: "http://127.0.0.1:1",
      SALES_EARLIEST_DATE: "1990-01-01",
      SALES_MAX_DAYS_AHEAD: 1,
    };
    await expect(startEdge({ config, db }, { host: "0.0.0.0", port: 0 })).rejects.toThrow(EdgeConfigError);
    await expect(startEdge({ config, db }, { host: "0.0.0.0", port: 0 })).rejects.toThrow(/PROCURE_API_KEY/);
    await db.end();
  });
});

describe("stockStatus", () => {
  const advice = (shouldReorder: boolean) => ({ shouldReorder }) as AdviceResponse;

  it("is out of stock at zero whatever the advice, else follows the advice, else has no forecast", () => {
    expect(stockStatus(0, advice(false))).toBe("out_of_stock");
    expect(stockStatus(5, advice(true))).toBe("reorder");
    expect(stockStatus(5, advice(false))).toBe("ok");
    expect(stockStatus(5, null)).toBe("no_forecast");
  });
});
