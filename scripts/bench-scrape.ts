/**
 * Benchmark of price collection through the full handler path: 1,000 products, each with one
 * source on a local shop (spread over 10 loopback hosts, since each host is fetched one request
 * at a time), all scraped through the ingress. Prints scrapes per second and the latency spread.
 *
 *   npm run bench:scrape
 */
import "../shared/runtime/polyfill.ts";
import * as clients from "@restatedev/restate-sdk-clients";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { ProductObject } from "../services/product/index.ts";
import { mapConcurrently } from "../shared/runtime/concurrency.ts";
import { jsonLdPage } from "../test/support/shop.ts";
import { provisionDatabase, startStack } from "../test/support/stack.ts";

const productCount = 1000;
const hostCount = 10;
const concurrency = 64;

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}

async function main(): Promise<void> {
  const shop = createServer((request, response) => {
    if (request.url === "/robots.txt") return void response.writeHead(200).end("User-agent: *\nAllow: /\n");
    const id = request.url?.slice(1) ?? "x";
    response
      .writeHead(200, { "content-type": "text/html" })
      .end(jsonLdPage(`Product ${id}`, "149.90", "BRL"));
  });
  await new Promise<void>((resolve) => shop.listen(0, "0.0.0.0", resolve));
  const { port } = shop.address() as AddressInfo;

  const database = await provisionDatabase();
  const stack = await startStack({
    database,
    env: {
      SCRAPE_ALLOW_PRIVATE_HOSTS: "127.0.0.0/8:*",
      SCRAPE_MIN_HOST_INTERVAL_MS: "0",
      DATABASE_MAX_CONNECTIONS: "10",
    },
  });
  try {
    const ingress = clients.connect({ url: stack.ingressUrl });
    const ids = Array.from({ length: productCount }, (_, index) => `bench-${index}`);
    await mapConcurrently(ids, concurrency, async (id) => {
      const product = ingress.objectClient<ProductObject>({ name: "product" }, id);
      await product.upsert({ name: id, currency: "BRL" });
      const host = `127.0.0.${1 + (Number(id.slice(6)) % hostCount)}`;
      await product.addSource({ url: `http://${host}:${port}/${id}`, label: "local shop" });
    });

    const latencies: number[] = [];
    let failures = 0;
    const started = performance.now();
    await mapConcurrently(ids, concurrency, async (id) => {
      const begin = performance.now();
      const summary = await ingress.objectClient<ProductObject>({ name: "product" }, id).scrape();
      latencies.push(performance.now() - begin);
      failures += summary.failed;
    });
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    console.log(
      `database: ${database.kind}; ${productCount} products, ${hostCount} hosts, ${concurrency} scrapes in flight`,
    );
    console.log(
      `scrapes: ${productCount} in ${seconds.toFixed(2)} s = ${(productCount / seconds).toFixed(0)} scrapes/s, ${failures} failed`,
    );
    console.log(
      `latency per scrape call: p50 ${percentile(latencies, 0.5).toFixed(0)} ms, p95 ${percentile(latencies, 0.95).toFixed(0)} ms, max ${latencies.at(-1)?.toFixed(0)} ms`,
    );
  } finally {
    await stack.stop();
    await database.drop();
    shop.close();
  }
}

await main();
