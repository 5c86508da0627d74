import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { scrapeSource } from "../../../shared/scrape/scrape-source.ts";
import { html, startSite, testFetcher } from "./test-site.ts";

const page = (name: string) => readFileSync(new URL(`../../fixtures/pages/${name}`, import.meta.url), "utf8");

describe("scrapeSource", () => {
  it("fetches a Mercado Livre-style page and records its main price", async () => {
    const site = await startSite({ "/p/MLB1": html(page("mercadolivre-product.html"), { etag: '"ml1"' }) });
    expect(await scrapeSource(testFetcher(), `${site.origin}/p/MLB1`)).toEqual({
      status: "ok",
      amount: "1299.90",
      currency: "BRL",
      availability: "in_stock",
      rule: "site:mercadolivre",
      httpStatus: 200,
      etag: '"ml1"',
    });
  });

  it("records a captcha served with 200 as blocked, never as a price", async () => {
    const site = await startSite({ "/dp/B1": html(page("blocked-amazon-captcha.html")) });
    expect(await scrapeSource(testFetcher(), `${site.origin}/dp/B1`)).toEqual({
      status: "blocked",
      availability: "unknown",
      httpStatus: 200,
      detail: "block page: Amazon captcha (Robot Check)",
    });
  });

  it("records an unchanged page as not modified", async () => {
    const site = await startSite({
      "/p/1": (request, response) =>
        request.headers["if-none-match"] === '"v7"'
          ? response.writeHead(304).end()
          : response.writeHead(200, { etag: '"v7"' }).end("changed"),
    });
    expect(await scrapeSource(testFetcher(), `${site.origin}/p/1`, { etag: '"v7"' })).toMatchObject({
      status: "not_modified",
      etag: '"v7"',
    });
  });

  it("records a missing page as not found", async () => {
    const site = await startSite({});
    expect(await scrapeSource(testFetcher(), `${site.origin}/gone`)).toMatchObject({
      status: "not_found",
      httpStatus: 404,
      availability: "unknown",
    });
  });
});
