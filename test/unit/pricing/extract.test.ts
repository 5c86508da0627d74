import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { extractPrice } from "../../../shared/pricing/extract.ts";

const page = (name: string) => readFileSync(new URL(`../../fixtures/pages/${name}`, import.meta.url), "utf8");

const jsonLd = (data: unknown) =>
  `<html><head><script type="application/ld+json">${JSON.stringify(data)}</script></head><body></body></html>`;

describe("extractPrice on saved shop pages", () => {
  it.each([
    ["jsonld-product.html", "1899.90", "BRL", "in_stock", "json-ld"],
    ["jsonld-aggregate-offer.html", "99.00", "USD", "in_stock", "json-ld"],
    ["jsonld-price-specification.html", "849.00", "EUR", "out_of_stock", "json-ld"],
    ["microdata-shop.html", "249.90", "BRL", "out_of_stock", "microdata"],
    ["opengraph-shop.html", "1299.00", "SEK", "in_stock", "opengraph"],
    ["mercadolivre-product.html", "1299.90", "BRL", "in_stock", "site:mercadolivre"],
    ["amazon-product.html", "284.05", "BRL", "in_stock", "site:amazon"],
    ["amazon-legacy-priceblock.html", "149.99", "USD", "out_of_stock", "site:amazon"],
    ["magalu-product.html", "329.90", "BRL", "in_stock", "site:magalu"],
  ])("%s: %s %s, %s, by %s", (name, amount, currency, availability, rule) => {
    expect(extractPrice(page(name))).toMatchObject({
      outcome: "price",
      amount,
      currency,
      availability,
      rule,
    });
  });

  it.each([
    ["blocked-cloudflare.html", "Cloudflare bot challenge"],
    ["blocked-amazon-captcha.html", "Amazon captcha (Robot Check)"],
    ["blocked-mercadolivre-verification.html", "Mercado Livre account verification"],
    ["blocked-captcha-widget.html", "captcha page"],
  ])("%s is a block page (%s)", (name, reason) => {
    expect(extractPrice(page(name))).toEqual({ outcome: "blocked", reason });
  });

  it("settles two different JSON-LD prices by the one the page shows, with less confidence", () => {
    expect(extractPrice(page("conflict-two-products.html"))).toMatchObject({
      outcome: "price",
      amount: "399.90",
      rule: "json-ld",
      confidence: 0.8,
    });
  });

  it("reports two different JSON-LD prices the page does not settle as a conflict, not a guess", () => {
    const html = page("conflict-two-products.html").replace('<p class="price">R$ 399,90</p>', "");
    expect(extractPrice(html)).toEqual({
      outcome: "conflict",
      rule: "json-ld",
      candidates: [
        { amount: "399.90", currency: "BRL" },
        { amount: "459.90", currency: "BRL" },
      ],
      availability: "unknown",
    });
  });

  it("finds no price on an article page", () => {
    expect(extractPrice(page("no-price.html"))).toMatchObject({ outcome: "no_price" });
  });

  it("recognises Mercado Livre's verification redirect by the page URL", () => {
    const html = "<html><head><title>Mercado Livre</title></head><body><p>Continuar</p></body></html>";
    expect(extractPrice(html, "https://www.mercadolivre.com.br/gz/account-verification?go=x")).toEqual({
      outcome: "blocked",
      reason: "Mercado Livre account verification",
    });
  });
});

describe("extractPrice rules", () => {
  it("skips the crossed-out previous price and the instalments on Mercado Livre", () => {
    const result = extractPrice(page("mercadolivre-product.html"));
    expect(result).toMatchObject({ amount: "1299.90" });
  });

  it("reads Mercado Livre's '$' by the shop's country", () => {
    const html = `<div class="ui-pdp-price__second-line"><span class="andes-money-amount"><span class="andes-money-amount__currency-symbol">$</span><span class="andes-money-amount__fraction">15.999</span></span></div>`;
    expect(extractPrice(html, "https://articulo.mercadolibre.com.ar/MLA-1")).toMatchObject({
      amount: "15999.00",
      currency: "ARS",
    });
  });

  it("resolves offers referenced by @id inside a @graph", () => {
    const html = jsonLd({
      "@context": "https://schema.org",
      "@graph": [
        { "@type": "Product", name: "x", offers: { "@id": "#offer" } },
        { "@type": "Offer", "@id": "#offer", price: "19.9", priceCurrency: "EUR", availability: "InStock" },
      ],
    });
    expect(extractPrice(html)).toMatchObject({
      outcome: "price",
      amount: "19.90",
      currency: "EUR",
      availability: "in_stock",
      rule: "json-ld",
    });
  });

  it("takes a Product that is the mainEntity of a WebPage, with offers as an array of equal prices", () => {
    const html = jsonLd({
      "@type": "ItemPage",
      mainEntity: {
        "@type": "Product",
        offers: [
          { "@type": "Offer", price: 10, priceCurrency: "USD" },
          {
            "@type": "Offer",
            price: "10.00",
            priceCurrency: "USD",
            availability: "https://schema.org/InStock",
          },
        ],
      },
    });
    expect(extractPrice(html)).toMatchObject({ amount: "10.00", currency: "USD", availability: "in_stock" });
  });

  it("reads a shop-formatted JSON-LD price with the page's currency from the URL", () => {
    const html = jsonLd({ "@type": "Product", offers: { "@type": "Offer", price: "1.299,90" } });
    expect(extractPrice(html, "https://www.loja.com.br/p/1")).toMatchObject({
      amount: "1299.90",
      currency: "BRL",
    });
  });

  it("falls through to the next rule when JSON-LD has no price", () => {
    const html = `<html><head>${jsonLd({ "@type": "Product", name: "x" })}
      <meta property="product:price:amount" content="5.5"><meta property="product:price:currency" content="GBP">
      </head></html>`;
    expect(extractPrice(html)).toMatchObject({ amount: "5.50", currency: "GBP", rule: "opengraph" });
  });

  it("ignores a zero price and reports no price instead", () => {
    const html = jsonLd({ "@type": "Product", offers: { "@type": "Offer", price: 0, priceCurrency: "BRL" } });
    expect(extractPrice(html)).toMatchObject({ outcome: "no_price" });
  });

  it("reads microdata price text when there is no content attribute", () => {
    const html = `<div itemscope itemtype="https://schema.org/Offer"><span itemprop="price">R$ 89,90</span>
      <link itemprop="availability" href="http://schema.org/InStock"></div>`;
    expect(extractPrice(html)).toMatchObject({
      outcome: "price",
      amount: "89.90",
      currency: "BRL",
      availability: "in_stock",
      rule: "microdata",
    });
  });

  it("reports conflicting microdata offers", () => {
    const html = `<div itemscope itemtype="https://schema.org/Offer"><meta itemprop="price" content="10"><meta itemprop="priceCurrency" content="USD"></div>
      <div itemscope itemtype="https://schema.org/Offer"><meta itemprop="price" content="12"><meta itemprop="priceCurrency" content="USD"></div>`;
    expect(extractPrice(html)).toMatchObject({ outcome: "conflict", rule: "microdata" });
  });

  it("does not call a product page with a login reCAPTCHA blocked", () => {
    const html = `<html><body><div class="g-recaptcha"></div>
      <meta property="product:price:amount" content="20"><meta property="product:price:currency" content="EUR"></body></html>`;
    expect(extractPrice(html)).toMatchObject({ outcome: "price", amount: "20.00" });
  });

  it("treats unparseable JSON-LD as absent", () => {
    const html = `<script type="application/ld+json">{ "@type": "Product", </script><p>nothing</p>`;
    expect(extractPrice(html)).toMatchObject({ outcome: "no_price" });
  });
});
