/** A fake web shop on loopback for scraping tests: saved product pages plus misbehaving routes. */
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { projectRoot } from "./stack.ts";

export function fixturePage(name: string): string {
  return readFileSync(join(projectRoot, "test/fixtures/pages", `${name}.html`), "utf8");
}

export function jsonLdPage(name: string, price: string, currency: string, availability = "InStock"): string {
  const product = {
    "@context": "https://schema.org",
    "@type": "Product",
    name,
    offers: {
      "@type": "Offer",
      price,
      priceCurrency: currency,
      availability: `https://schema.org/${availability}`,
    },
  };
  return `<!doctype html><html><head><title>${name}</title><script type="application/ld+json">${JSON.stringify(product)}</script></head><body><h1>${name}</h1></body></html>`;
}

export interface Shop {
  readonly url: string;
  /** Requests seen per path, in order. */
  readonly hits: Map<string, number>;
  /** Replace or add a route's page. */
  setPage(path: string, html: string): void;
  close(): Promise<void>;
}

export async function startShop(): Promise<Shop> {
  const pages = new Map<string, string>([
    ["/jsonld", jsonLdPage("Cadeira Gamer", "1299.90", "BRL")],
    ["/mercadolivre", fixturePage("mercadolivre-product")],
    ["/captcha", fixturePage("blocked-mercadolivre-verification")],
    ["/private/secret", jsonLdPage("Hidden", "1.00", "BRL")],
  ]);
  const hits = new Map<string, number>();
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://shop").pathname;
    const count = (hits.get(path) ?? 0) + 1;
    hits.set(path, count);
    if (path === "/robots.txt") {
      response.writeHead(200, { "content-type": "text/plain" }).end("User-agent: *\nDisallow: /private/\n");
      return;
    }
    if (path === "/throttled" && count === 1) {
      response.writeHead(429, { "retry-after": "1" }).end("slow down");
      return;
    }
    if (path === "/throttled") {
      response.writeHead(200, { "content-type": "text/html" }).end(jsonLdPage("Mesa", "89.90", "BRL"));
      return;
    }
    if (path === "/cached") {
      const etag = '"v1"';
      if (request.headers["if-none-match"] === etag) return void response.writeHead(304, { etag }).end();
      response
        .writeHead(200, { "content-type": "text/html", etag })
        .end(jsonLdPage("Cached", "42.50", "BRL"));
      return;
    }
    if (path === "/slow") {
      const timer = setTimeout(() => response.writeHead(200).end(jsonLdPage("Late", "1.00", "BRL")), 10_000);
      response.on("close", () => clearTimeout(timer));
      return;
    }
    const page = pages.get(path);
    if (page === undefined) {
      response.writeHead(404, { "content-type": "text/html" }).end("<h1>not found</h1>");
      return;
    }
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(page);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    setPage: (path, html) => void pages.set(path, html),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
