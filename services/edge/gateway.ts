/**
 * The authenticated gateway to the Restate ingress: `/api/ingress/<service>/<key?>/<handler>[/send]`
 * names one handler of a known service (services/registry.ts). Read-only handlers are open; every
 * other call needs the API key (a bearer token, or the dashboard's session cookie from the same
 * origin) — or, without a key, must come from the same origin with a JSON body or the client header,
 * so a cross-site form cannot change data. Only the request's body and a few content headers travel
 * on to Restate — never the key or cookies.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { serviceEntry, serviceNames } from "../registry.ts";

const handlerName = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

export interface IngressTarget {
  readonly service: string;
  readonly key: string | null;
  readonly handler: string;
  /** A one-way call (`/send`): Restate answers with the invocation id at once. */
  readonly send: boolean;
  readonly readOnly: boolean;
}

export type ParsedTarget =
  | { readonly ok: true; readonly target: IngressTarget }
  | { readonly ok: false; readonly status: 400 | 404; readonly message: string };

/** Parses the path after `/api/ingress/` into a handler of a known service. */
export function parseIngressTarget(path: string): ParsedTarget {
  let segments: string[];
  try {
    segments = path.split("/").map((segment) => decodeURIComponent(segment));
  } catch {
    return { ok: false, status: 400, message: "the path is not valid percent-encoding" };
  }
  const send = segments.at(-1) === "send";
  if (send) segments = segments.slice(0, -1);
  const [service, ...rest] = segments;
  const definition = service === undefined ? undefined : serviceEntry(service);
  if (service === undefined || definition === undefined)
    return {
      ok: false,
      status: 404,
      message: `unknown service "${service ?? ""}": use one of ${serviceNames.join(", ")}`,
    };
  const expected = definition.keyed ? 2 : 1;
  if (rest.length !== expected)
    return {
      ok: false,
      status: 404,
      message: definition.keyed
        ? `${service} calls look like /api/ingress/${service}/<key>/<handler>`
        : `${service} calls look like /api/ingress/${service}/<handler>`,
    };
  const key = definition.keyed ? rest[0]! : null;
  const handler = rest[expected - 1]!;
  if (key === "") return { ok: false, status: 404, message: "the key is empty" };
  if (!handlerName.test(handler))
    return { ok: false, status: 404, message: `"${handler}" is not a handler name` };
  return {
    ok: true,
    target: { service, key, handler, send, readOnly: !send && definition.readOnly.includes(handler) },
  };
}

/** The ingress URL path of a target. */
export function ingressPath(target: IngressTarget): string {
  const parts = [target.service, ...(target.key === null ? [] : [target.key]), target.handler];
  if (target.send) parts.push("send");
  return `/${parts.map((part) => encodeURIComponent(part)).join("/")}`;
}

export const sessionCookie = "procure_api_key";

function digest(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}

/** Compares in constant time (over digests, so lengths leak nothing either). */
export function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const separator = part.indexOf("=");
    if (separator > 0 && part.slice(0, separator).trim() === name) {
      try {
        return decodeURIComponent(part.slice(separator + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  return match?.[1];
}

/** Whether a cross-site page sent the request: its Origin names another host than the one it reached. */
function crossOrigin(headers: IncomingHttpHeaders): boolean {
  const origin = headers.origin;
  if (origin === undefined) return false;
  try {
    return new URL(origin).host !== headers.host;
  } catch {
    return true;
  }
}

export type Credential = "bearer" | "cookie" | "none";

/** Which valid credential the request carries. A cross-origin cookie never counts. */
export function credentialOf(headers: IncomingHttpHeaders, apiKey: string): Credential {
  const bearer = bearerToken(headers.authorization);
  if (bearer !== undefined && sameSecret(bearer, apiKey)) return "bearer";
  const cookie = cookieValue(headers.cookie, sessionCookie);
  if (cookie !== undefined && !crossOrigin(headers) && sameSecret(cookie, apiKey)) return "cookie";
  return "none";
}

export type Authorization =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly status: 401 | 403; readonly message: string };

/**
 * The header scripts send with a non-JSON body (an upload) to show they are not a cross-site form:
 * a browser sends it cross-origin only after a CORS preflight, which the edge never grants.
 */
export const clientHeader = "x-procure-client";

/** Without a key, a call that changes data must come from this origin, as JSON or with the client header. */
function sameOriginCall(headers: IncomingHttpHeaders): Authorization {
  const site = headers["sec-fetch-site"];
  if (crossOrigin(headers) || site === "cross-site" || site === "same-site")
    return {
      allowed: false,
      status: 403,
      message:
        "calls from another site that change data are refused: use the dashboard's own page or a script",
    };
  const mediaType = (headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  if (mediaType !== "application/json" && headers[clientHeader] === undefined)
    return {
      allowed: false,
      status: 403,
      message: `calls that change data need a JSON body (content-type: application/json) or the header "${clientHeader}: <your client's name>"`,
    };
  return { allowed: true };
}

/** Read-only calls are open; any other call needs the key when one is configured, else the same origin. */
export function authorize(
  target: IngressTarget,
  headers: IncomingHttpHeaders,
  apiKey: string | undefined,
): Authorization {
  if (target.readOnly) return { allowed: true };
  if (apiKey === undefined) return sameOriginCall(headers);
  if (credentialOf(headers, apiKey) !== "none") return { allowed: true };
  return {
    allowed: false,
    status: 401,
    message: `${target.service}/${target.handler} changes data: send "Authorization: Bearer <PROCURE_API_KEY>" or sign in on the dashboard`,
  };
}

/** Request headers forwarded to the ingress; credentials and hop-by-hop headers stay behind. */
export const forwardedRequestHeaders = ["content-type", "accept", "idempotency-key", "x-filename"] as const;

/** Response headers passed back from the ingress. */
export const forwardedResponseHeaders = ["content-type", "x-restate-id"] as const;
