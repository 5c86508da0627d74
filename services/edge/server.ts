/**
 * The HTTP edge started by `npm start` on DASHBOARD_HOST:DASHBOARD_PORT: the dashboard's static
 * page, its read-only JSON API under `/api/`, the sign-in that sets the session cookie, and the
 * authenticated gateway `/api/ingress/...` to the Restate ingress, which itself stays private.
 */
import { readdir, readFile } from "node:fs/promises";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import { extname, join } from "node:path";
import { Transform, type Readable } from "node:stream";
import { Either, Schema } from "effect";
import { request as ingressRequest } from "undici";
import type { Config } from "../../shared/config/index.ts";
import type { Database } from "../../shared/db/connection.ts";
import { pendingMigrations } from "../../shared/db/migrate.ts";
import { listen, type RunningServer } from "../runtime/listen.ts";
import { log } from "../../shared/runtime/log.ts";
import { productListFilters } from "./list-filters.ts";
import { createDashboardApi, type DashboardApi } from "./api.ts";
import { receiveUpload } from "./upload.ts";
import { errorBody, upstreamErrorBody } from "./errors.ts";
import {
  authorize,
  credentialOf,
  forwardedRequestHeaders,
  forwardedResponseHeaders,
  ingressPath,
  parseIngressTarget,
  sameSecret,
  sessionCookie,
} from "./gateway.ts";

export interface EdgeDependencies {
  readonly config: Pick<
    Config,
    "PROCURE_API_KEY" | "RESTATE_INGRESS_URL" | "SALES_EARLIEST_DATE" | "SALES_MAX_DAYS_AHEAD"
  >;
  readonly db: Database;
}

/** Refusing to start: the dashboard would be reachable from other machines without an API key. */
export class EdgeConfigError extends Error {
  override readonly name = "EdgeConfigError";
}

const publicDir = join(import.meta.dirname, "public");
const contentTypes: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
};
const securityHeaders = {
  "content-security-policy":
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
};

const maxPageSize = 100;
/** The largest body passed to the ingress: Restate's `ingress.request-size-limit` in restate.toml. */
export const maxIngressBodyBytes = 64 * 1024 * 1024;
const maxSessionBody = 4096;
const SessionRequest = Schema.Struct({ apiKey: Schema.String.pipe(Schema.maxLength(1024)) });

export function isLoopbackHost(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** A client mistake in a read request: answered with its status and message. */
class RequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  response.writeHead(status, {
    ...securityHeaders,
    "content-type": "application/json; charset=utf-8",
    "cache-control": "no-store",
    ...headers,
  });
  response.end(JSON.stringify(body));
}

function sendError(response: ServerResponse, status: number, message: string) {
  sendJson(response, status, errorBody(status, message));
}

async function loadStaticFiles(): Promise<StaticFiles> {
  const files = new Map<string, { type: string; body: Buffer }>();
  for (const name of await readdir(publicDir)) {
    const type = contentTypes[extname(name)];
    if (type === undefined) continue;
    const body = await readFile(join(publicDir, name));
    files.set(name === "index.html" ? "/" : `/${name}`, { type, body });
  }
  return files;
}

function integerParameter(params: URLSearchParams, name: string, fallback: number, max: number): number {
  const text = params.get(name);
  if (text === null || text === "") return fallback;
  if (!/^\d+$/.test(text) || Number(text) > max)
    throw new RequestError(400, `query parameter "${name}" must be a whole number from 0 to ${max}`);
  return Number(text);
}

async function readSmallBody(request: IncomingMessage, limit: number): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new RequestError(413, `the request body is larger than ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function isHttps(request: IncomingMessage): boolean {
  return request.headers["x-forwarded-proto"] === "https";
}

function sessionCookieHeader(request: IncomingMessage, value: string, maxAgeSeconds: number): string {
  const attributes = [
    `${sessionCookie}=${encodeURIComponent(value)}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Strict",
    `Max-Age=${maxAgeSeconds}`,
  ];
  if (isHttps(request)) attributes.push("Secure");
  return attributes.join("; ");
}

async function handleSession(request: IncomingMessage, response: ServerResponse, apiKey: string | undefined) {
  if (request.method === "GET") {
    const authenticated = apiKey === undefined || credentialOf(request.headers, apiKey) !== "none";
    return sendJson(response, 200, { authRequired: apiKey !== undefined, authenticated });
  }
  if (request.method === "DELETE")
    return sendJson(
      response,
      200,
      { authenticated: false },
      { "set-cookie": sessionCookieHeader(request, "", 0) },
    );
  if (request.method !== "POST") return sendError(response, 405, "use GET, POST or DELETE on /api/session");
  if (apiKey === undefined) return sendJson(response, 200, { authRequired: false, authenticated: true });
  let body: unknown;
  try {
    body = JSON.parse(await readSmallBody(request, maxSessionBody));
  } catch (error) {
    if (error instanceof RequestError) throw error;
    throw new RequestError(400, 'send a JSON body such as {"apiKey": "..."}');
  }
  const decoded = Schema.decodeUnknownEither(SessionRequest)(body);
  if (Either.isLeft(decoded)) throw new RequestError(400, 'send a JSON body such as {"apiKey": "..."}');
  if (!sameSecret(decoded.right.apiKey, apiKey)) {
    log.warn("dashboard sign-in refused", { remote: request.socket.remoteAddress });
    return sendError(response, 401, "wrong API key");
  }
  return sendJson(
    response,
    200,
    { authRequired: true, authenticated: true },
    { "set-cookie": sessionCookieHeader(request, apiKey, 7 * 24 * 3600) },
  );
}

/** A path segment, decoded; malformed percent-encoding is the client's mistake (400). */
function decodedSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new RequestError(400, "the path is not valid percent-encoding");
  }
}

/** The request body, refused with a 413 once it passes `limit` bytes (announced or streamed). */
function boundedBody(request: IncomingMessage, limit: number): Readable {
  const announced = Number(request.headers["content-length"] ?? 0);
  if (announced > limit) throw new RequestError(413, `the request body is larger than ${limit} bytes`);
  let size = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (size > limit) done(new RequestError(413, `the request body is larger than ${limit} bytes`));
      else done(null, chunk);
    },
  });
  request.once("error", (error) => counter.destroy(error));
  return request.pipe(counter);
}

/** The RequestError that ended a forwarded call, if the cause was the client's request body. */
function requestErrorIn(error: unknown): RequestError | undefined {
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    if (cause instanceof RequestError) return cause;
  }
  return undefined;
}

async function forwardToIngress(exchange: Exchange, path: string) {
  const { request, response, deps } = exchange;
  const parsed = parseIngressTarget(path);
  if (!parsed.ok) return sendError(response, parsed.status, parsed.message);
  const { target } = parsed;
  const decision = authorize(target, request.headers, deps.config.PROCURE_API_KEY);
  if (!decision.allowed) {
    log.warn("ingress call refused", {
      service: target.service,
      handler: target.handler,
      remote: request.socket.remoteAddress,
      origin: request.headers.origin,
    });
    return sendError(response, decision.status, decision.message);
  }
  const headers: Record<string, string> = {};
  for (const name of forwardedRequestHeaders) {
    const value = request.headers[name];
    if (typeof value === "string") headers[name] = value;
  }
  const aborted = new AbortController();
  response.once("close", () => aborted.abort());
  const upstream = await ingressRequest(new URL(ingressPath(target), deps.config.RESTATE_INGRESS_URL), {
    method: "POST",
    headers,
    body: boundedBody(request, maxIngressBodyBytes),
    signal: aborted.signal,
  }).catch((error: unknown) => {
    throw requestErrorIn(error) ?? error;
  });
  const passed: Record<string, string> = {};
  for (const name of forwardedResponseHeaders) {
    const value = upstream.headers[name];
    if (typeof value === "string") passed[name] = value;
  }
  if (upstream.statusCode >= 400) {
    const body = upstreamErrorBody(upstream.statusCode, (await upstream.body.text()).slice(0, 64 * 1024));
    sendJson(
      response,
      upstream.statusCode,
      body,
      "x-restate-id" in passed ? { "x-restate-id": passed["x-restate-id"] } : {},
    );
  } else {
    response.writeHead(upstream.statusCode, { ...securityHeaders, "cache-control": "no-store", ...passed });
    for await (const chunk of upstream.body) response.write(chunk);
    response.end();
  }
  if (!target.readOnly)
    log.info("ingress call", {
      service: target.service,
      handler: target.handler,
      status: upstream.statusCode,
    });
}

/** One request as the routes see it. */
interface Exchange {
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  readonly url: URL;
  readonly deps: EdgeDependencies;
  readonly api: DashboardApi;
}

interface Route {
  readonly path: RegExp;
  /** Allowed methods; any other is a 405 with this route's hint. */
  readonly methods: readonly string[] | "any";
  readonly hint?: string;
  /** Called with the path's captured groups, still percent-encoded. */
  readonly handle: (exchange: Exchange, ...captured: string[]) => Promise<void> | void;
}

/** GET /api/<collection>?limit=N: the latest items under the collection's name. */
function listRoute(
  collection: string,
  defaultLimit: number,
  list: (api: DashboardApi, limit: number) => Promise<unknown>,
): Route {
  return {
    path: new RegExp(`^/api/${collection}$`),
    methods: ["GET"],
    handle: async ({ response, url, api }) =>
      sendJson(response, 200, {
        [collection]: await list(api, integerParameter(url.searchParams, "limit", defaultLimit, maxPageSize)),
      }),
  };
}

/** GET /api/<collection>/<id>: one item, or a 404 naming it. */
function itemRoute(
  collection: string,
  what: string,
  find: (api: DashboardApi, id: string) => Promise<unknown>,
): Route {
  return {
    path: new RegExp(`^/api/${collection}/([^/]+)$`),
    methods: ["GET"],
    handle: async ({ response, api }, encodedId) => {
      const id = decodedSegment(encodedId);
      const found = await find(api, id);
      if (found === undefined) return sendError(response, 404, `${what} "${id}" does not exist`);
      sendJson(response, 200, found);
    },
  };
}

/** Every path the edge answers besides its static files, first match wins. */
const routes: readonly Route[] = [
  { path: /^\/healthz$/, methods: "any", handle: ({ response }) => sendJson(response, 200, { ok: true }) },
  {
    path: /^\/healthz\/database$/,
    methods: "any",
    handle: async ({ response, deps }) => sendJson(response, 200, await databaseHealth(deps.db)),
  },
  {
    path: /^\/api\/ingress\/(.*)$/,
    methods: ["POST"],
    hint: "ingress calls are POST requests",
    handle: (exchange, path) => forwardToIngress(exchange, path),
  },
  {
    path: /^\/api\/session$/,
    methods: ["GET", "POST", "DELETE"],
    hint: "use GET, POST or DELETE on /api/session",
    handle: ({ request, response, deps }) => handleSession(request, response, deps.config.PROCURE_API_KEY),
  },
  {
    path: /^\/api\/upload$/,
    methods: ["POST"],
    hint: "uploads are POST requests with a text/csv body",
    handle: async ({ request, response, deps }) => {
      const reply = await receiveUpload(request, deps);
      if (reply.status === 200) sendJson(response, 200, reply.body);
      else sendError(response, reply.status, reply.error);
    },
  },
  {
    path: /^\/api\/products$/,
    methods: ["GET"],
    handle: async ({ response, url, api }) => {
      const search = url.searchParams.get("search")?.trim().slice(0, 100);
      const filters = productListFilters(url.searchParams);
      if (typeof filters === "string") return sendError(response, 400, filters);
      sendJson(
        response,
        200,
        await api.products({
          ...(search ? { search } : {}),
          ...filters,
          limit: integerParameter(url.searchParams, "limit", 25, maxPageSize),
          offset: integerParameter(url.searchParams, "offset", 0, 1_000_000),
        }),
      );
    },
  },
  listRoute("analyses", 10, (api, limit) => api.analyses(limit)),
  itemRoute("products", "product", (api, id) => api.product(id)),
  listRoute("orders", 50, (api, limit) => api.orders(limit)),
  itemRoute("orders", "order", (api, id) => api.order(id)),
  itemRoute("analyses", "analysis", (api, id) => api.analysis(id)),
];

type StaticFiles = ReadonlyMap<string, { readonly type: string; readonly body: Buffer }>;

async function route(exchange: Exchange, files: StaticFiles): Promise<void> {
  const { request, response, url } = exchange;
  const method = request.method ?? "GET";
  for (const candidate of routes) {
    const match = candidate.path.exec(url.pathname);
    if (match === null) continue;
    if (candidate.methods !== "any" && !candidate.methods.includes(method))
      return sendError(response, 405, candidate.hint ?? `${url.pathname} is read-only: use GET`);
    return candidate.handle(exchange, ...match.slice(1).map((group) => group ?? ""));
  }
  if (url.pathname.startsWith("/api/")) return sendError(response, 404, `no API at ${url.pathname}`);
  const file = files.get(url.pathname);
  if (file === undefined || (method !== "GET" && method !== "HEAD"))
    return sendError(response, 404, `nothing at ${url.pathname}`);
  response.writeHead(200, { ...securityHeaders, "content-type": file.type, "cache-control": "no-cache" });
  response.end(method === "HEAD" ? undefined : file.body);
}

/** What `procure doctor` asks when the database is the embedded one (it serves this process only). */
export interface DatabaseHealth {
  readonly reachable: boolean;
  readonly pendingMigrations: readonly string[];
  readonly error: string | null;
}

async function databaseHealth(db: Database): Promise<DatabaseHealth> {
  try {
    return { reachable: true, pendingMigrations: await pendingMigrations(db), error: null };
  } catch (error) {
    return {
      reachable: false,
      pendingMigrations: [],
      error: error instanceof Error ? error.message : String(error),
    };
  }
}

export async function startEdge(
  deps: EdgeDependencies,
  address: { readonly host: string; readonly port: number },
): Promise<RunningServer> {
  if (deps.config.PROCURE_API_KEY === undefined && !isLoopbackHost(address.host))
    throw new EdgeConfigError(
      `DASHBOARD_HOST is ${address.host} but PROCURE_API_KEY is unset: anyone who can reach the dashboard could change data. Set PROCURE_API_KEY (16+ characters) or bind DASHBOARD_HOST to 127.0.0.1.`,
    );
  const files = await loadStaticFiles();
  const api = createDashboardApi({ db: deps.db, ingressUrl: deps.config.RESTATE_INGRESS_URL });

  // Uploads stream for as long as data keeps coming (an idle upload times out: see upload.ts).
  const server = http.createServer({ requestTimeout: 0 }, (request, response) => {
    let url: URL;
    try {
      url = new URL(request.url ?? "/", "http://edge");
    } catch {
      return sendError(response, 400, "the request path is not a valid URL");
    }
    route({ request, response, url, deps, api }, files).catch((error: unknown) => {
      if (error instanceof RequestError) {
        // Read what the client still sends, so it sees the answer rather than a broken pipe.
        request.unpipe().resume();
        if (!response.headersSent) sendError(response, error.status, error.message);
        else response.destroy();
        return;
      }
      log.error("dashboard request failed", {
        method: request.method,
        path: url.pathname,
        error: error instanceof Error ? error.message : String(error),
      });
      if (!response.headersSent) sendError(response, 502, "the request failed: see the service log");
      else response.destroy();
    });
  });
  return listen(server, address, () => server.closeAllConnections());
}
