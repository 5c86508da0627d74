import { describe, expect, it } from "vitest";
import { extractPrice } from "../../../shared/pricing/extract.ts";
import { siteRulesFor } from "../../../shared/pricing/sites/index.ts";

const jsonLd = (data: unknown) => `<script type="application/ld+json">${JSON.stringify(data)}</script>`;
const html = (head: string, body: string, lang = "en") =>
  `<!doctype html><html lang="${lang}"><head><title>Shop</title>${head}</head><body>${body}</body></html>`;

const related = `<section class="related-products"><h2>You may also like</h2>
  <div class="product-card"><a href="/p/2">Other lamp</a><span class="price">€ 19,99</span><button>Add to cart</button></div>
  <div class="product-card"><a href="/p/3">Other chair</a><span class="price">€ 59,00</span><button>Add to cart</button></div>
</section>`;

describe("the visible-page search (no structured data)", () => {
  it("finds the price beside the title and buy button, past the was-price, instalments and related products", () => {
    const page = html(
      "",
      `<header class="site-header"><nav><a href="/cart">Cart (€ 0,00)</a></nav></header>
      <main><div class="product-detail"><h1>Desk lamp Nova</h1>
        <div class="price-box"><span class="price-old"><del>€ 49,90</del></span>
          <span class="price-current">€ 39,90</span></div>
        <p class="installments">or 3 x € 13,30</p>
        <p class="shipping-cost">Shipping € 4,95</p>
        <p class="unit-price">€ 39,90 / piece</p>
        <button class="add-to-cart">Add to cart</button></div></main>${related}`,
    );
    expect(extractPrice(page, "https://lampen.example.nl/p/1")).toMatchObject({
      outcome: "price",
      amount: "39.90",
      currency: "EUR",
      rule: "dom",
      availability: "in_stock",
    });
  });

  it("reads prices split over elements with superscript cents and the currency from the domain", () => {
    const page = html(
      "",
      `<h1>Chaise Lina</h1><div class="product-price"><span class="int">129</span><sup>95</sup> <span>€</span></div>
       <button id="add-to-cart">Ajouter au panier</button>`,
      "fr",
    );
    expect(extractPrice(page, "https://www.meubles.example.fr/chaise")).toMatchObject({
      amount: "129.95",
      currency: "EUR",
      rule: "dom",
    });
  });

  it("answers no price rather than guess between equally likely prices", () => {
    const page = html("", `<div><span>€ 10,00</span></div><div><span>€ 12,00</span></div>`);
    expect(extractPrice(page)).toMatchObject({ outcome: "no_price" });
  });

  it("lets the embedded state back one of two close candidates", () => {
    const page = html(
      `<script>window.dataLayer = window.dataLayer || []; dataLayer.push({"ecommerce": {"detail": {"products": [{"id": "A1", "price": "24.50"}]}}});</script>`,
      `<h1>Tea pot</h1><span class="price">€ 24,50</span><span class="price">€ 27,00</span>`,
    );
    expect(extractPrice(page, "https://thee.example.be/p")).toMatchObject({
      outcome: "price",
      amount: "24.50",
    });
  });
});

describe("the visible-page search on shop templates", () => {
  it("reads a price whose own class names the slider or promo box it sits in", () => {
    const page = html(
      "",
      `<div class="ek-slider-price"><span class="ek-slider-pricenew">270,00 Kn</span>
        <span class="ek-slider-priceold">540,00 Kn</span></div><a class="ek-slider-cta" href="#">Kupi</a>`,
    ).replace("<body>", `<body><h1 class="title">Ortopedski ulošci po mjeri</h1>`);
    expect(extractPrice(page, "https://www.klinika.example.hr/usluga-380")).toMatchObject({
      outcome: "price",
      amount: "270.00",
      currency: "HRK",
    });
  });

  it("passes over product cards repeated under a similar-products heading and keeps a lone old-classed price", () => {
    const card = (price: string, id: number) =>
      `<div class="col-xs-6 col-sm-3"><div class="product-thumb"><a href="/p/${id}"><img src="/i/${id}.jpg"></a>
        <h4><a href="/p/${id}">Maska ${id}</a></h4><span class="price">${price}</span></div></div>`;
    const page = html(
      "",
      `<h1 class="top-logo"><a href="/"><img src="/logo.png" alt="Shop"></a></h1>
      <div class="row"><div id="tcol"><h1>Potapljaška maska z dioptrijo</h1>
        <ul id="price-list"><li class="price"><span class="price-old-live">100.00€</span></li>
        <li class="price-tax small">Brez DDV: <span class="price-tax-live">81.97€</span></li></ul></div></div>
      <div class="h1">Podobni izdelki</div><div class="row">${card("150.00€", 1)}${card("50.00€", 2)}${card("55.00€", 3)}</div>`,
      "sl",
    );
    expect(extractPrice(page, "https://www.ocala.example.si/maska")).toMatchObject({
      outcome: "price",
      amount: "100.00",
      currency: "EUR",
      rule: "dom",
    });
  });

  it("reads a page whose body's class names its navigation style", () => {
    const page = html(
      "",
      `<h1 class="product-name--visible">Zipped through cardigan</h1><em class="value__price">€ 49,99</em>`,
    ).replace("<body>", '<body class="xtra-widescreen js-wide-navigation">');
    expect(extractPrice(page, "https://shop.example.ie/p/1")).toMatchObject({ amount: "49.99", rule: "dom" });
  });

  it("reads the area holding the product's title even when its classes speak of menus, sidebars or cookies", () => {
    const page = html(
      "",
      `<section id="main-section" class="main-section product-card with-cookie-info">
        <div class="sidebar-right columns-layout"><div class="switcher-container" data-menu-item="about-product">
        <h1>Zestaw podtynkowy WC</h1><span class="product-price"><span class="integer">997</span>
        <span class="postfix">zł</span></span></div></div></section>`,
      "pl",
    );
    expect(extractPrice(page, "https://www.budowa.example.pl/p/1")).toMatchObject({
      amount: "997.00",
      currency: "PLN",
    });
  });

  it("ignores the state labels a buy link carries for the shop's script to toggle", () => {
    const page = html(
      "",
      `<h1>Zestaw podtynkowy WC</h1><span class="price">997,00 zł</span>
      <a href="#" class="add-to-basket js-add-to-basket show"><span class="can-buy-label">do koszyka</span>
        <span class="unavailable-label">Produkt niedostępny</span></a>`,
      "pl",
    );
    expect(extractPrice(page, "https://www.budowa.example.pl/p/1")).toMatchObject({
      availability: "in_stock",
    });
  });

  it("reads the value cell after a 'Price:' label on a table-laid page", () => {
    const page = html(
      "",
      `<h1>Sale</h1><div class="menu-left">${"<p>Category</p>".repeat(40)}</div>
      <table><tr><td class="tx_right">Type:</td><td><h5>Sports shoes</h5></td></tr>
      <tr><td class="tx_right bold grey">Price:</td><td class="tx_left link"><strike>64.27 €</strike>
        <span class="bold red">43.97 € </span> <span class="red bold">(- 32%)</span></td></tr></table>`,
    );
    expect(extractPrice(page, "https://shoes.example.com/p/1")).toMatchObject({
      amount: "43.97",
      currency: "EUR",
    });
  });

  it("passes over an instalment whose '3x' sits in its own element", () => {
    const page = html(
      "",
      `<h1>Montre Pro Trek</h1><div class="product-price">
      <p>ou <span class="number">3x</span> <span class="price">86,33€</span> (sans frais)</p>

      <span class="price">259,00 €</span></div><button class="add-to-cart">Ajouter au panier</button>`,
      "fr",
    );
    expect(extractPrice(page, "https://montres.example.fr/p/1")).toMatchObject({ amount: "259.00" });
  });

  it("sets instalments told by a count in the element before them clearly apart, in a long payment text", () => {
    const page = html(
      "",
      `<h1>Montre Pro Trek</h1><p class="product__price"><span class="dyn_prod_price">259,00</span>
        <span class="dyn_prod_money">€</span></p><div class="free-shipping">Livraison offerte</div>
      <p class="product__cofidis">ou <span class="number">3x</span> <span>86,33€</span> (sans frais) ou
        <span class="number">4x</span> <span>66,17€</span> avec <a href="/services/3foiscb.htm">Cofidis</a>,
        par carte bancaire, sous réserve d'acceptation de votre dossier par l'organisme prêteur</p>
      <button class="add-to-cart">Ajouter au panier</button>`,
      "fr",
    );
    expect(extractPrice(page, "https://montres.example.fr/p/1")).toMatchObject({
      amount: "259.00",
      confidence: 0.9,
    });
  });

  it("joins cents set in a plain span after the currency and the whole units", () => {
    const page = html(
      "",
      `<h1>Video doorbell</h1><div class="price_FHDfG salePrice_kTFZ3">$229<span class="rightEnd_6y">99</span></div>`,
    );
    expect(extractPrice(page, "https://shop.example.ca/p/1")).toMatchObject({
      amount: "229.99",
      currency: "CAD",
    });
  });

  it("takes the headline of a price box showing the price with and without tax", () => {
    const page = html(
      "",
      `<h1 class="heading">ANPIX redukcia NGFF M2 na PCI-E 4x</h1><div class="price-wrap-detail">
        <div class="notax"><span class="text">bez DPH</span><span class="price">3,56 €</span></div>
        <div class="tax"><span class="text">s DPH</span><span class="price">4,27 €</span></div></div>
        <button class="btn" type="submit">Do košíka</button>`,
      "sk",
    );
    expect(extractPrice(page, "https://www.pc.example.sk/anpix")).toMatchObject({
      outcome: "price",
      amount: "3.56",
      rule: "dom",
      confidence: 0.6,
    });
  });
});

describe("structured data variants", () => {
  const groupPage = (url: string) =>
    extractPrice(
      html(
        jsonLd({
          "@context": "https://schema.org",
          "@type": "ProductGroup",
          name: "T-shirt",
          hasVariant: [
            {
              "@type": "Product",
              sku: "TS-S",
              offers: {
                "@type": "Offer",
                price: 15,
                priceCurrency: "EUR",
                url: "https://s.example.de/ts?size=S",
              },
            },
            {
              "@type": "Product",
              sku: "TS-XL",
              offers: {
                "@type": "Offer",
                price: 18,
                priceCurrency: "EUR",
                url: "https://s.example.de/ts?size=XL",
              },
            },
          ],
        }),
        "<h1>T-shirt</h1>",
      ),
      url,
    );

  it("takes the variant the page's URL selects", () => {
    expect(groupPage("https://s.example.de/ts?size=XL")).toMatchObject({ amount: "18.00", rule: "json-ld" });
    expect(groupPage("https://s.example.de/ts?size=S")).toMatchObject({ amount: "15.00", rule: "json-ld" });
  });

  it("reports variants with different prices and nothing to choose between them as a conflict", () => {
    expect(groupPage("https://s.example.de/ts")).toMatchObject({ outcome: "conflict" });
  });

  it("takes the price most size offers share, preferring those in stock", () => {
    const offer = (price: string, availability: string) => ({
      "@type": "Offer",
      price,
      priceCurrency: "EUR",
      availability,
    });
    const page = html(
      jsonLd({
        "@type": "Product",
        offers: [
          offer("70.50", "InStock"),
          offer("70.50", "InStock"),
          offer("62.95", "OutOfStock"),
          offer("80.50", "InStock"),
        ],
      }),
      "",
    );
    expect(extractPrice(page)).toMatchObject({ amount: "70.50", availability: "in_stock" });
  });

  it("reads AggregateOffer's lowPrice, in any key case and nested in a value object", () => {
    const page = html(
      jsonLd({
        "@type": "Product",
        offers: {
          "@type": "AggregateOffer",
          lowprice: { sales: { value: 3499, currency: "ARS" } },
          priceCurrency: "ARS",
        },
      }),
      "",
    );
    expect(extractPrice(page, "https://tienda.example.com.ar/p")).toMatchObject({
      amount: "3499.00",
      currency: "ARS",
    });
  });

  it("skips a priceSpecification list price and keeps the sale price", () => {
    const page = html(
      jsonLd({
        "@type": "Product",
        offers: {
          "@type": "Offer",
          priceSpecification: [
            {
              "@type": "UnitPriceSpecification",
              priceType: "https://schema.org/ListPrice",
              price: 99,
              priceCurrency: "GBP",
            },
            { "@type": "UnitPriceSpecification", price: 79, priceCurrency: "GBP" },
          ],
        },
      }),
      "",
    );
    expect(extractPrice(page)).toMatchObject({ amount: "79.00", currency: "GBP" });
  });

  it("reads a shop-text og:price and prefers a product sale price meta", () => {
    expect(extractPrice(html(`<meta property="og:price" content="30,000원~">`, ""))).toMatchObject({
      amount: "30000",
      currency: "KRW",
      rule: "opengraph",
    });
    const sale = `<meta property="product:price:amount" content="50"><meta property="product:price:currency" content="USD">
      <meta property="product:sale_price:amount" content="40"><meta property="product:sale_price:currency" content="USD">`;
    expect(extractPrice(html(sale, ""))).toMatchObject({ amount: "40.00", currency: "USD" });
  });

  it("takes the microdata product that holds the page's title over related products", () => {
    const scope = (name: string, price: string) =>
      `<div itemscope itemtype="https://schema.org/Product"><span itemprop="name">${name}</span>
        <div itemprop="offers" itemscope itemtype="https://schema.org/Offer"><meta itemprop="price" content="${price}"><meta itemprop="priceCurrency" content="EUR"></div></div>`;
    const page = html(
      "",
      `<h1>Casio watch</h1>${scope("Casio watch", "259")}${scope("Strap", "44.99")}${scope("Box", "49.99")}`,
    );
    expect(extractPrice(page)).toMatchObject({ amount: "259.00", rule: "microdata" });
  });
});

describe("availability", () => {
  const product = (availability: string) =>
    jsonLd({
      "@type": "Product",
      offers: { "@type": "Offer", price: 10, priceCurrency: "EUR", availability },
    });

  it.each([
    ["https://schema.org/PreOrder", "pre_order"],
    ["https://schema.org/BackOrder", "pre_order"],
    ["https://schema.org/SoldOut", "out_of_stock"],
    ["InStock", "in_stock"],
  ])("reads schema.org %s as %s", (value, availability) => {
    expect(extractPrice(html(product(value), ""))).toMatchObject({ availability });
  });

  it("reads the stock text in the page's language when structured data does not say", () => {
    const offer = jsonLd({
      "@type": "Product",
      offers: { "@type": "Offer", price: 10, priceCurrency: "EUR" },
    });
    expect(
      extractPrice(html(offer, `<p class="stock-status">Derzeit nicht verfügbar</p>`, "de")),
    ).toMatchObject({
      availability: "out_of_stock",
    });
    expect(extractPrice(html(offer, `<p class="availability">Vorbestellen</p>`, "de"))).toMatchObject({
      availability: "pre_order",
    });
    expect(
      extractPrice(html(offer, `<button class="add-to-cart" disabled>Do koszyka</button>`, "pl")),
    ).toMatchObject({
      availability: "out_of_stock",
    });
  });

  it("ignores a stock label repeated on many items (a listing template) and reads the offer as in stock", () => {
    const offer = jsonLd({
      "@type": "Product",
      offers: { "@type": "Offer", price: 10, priceCurrency: "PLN" },
    });
    const labels = `<span class="unavailable-label">Produkt niedostępny</span>`.repeat(3);
    expect(extractPrice(html(offer, labels, "pl"))).toMatchObject({ availability: "in_stock" });
  });
});

describe("availability without a price", () => {
  it("reports the buy button of a page whose price cannot be told", () => {
    const page = html(
      "",
      `<h1>Lamp</h1><p>Ask us for a quote</p><button class="add-to-cart">Add to cart</button>`,
    );
    expect(extractPrice(page)).toMatchObject({ outcome: "no_price", availability: "in_stock" });
  });

  it("reports a sold-out page that hides its price as out of stock", () => {
    const page = html("", `<h1>Lampe Nova</h1><p class="stock-status">Ausverkauft</p>`, "de");
    expect(extractPrice(page)).toMatchObject({ outcome: "no_price", availability: "out_of_stock" });
  });
});

describe("block detection without false alarms", () => {
  it("does not call a product page with a price and a captcha widget blocked", () => {
    const page = html(
      "",
      `<h1>Reading glasses</h1><span class="price">40,00 €</span><div class="g-recaptcha"></div>`,
    );
    expect(extractPrice(page, "https://optika.example.si/p")).toMatchObject({
      outcome: "price",
      amount: "40.00",
    });
  });

  it("calls a short captcha page without a product blocked", () => {
    const page = html("", `<p>Please confirm you are human</p><div class="h-captcha"></div>`);
    expect(extractPrice(page)).toEqual({ outcome: "blocked", reason: "captcha page" });
  });
});

describe("site rules", () => {
  it("apply to their own hosts and subdomains", () => {
    expect(siteRulesFor("amazon.de").map((rule) => rule.name)).toEqual(["amazon"]);
    expect(siteRulesFor("articulo.mercadolibre.com.ar").map((rule) => rule.name)).toEqual(["mercadolivre"]);
    expect(siteRulesFor("shop.example.com")).toEqual([]);
  });

  it("apply elsewhere only to pages carrying their shop's markup", () => {
    const marked = '<h1>Cadeira</h1><div data-testid="price-value">R$ 10,00</div>';
    expect(extractPrice(marked, "http://localhost/p")).toMatchObject({
      amount: "10.00",
      rule: "site:magalu",
    });
    const plain = '<h1>Cadeira</h1><p class="price">R$ 10,00</p>';
    expect(extractPrice(plain, "http://localhost/p")).toMatchObject({ amount: "10.00", rule: "dom" });
  });
});
