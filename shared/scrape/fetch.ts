/**
 * A polite, defensive page fetcher on undici: robots.txt (RFC 9309, cached per origin), one request at a
 * time per host with a minimum interval, an honest User-Agent, connect/headers/body timeouts, a body size
 * cap, bounded retries (network errors, 429, 5xx) with jittered backoff honouring Retry-After, conditional
 * requests, and manual redirects (at most 5) where every hop's address is checked after DNS resolution.
 */
import { pipeline, type Readable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { createBrotliDecompress, createGunzip, createInflate } from "node:zlib";
import robotsParserModule from "robots-parser";
import { Agent, buildConnector, request } from "undici";
import { AddressPolicy, ForbiddenAddressError, guardedLookup, validateSourceUrl } from "./address.ts";
import { backoffDelayMs, parseRetryAfter } from "./backoff.ts";
import { HostGate } from "./host-gate.ts";

export interface FetcherOptions {
  readonly userAgent: string;
  readonly minHostIntervalMs: number;
  readonly connectTimeoutMs: number;
  readonly headersTimeoutMs: number;
  /** Limit for the whole body download, and for any pause between chunks. */
  readonly bodyTimeoutMs: number;
  readonly maxBodyBytes: number;
  /** Retries after the first attempt, for network errors, 429 and 5xx. */
  readonly maxRetries: number;
  /** Host names, IP addresses or CIDR ranges that may be private or loopback (empty: none). */
  readonly allowPrivateHosts: readonly string[];
  readonly robotsCacheTtlMs: number;
  /** How long an unreachable robots.txt (5xx, network error) keeps its origin disallowed. Default 10 min. */
  readonly robotsErrorTtlMs?: number;
  /** Backoff base; attempt n waits up to base · 2^n. Default 500 ms. */
  readonly retryBaseDelayMs?: number;
  /** Longest wait before a retry; a longer Retry-After ends the retries. Default 30 s. */
  readonly maxRetryDelayMs?: number;
  /** Upper bound on a robots.txt Crawl-delay we honour as the host interval. Default 60 s. */
  readonly maxCrawlDelayMs?: number;
  readonly acceptLanguage?: string;
}

export const DEFAULT_FETCHER_OPTIONS = {
  minHostIntervalMs: 2000,
  connectTimeoutMs: 10_000,
  headersTimeoutMs: 15_000,
  bodyTimeoutMs: 30_000,
  maxBodyBytes: 5 * 1024 * 1024,
  maxRetries: 3,
  robotsCacheTtlMs: 24 * 60 * 60 * 1000,
} as const satisfies Partial<FetcherOptions>;

export interface Validators {
  readonly etag?: string;
  readonly lastModified?: string;
}

export type FetchOutcome =
  | {
      readonly kind: "ok";
      readonly status: number;
      readonly body: string;
      readonly finalUrl: string;
      readonly etag?: string;
      readonly lastModified?: string;
      readonly contentType?: string;
    }
  | { readonly kind: "not_modified" }
  | { readonly kind: "robots_disallowed"; readonly reason: string }
  | { readonly kind: "http_error"; readonly status: number; readonly retryAfterMs?: number }
  | { readonly kind: "network_error"; readonly message: string }
  | { readonly kind: "forbidden_address"; readonly message: string }
  | { readonly kind: "too_large" }
  | { readonly kind: "timeout" };

export interface Fetcher {
  fetchPage(url: string, validators?: Validators): Promise<FetchOutcome>;
  close(): Promise<void>;
}

type Headers = Readonly<Record<string, string | string[] | undefined>>;

type Exchange =
  | { readonly kind: "response"; readonly status: number; readonly headers: Headers; readonly body?: string }
  | { readonly kind: "network_error"; readonly message: string; readonly retryable: boolean }
  | { readonly kind: "forbidden_address"; readonly message: string }
  | { readonly kind: "too_large" }
  | { readonly kind: "timeout" };

type RobotsRules =
  | { readonly kind: "allow_all" }
  | { readonly kind: "rules"; readonly robot: ReturnType<typeof robotsParser> }
  | { readonly kind: "unavailable"; readonly outcome: FetchOutcome };

/** robots-parser's typings declare an ES default export; at runtime the CommonJS module is the function. */
const robotsParser = robotsParserModule as unknown as typeof robotsParserModule.default;

const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);
const ROBOTS_MAX_BYTES = 500 * 1024;
const ROBOTS_CACHE_PRUNE_SIZE = 1024;
const DISCARDED_BODY_LIMIT = 64 * 1024;
const NOT_RETRYABLE_CODES: ReadonlySet<string> = new Set([
  "ENOTFOUND",
  "ERR_INVALID_URL",
  "UND_ERR_INVALID_ARG",
  "ERR_UNSUPPORTED_CONTENT_ENCODING",
]);
const TIMEOUT_CODES: ReadonlySet<string> = new Set([
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "ETIMEDOUT",
]);

class BodyTooLargeError extends Error {
  override readonly name = "BodyTooLargeError";
}

class UnsupportedEncodingError extends Error {
  override readonly name = "UnsupportedEncodingError";
  readonly code = "ERR_UNSUPPORTED_CONTENT_ENCODING";
}

class HeadersDeadlineError extends Error {
  override readonly name = "HeadersDeadlineError";
  readonly code = "UND_ERR_HEADERS_TIMEOUT";
}

class BodyDeadlineError extends Error {
  override readonly name = "BodyDeadlineError";
  readonly code = "UND_ERR_BODY_TIMEOUT";
}

function header(headers: Headers, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let current = error; current !== undefined && chain.length < 8;) {
    chain.push(current);
    current = current instanceof Error ? current.cause : undefined;
  }
  return chain;
}

function errorCode(error: unknown): string | undefined {
  return typeof error === "object" && error !== null && "code" in error && typeof error.code === "string"
    ? error.code
    : undefined;
}

function classifyError(error: unknown): Exchange {
  const chain = causes(error);
  const forbidden = chain.find((item) => item instanceof ForbiddenAddressError);
  if (forbidden instanceof ForbiddenAddressError)
    return { kind: "forbidden_address", message: forbidden.message };
  if (chain.some((item) => item instanceof BodyTooLargeError)) return { kind: "too_large" };
  const codes = chain.map(errorCode).filter((code): code is string => code !== undefined);
  if (codes.some((code) => TIMEOUT_CODES.has(code))) return { kind: "timeout" };
  const message = chain
    .map((item) => (item instanceof Error ? item.message : String(item)))
    .filter((text) => text !== "")
    .join(": ");
  return {
    kind: "network_error",
    message: message || "network error",
    retryable: !codes.some((code) => NOT_RETRYABLE_CODES.has(code)),
  };
}

function decompressed(body: Readable, encoding: string | undefined): Readable {
  const name = (encoding ?? "identity").trim().toLowerCase();
  const decoder =
    name === "gzip" || name === "x-gzip"
      ? createGunzip()
      : name === "deflate"
        ? createInflate()
        : name === "br"
          ? createBrotliDecompress()
          : undefined;
  if (name !== "identity" && decoder === undefined)
    throw new UnsupportedEncodingError(`unsupported content-encoding "${name}"`);
  return decoder === undefined ? body : pipeline(body, decoder, () => undefined);
}

function decodeText(bytes: Buffer, contentType: string | undefined): string {
  const declared =
    /charset=["']?([\w-]+)/i.exec(contentType ?? "")?.[1] ??
    /<meta[^>]+charset=["']?([\w-]+)/i.exec(bytes.subarray(0, 1024).toString("latin1"))?.[1];
  try {
    return new TextDecoder(declared ?? "utf-8").decode(bytes);
  } catch {
    return new TextDecoder("utf-8").decode(bytes);
  }
}

/** Creates a fetcher; call `close()` to release its connections. */
export function createFetcher(options: FetcherOptions): Fetcher {
  const policy = new AddressPolicy(options.allowPrivateHosts);
  const agent = new Agent({
    connect: (connection, callback) => {
      const port = Number(connection.port) || (connection.protocol === "https:" ? 443 : 80);
      buildConnector({ timeout: options.connectTimeoutMs, lookup: guardedLookup(policy, port) })(
        connection,
        callback,
      );
    },
    headersTimeout: options.headersTimeoutMs,
    bodyTimeout: options.bodyTimeoutMs,
    connections: 4,
  });
  const gate = new HostGate(options.minHostIntervalMs);
  const robotsCache = new Map<string, { readonly expiresAt: number; readonly rules: Promise<RobotsRules> }>();
  const baseDelayMs = options.retryBaseDelayMs ?? 500;
  const maxRetryDelayMs = options.maxRetryDelayMs ?? 30_000;
  const robotsErrorTtlMs = options.robotsErrorTtlMs ?? Math.min(options.robotsCacheTtlMs, 10 * 60 * 1000);
  const maxCrawlDelayMs = options.maxCrawlDelayMs ?? 60_000;

  async function readBody(
    body: Readable,
    headers: Headers,
    limit: number,
    truncate: boolean,
  ): Promise<string> {
    const declaredLength = Number(header(headers, "content-length"));
    if (!truncate && !header(headers, "content-encoding") && declaredLength > limit) {
      body.destroy();
      throw new BodyTooLargeError();
    }
    const deadline = setTimeout(
      () => body.destroy(new BodyDeadlineError("body not received in time")),
      options.bodyTimeoutMs,
    );
    try {
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of decompressed(body, header(headers, "content-encoding"))) {
        const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
        size += bytes.length;
        if (size > limit) {
          body.destroy();
          if (!truncate) throw new BodyTooLargeError();
          chunks.push(bytes.subarray(0, bytes.length - (size - limit)));
          break;
        }
        chunks.push(bytes);
      }
      return decodeText(Buffer.concat(chunks), header(headers, "content-type"));
    } finally {
      clearTimeout(deadline);
    }
  }

  function exchange(url: URL, requestHeaders: Record<string, string>, bodyLimit: number, truncate: boolean) {
    return gate.run(url.hostname, async (): Promise<Exchange> => {
      try {
        const controller = new AbortController();
        const deadline = setTimeout(
          () => controller.abort(new HeadersDeadlineError("no response headers in time")),
          options.connectTimeoutMs + options.headersTimeoutMs,
        );
        const response = await request(url, {
          method: "GET",
          dispatcher: agent,
          headers: requestHeaders,
          signal: controller.signal,
        }).finally(() => clearTimeout(deadline));
        const headers = response.headers;
        if (response.statusCode < 200 || response.statusCode >= 300) {
          await response.body.dump({ limit: DISCARDED_BODY_LIMIT });
          return { kind: "response", status: response.statusCode, headers };
        }
        const body = await readBody(response.body, headers, bodyLimit, truncate);
        return { kind: "response", status: response.statusCode, headers, body };
      } catch (error) {
        return classifyError(error);
      }
    });
  }

  function baseHeaders(): Record<string, string> {
    return {
      "user-agent": options.userAgent,
      accept: "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8",
      "accept-encoding": "gzip, deflate, br",
      ...(options.acceptLanguage ? { "accept-language": options.acceptLanguage } : {}),
    };
  }

  function checkHop(url: string): URL | FetchOutcome {
    const check = validateSourceUrl(url, policy);
    return check.valid ? check.url : { kind: "forbidden_address", message: check.error };
  }

  async function exchangeWithRetries(url: URL, headers: Record<string, string>): Promise<Exchange> {
    for (let attempt = 0; ; attempt += 1) {
      const result = await exchange(url, headers, options.maxBodyBytes, false);
      const retryable =
        result.kind === "network_error"
          ? result.retryable
          : result.kind === "response" && (result.status === 429 || result.status >= 500);
      if (!retryable || attempt >= options.maxRetries) return result;
      const retryAfterMs =
        result.kind === "response"
          ? parseRetryAfter(header(result.headers, "retry-after"), Date.now())
          : undefined;
      if (retryAfterMs !== undefined && retryAfterMs > maxRetryDelayMs) return result;
      const delayMs = retryAfterMs ?? backoffDelayMs(attempt, baseDelayMs, maxRetryDelayMs);
      gate.deferUntil(url.hostname, Date.now() + delayMs);
      await sleep(delayMs);
    }
  }

  function robotsUnavailable(result: Exchange): RobotsRules {
    const outcome: FetchOutcome =
      result.kind === "response"
        ? {
            kind: "robots_disallowed",
            reason: `robots.txt unavailable (HTTP ${result.status}), so all paths are disallowed`,
          }
        : result.kind === "network_error"
          ? { kind: "network_error", message: `robots.txt unreachable: ${result.message}` }
          : result.kind === "too_large"
            ? { kind: "robots_disallowed", reason: "robots.txt unreadable" }
            : result;
    return { kind: "unavailable", outcome };
  }

  async function loadRobots(origin: string): Promise<RobotsRules> {
    const robotsUrl = `${origin}/robots.txt`;
    let target = robotsUrl;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop += 1) {
      const url = checkHop(target);
      if (!(url instanceof URL)) return { kind: "unavailable", outcome: url };
      const result = await exchange(
        url,
        { ...baseHeaders(), accept: "text/plain,*/*;q=0.5" },
        ROBOTS_MAX_BYTES,
        true,
      );
      if (result.kind !== "response") return robotsUnavailable(result);
      const location = header(result.headers, "location");
      if (REDIRECT_STATUSES.has(result.status) && location) {
        target = URL.canParse(location, url.href) ? new URL(location, url).href : location;
        continue;
      }
      if (result.status >= 200 && result.status < 300) {
        const robot = robotsParser(robotsUrl, result.body ?? "");
        const crawlDelaySeconds = robot.getCrawlDelay(options.userAgent);
        if (crawlDelaySeconds !== undefined) {
          gate.setInterval(new URL(origin).hostname, Math.min(crawlDelaySeconds * 1000, maxCrawlDelayMs));
        }
        return { kind: "rules", robot };
      }
      const clientError = result.status >= 400 && result.status < 500 && result.status !== 429;
      return clientError ? { kind: "allow_all" } : robotsUnavailable(result);
    }
    return {
      kind: "unavailable",
      outcome: { kind: "robots_disallowed", reason: "robots.txt redirects too often" },
    };
  }

  /** Undefined when robots.txt allows `url`, else the outcome to report instead of fetching it. */
  async function robotsVerdict(url: URL): Promise<FetchOutcome | undefined> {
    const now = Date.now();
    const cached = robotsCache.get(url.origin);
    let rules: Promise<RobotsRules>;
    if (cached && cached.expiresAt > now) {
      rules = cached.rules;
    } else {
      rules = loadRobots(url.origin);
      if (robotsCache.size >= ROBOTS_CACHE_PRUNE_SIZE) {
        for (const [origin, entry] of robotsCache) if (entry.expiresAt <= now) robotsCache.delete(origin);
      }
      robotsCache.set(url.origin, { expiresAt: now + options.robotsCacheTtlMs, rules });
      void rules.then((loaded) => {
        if (loaded.kind === "unavailable") {
          robotsCache.set(url.origin, { expiresAt: Date.now() + robotsErrorTtlMs, rules });
        }
      });
    }
    const loaded = await rules;
    if (loaded.kind === "unavailable") return loaded.outcome;
    if (loaded.kind === "rules" && loaded.robot.isAllowed(url.href, options.userAgent) === false) {
      return { kind: "robots_disallowed", reason: `robots.txt disallows ${url.pathname}` };
    }
    return undefined;
  }

  async function fetchPage(input: string, validators: Validators = {}): Promise<FetchOutcome> {
    const headers = {
      ...baseHeaders(),
      ...(validators.etag ? { "if-none-match": validators.etag } : {}),
      ...(validators.lastModified ? { "if-modified-since": validators.lastModified } : {}),
    };
    let target = input;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop += 1) {
      const url = checkHop(target);
      if (!(url instanceof URL)) return url;
      const refused = await robotsVerdict(url);
      if (refused) return refused;
      const result = await exchangeWithRetries(url, headers);
      if (result.kind === "network_error") return { kind: "network_error", message: result.message };
      if (result.kind !== "response") return result;
      const location = header(result.headers, "location");
      if (REDIRECT_STATUSES.has(result.status) && location) {
        target = URL.canParse(location, url.href) ? new URL(location, url).href : location;
        continue;
      }
      if (result.status === 304) return { kind: "not_modified" };
      if (result.status < 200 || result.status >= 300) {
        const retryAfterMs = parseRetryAfter(header(result.headers, "retry-after"), Date.now());
        return {
          kind: "http_error",
          status: result.status,
          ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
        };
      }
      const etag = header(result.headers, "etag");
      const lastModified = header(result.headers, "last-modified");
      const contentType = header(result.headers, "content-type");
      return {
        kind: "ok",
        status: result.status,
        body: result.body ?? "",
        finalUrl: url.href,
        ...(etag ? { etag } : {}),
        ...(lastModified ? { lastModified } : {}),
        ...(contentType ? { contentType } : {}),
      };
    }
    return { kind: "network_error", message: `more than ${MAX_REDIRECTS} redirects` };
  }

  return { fetchPage, close: () => agent.close() };
}
