import { describe, expect, it } from "vitest";
import { loadPage } from "../../../shared/pricing/page-tree.ts";
import { extractPrice } from "../../../shared/pricing/extract.ts";

const page = `<!doctype html><html lang="en"><head><title>Lamp</title></head><body>
  <nav class="top"><a href="/cart">Cart € 0,00</a><ul><li><a href="/lamps">Lamps</a></li></ul>
    <script type="application/ld+json">{"@type":"Product","name":"Lamp","offers":{"price":"39.90","priceCurrency":"EUR"}}</script></nav>
  <main><h1>Lamp</h1><p class="price">€ 39,90</p></main>
  <aside class="related-products"><div class="card"><a href="/p/2">Chair</a><span class="price">€ 59,00</span></div>
    <div itemscope itemtype="https://schema.org/Offer"><span itemprop="price">59.00</span><b>bold</b></div></aside>
  <footer><p>© Shop</p><meta itemprop="priceCurrency" content="EUR"></footer></body></html>`;

describe("the page tree extraction reads", () => {
  it("leaves out the insides of navigation, related products and footers", () => {
    const $ = loadPage(page);
    expect($("nav a")).toHaveLength(0);
    expect($("aside .card")).toHaveLength(0);
    expect($("footer p")).toHaveLength(0);
    expect($("main .price").text()).toBe("€ 39,90");
  });

  it("keeps scripts, meta tags and microdata with their text inside the left-out areas", () => {
    const $ = loadPage(page);
    expect($('nav script[type="application/ld+json"]')).toHaveLength(1);
    expect($('aside [itemprop="price"]').text()).toBe("59.00");
    expect($('aside [itemscope] [itemprop="price"]')).toHaveLength(1);
    expect($("aside b")).toHaveLength(0);
    expect($('footer meta[itemprop="priceCurrency"]').attr("content")).toBe("EUR");
  });

  it("still gives the page's structured price", () => {
    expect(extractPrice(page, "https://lamps.example.com/p/1")).toMatchObject({
      amount: "39.90",
      currency: "EUR",
      rule: "json-ld",
    });
  });
});
