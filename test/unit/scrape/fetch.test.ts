import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { html, startSite, testFetcher as fetcher, type TestSite } from "./test-site.ts";

const pagePaths = (site: TestSite) => site.requests.filter((request) => request.path !== "/robots.txt");

describe("fetchPage", () => {
  it("returns the body, validators and content type, sending the configured User-Agent", async () => {
    const site = await startSite({
      "/product": html("<p>ok</p>", { etag: '"v1"', "last-modified": "Tue, 24 Nov 2026 10:00:00 GMT" }),
    });
    const outcome = await fetcher().fetchPage(`${site.origin}/product`);
    expect(outcome).toEqual({
      kind: "ok",
      status: 200,
      body: "<p>ok</p>",
      finalUrl: `${site.origin}/product`,
      etag: '"v1"',
      lastModified: "Tue, 24 Nov 2026 10:00:00 GMT",
      contentType: "text/html; charset=utf-8",
    });
    expect(pagePaths(site)[0]?.headers["user-agent"]).toBe("procure-test-bot/1.0 (+https://example.org/bot)");
  });

  it("decodes gzip bodies and legacy charsets", async () => {
    const site = await startSite({
      "/gzip": (_request, response) => {
        response.writeHead(200, { "content-type": "text/html", "content-encoding": "gzip" });
        response.end(gzipSync("<p>Preço R$ 10</p>"));
      },
      "/latin1": (_request, response) => {
        response.writeHead(200, { "content-type": "text/html; charset=iso-8859-1" });
        response.end(Buffer.from("<p>Preço</p>", "latin1"));
      },
    });
    const client = fetcher();
    expect(await client.fetchPage(`${site.origin}/gzip`)).toMatchObject({
      kind: "ok",
      body: "<p>Preço R$ 10</p>",
    });
    expect(await client.fetchPage(`${site.origin}/latin1`)).toMatchObject({
      kind: "ok",
      body: "<p>Preço</p>",
    });
  });

  it("refuses paths robots.txt disallows, reading robots.txt once per origin", async () => {
    const robots = "User-agent: *\nDisallow: /private\n";
    const site = await startSite(
      { "/public": html("ok"), "/private/1": html("secret") },
      (_request, response) => response.writeHead(200, { "content-type": "text/plain" }).end(robots),
    );
    const client = fetcher();
    expect(await client.fetchPage(`${site.origin}/private/1`)).toMatchObject({ kind: "robots_disallowed" });
    expect(await client.fetchPage(`${site.origin}/public`)).toMatchObject({ kind: "ok" });
    expect(await client.fetchPage(`${site.origin}/public`)).toMatchObject({ kind: "ok" });
    expect(site.requests.map((request) => request.path)).toEqual(["/robots.txt", "/public", "/public"]);
  });

  it("reads robots.txt again once its cache entry has expired", async () => {
    const site = await startSite({ "/a": html("a") }, (_request, response) =>
      response.writeHead(200, { "content-type": "text/plain" }).end("User-agent: *\nAllow: /\n"),
    );
    const client = fetcher({ robotsCacheTtlMs: 50 });
    await client.fetchPage(`${site.origin}/a`);
    await new Promise((resolve) => setTimeout(resolve, 80));
    await client.fetchPage(`${site.origin}/a`);
    expect(site.requests.map((request) => request.path)).toEqual(["/robots.txt", "/a", "/robots.txt", "/a"]);
  });

  it("follows the robots.txt group naming its user agent instead of the * group", async () => {
    const robots = "User-agent: *\nDisallow: /private\n\nUser-agent: procure-test-bot\nDisallow: /no-bots\n";
    const site = await startSite({ "/private/1": html("ok"), "/no-bots": html("x") }, (_request, response) =>
      response.writeHead(200, { "content-type": "text/plain" }).end(robots),
    );
    const client = fetcher();
    expect(await client.fetchPage(`${site.origin}/no-bots`)).toMatchObject({ kind: "robots_disallowed" });
    expect(await client.fetchPage(`${site.origin}/private/1`)).toMatchObject({ kind: "ok" });
  });

  it("treats a failing robots.txt (5xx) as disallowing everything and never requests the page", async () => {
    const site = await startSite({ "/product": html("ok") }, (_request, response) =>
      response.writeHead(503).end(),
    );
    expect(await fetcher().fetchPage(`${site.origin}/product`)).toMatchObject({ kind: "robots_disallowed" });
    expect(pagePaths(site)).toHaveLength(0);
  });

  it("waits for Retry-After on 429, then gets the page", async () => {
    let calls = 0;
    const site = await startSite({
      "/busy": (_request, response) => {
        calls += 1;
        if (calls === 1) return response.writeHead(429, { "retry-after": "1" }).end();
        response.writeHead(200, { "content-type": "text/html" }).end("fine");
      },
    });
    const outcome = await fetcher().fetchPage(`${site.origin}/busy`);
    const [first, second] = pagePaths(site);
    expect(outcome).toMatchObject({ kind: "ok", body: "fine" });
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(990);
  });

  it("gives up at once when Retry-After asks for longer than the retry cap", async () => {
    const site = await startSite({
      "/busy": (_request, response) => response.writeHead(429, { "retry-after": "120" }).end(),
    });
    expect(await fetcher().fetchPage(`${site.origin}/busy`)).toEqual({
      kind: "http_error",
      status: 429,
      retryAfterMs: 120_000,
    });
    expect(pagePaths(site)).toHaveLength(1);
  });

  it("retries a 503 a bounded number of times, then reports the HTTP error", async () => {
    const site = await startSite({ "/down": (_request, response) => response.writeHead(503).end() });
    expect(await fetcher({ maxRetries: 2 }).fetchPage(`${site.origin}/down`)).toEqual({
      kind: "http_error",
      status: 503,
    });
    expect(pagePaths(site)).toHaveLength(3);
  });

  it("does not retry a 404", async () => {
    const site = await startSite({});
    expect(await fetcher().fetchPage(`${site.origin}/gone`)).toEqual({ kind: "http_error", status: 404 });
    expect(pagePaths(site)).toHaveLength(1);
  });

  it("retries after the connection is dropped", async () => {
    let calls = 0;
    const site = await startSite({
      "/flaky": (request, response) => {
        calls += 1;
        if (calls === 1) return request.socket.destroy();
        response.writeHead(200, { "content-type": "text/html" }).end("back");
      },
    });
    expect(await fetcher().fetchPage(`${site.origin}/flaky`)).toMatchObject({ kind: "ok", body: "back" });
    expect(pagePaths(site)).toHaveLength(2);
  });

  it("times out when the headers come too late", async () => {
    const site = await startSite({
      "/slow": (_request, response) => {
        const timer = setTimeout(() => response.writeHead(200).end("late"), 3_000);
        response.on("close", () => clearTimeout(timer));
      },
    });
    const started = Date.now();
    expect(await fetcher().fetchPage(`${site.origin}/slow`)).toEqual({ kind: "timeout" });
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(pagePaths(site)).toHaveLength(1);
  });

  it("times out when the body trickles in past the body deadline", async () => {
    const site = await startSite({
      "/trickle": (_request, response) => {
        response.writeHead(200, { "content-type": "text/html" });
        const timer = setInterval(() => response.write("<p>"), 100);
        response.on("close", () => clearInterval(timer));
      },
    });
    expect(await fetcher({ bodyTimeoutMs: 350 }).fetchPage(`${site.origin}/trickle`)).toEqual({
      kind: "timeout",
    });
  });

  it("aborts a body larger than the cap, declared or streamed, compressed or not", async () => {
    const big = "x".repeat(20_000);
    const site = await startSite({
      "/declared": html(big),
      "/streamed": (_request, response) => {
        response.writeHead(200, { "content-type": "text/html" });
        response.write(big.slice(0, 8_000));
        response.end(big.slice(8_000));
      },
      "/bomb": (_request, response) => {
        response
          .writeHead(200, { "content-type": "text/html", "content-encoding": "gzip" })
          .end(gzipSync(big));
      },
    });
    const client = fetcher();
    for (const path of ["/declared", "/streamed", "/bomb"]) {
      expect(await client.fetchPage(`${site.origin}${path}`)).toEqual({ kind: "too_large" });
    }
  });

  it("follows redirects and reports the final URL", async () => {
    const site = await startSite({
      "/old": (_request, response) => response.writeHead(301, { location: "/new" }).end(),
      "/new": html("moved"),
    });
    expect(await fetcher().fetchPage(`${site.origin}/old`)).toMatchObject({
      kind: "ok",
      body: "moved",
      finalUrl: `${site.origin}/new`,
    });
  });

  it("refuses a redirect to the cloud metadata address", async () => {
    const site = await startSite({
      "/redirect": (_request, response) =>
        response.writeHead(302, { location: "http://169.254.169.254/latest/meta-data/" }).end(),
    });
    expect(await fetcher().fetchPage(`${site.origin}/redirect`)).toMatchObject({
      kind: "forbidden_address",
      message: expect.stringContaining("link-local"),
    });
  });

  it("refuses a redirect from an allow-listed shop to another port of the same host", async () => {
    const other = await startSite({ "/admin": html("admin") });
    const site = await startSite({
      "/redirect": (_request, response) =>
        response.writeHead(302, { location: `${other.origin}/admin` }).end(),
    });
    const client = fetcher({ allowPrivateHosts: [`127.0.0.1:${new URL(site.origin).port}`] });
    expect(await client.fetchPage(`${site.origin}/redirect`)).toMatchObject({
      kind: "forbidden_address",
      message: expect.stringContaining(`on port ${new URL(other.origin).port}`),
    });
    expect(other.requests.filter((request) => request.path === "/admin")).toHaveLength(0);
  });

  it("stops after five redirects", async () => {
    const site = await startSite({
      "/loop": (_request, response) => response.writeHead(302, { location: "/loop" }).end(),
    });
    expect(await fetcher().fetchPage(`${site.origin}/loop`)).toEqual({
      kind: "network_error",
      message: "more than 5 redirects",
    });
    expect(pagePaths(site)).toHaveLength(6);
  });

  it("sends If-None-Match and If-Modified-Since and reports 304 as not modified", async () => {
    const site = await startSite({
      "/product": (request, response) => {
        const fresh = request.headers["if-none-match"] === '"v1"';
        const unchanged = request.headers["if-modified-since"] === "Tue, 24 Nov 2026 10:00:00 GMT";
        if (fresh && unchanged) return response.writeHead(304).end();
        response.writeHead(200, { "content-type": "text/html", etag: '"v1"' }).end("full");
      },
    });
    const outcome = await fetcher().fetchPage(`${site.origin}/product`, {
      etag: '"v1"',
      lastModified: "Tue, 24 Nov 2026 10:00:00 GMT",
    });
    expect(outcome).toEqual({ kind: "not_modified" });
  });

  it("spaces requests to one host by the minimum interval, one at a time", async () => {
    const site = await startSite({ "/a": html("a"), "/b": html("b"), "/c": html("c") });
    const client = fetcher({ minHostIntervalMs: 150 });
    await Promise.all(["/a", "/b", "/c"].map((path) => client.fetchPage(`${site.origin}${path}`)));
    const times = site.requests.map((request) => request.at);
    const gaps = times.slice(1).map((time, index) => time - times[index]!);
    expect(gaps).toHaveLength(3);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(145);
    expect(site.maxInFlight).toBe(1);
  });

  it("honours a robots.txt Crawl-delay larger than the minimum interval", async () => {
    const site = await startSite({ "/a": html("a"), "/b": html("b") }, (_request, response) =>
      response.writeHead(200, { "content-type": "text/plain" }).end("User-agent: *\nCrawl-delay: 0.3\n"),
    );
    const client = fetcher();
    await client.fetchPage(`${site.origin}/a`);
    await client.fetchPage(`${site.origin}/b`);
    const [, first, second] = site.requests;
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(290);
  });

  it("refuses loopback addresses without an allow-list entry, before any request", async () => {
    const site = await startSite({ "/product": html("ok") });
    const client = fetcher({ allowPrivateHosts: [] });
    expect(await client.fetchPage(`${site.origin}/product`)).toMatchObject({
      kind: "forbidden_address",
      message: expect.stringContaining("loopback"),
    });
    const port = new URL(site.origin).port;
    expect(await client.fetchPage(`http://localhost:${port}/product`)).toMatchObject({
      kind: "forbidden_address",
      message: expect.stringContaining("localhost resolves to"),
    });
    expect(site.requests).toHaveLength(0);
  });

  it("refuses other schemes", async () => {
    expect(await fetcher().fetchPage("file:///etc/passwd")).toMatchObject({ kind: "forbidden_address" });
  });
});
