/**
 * Test shops on 127.0.0.1 (random ports) that record every request, and fetchers with quick test
 * timeouts; both are closed after each test.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach } from "vitest";
import { createFetcher, type Fetcher, type FetcherOptions } from "../../../shared/scrape/fetch.ts";

export type Handler = (request: IncomingMessage, response: ServerResponse) => void;

export interface TestSite {
  readonly origin: string;
  readonly requests: {
    readonly path: string;
    readonly at: number;
    readonly headers: IncomingMessage["headers"];
  }[];
  maxInFlight: number;
}

const servers: Server[] = [];
const fetchers: Fetcher[] = [];

afterEach(async () => {
  await Promise.all(fetchers.splice(0).map((fetcher) => fetcher.close()));
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    ),
  );
});

export async function startSite(pages: Record<string, Handler>, robots?: Handler): Promise<TestSite> {
  const site: TestSite = { origin: "", requests: [], maxInFlight: 0 };
  let inFlight = 0;
  const server = createServer((request, response) => {
    const path = request.url ?? "/";
    site.requests.push({ path, at: Date.now(), headers: request.headers });
    inFlight += 1;
    site.maxInFlight = Math.max(site.maxInFlight, inFlight);
    response.on("close", () => {
      inFlight -= 1;
    });
    const handler = path === "/robots.txt" ? robots : pages[path];
    if (handler) return handler(request, response);
    response.writeHead(404, { "content-type": "text/plain" }).end("not found");
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return Object.assign(site, { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
}

export function html(body: string, headers: Record<string, string> = {}): Handler {
  return (_request, response) => {
    response.writeHead(200, { "content-type": "text/html; charset=utf-8", ...headers }).end(body);
  };
}

export function testFetcher(overrides: Partial<FetcherOptions> = {}): Fetcher {
  const created = createFetcher({
    userAgent: "procure-test-bot/1.0 (+https://example.org/bot)",
    minHostIntervalMs: 0,
    connectTimeoutMs: 500,
    headersTimeoutMs: 300,
    bodyTimeoutMs: 300,
    maxBodyBytes: 10_000,
    maxRetries: 2,
    allowPrivateHosts: ["127.0.0.1:*"],
    robotsCacheTtlMs: 60_000,
    retryBaseDelayMs: 10,
    maxRetryDelayMs: 2_000,
    ...overrides,
  });
  fetchers.push(created);
  return created;
}
