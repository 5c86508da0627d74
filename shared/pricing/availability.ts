/**
 * Availability vocabulary: schema.org values (structured data, microdata, meta), stock texts in ~30
 * languages, and buy-button labels. The page scan (dom.ts) applies them to the stock texts near the buy
 * box and to the buy button (enabled: in stock; disabled: out of stock). No evidence is "unknown".
 */
import type { Availability } from "./page.ts";

const SCHEMA_VALUES: Readonly<Record<string, Availability>> = {
  instock: "in_stock",
  "in stock": "in_stock",
  in_stock: "in_stock",
  available: "in_stock",
  instoreonly: "in_stock",
  onlineonly: "in_stock",
  limitedavailability: "in_stock",
  outofstock: "out_of_stock",
  "out of stock": "out_of_stock",
  out_of_stock: "out_of_stock",
  oos: "out_of_stock",
  soldout: "out_of_stock",
  discontinued: "out_of_stock",
  unavailable: "out_of_stock",
  preorder: "pre_order",
  "pre-order": "pre_order",
  pre_order: "pre_order",
  presale: "pre_order",
  backorder: "pre_order",
  "available for order": "pre_order",
};

/** A schema.org availability ("https://schema.org/InStock", "InStock", "in stock") as ours. */
export function availabilityFromSchema(value: string | undefined): Availability {
  const token = (value ?? "")
    .trim()
    .replace(/^.*[/:#]/, "")
    .toLowerCase();
  return SCHEMA_VALUES[token] ?? "unknown";
}

const OUT_OF_STOCK =
  /out of stock|sold out|currently unavailable|no longer available|not available|temporarily unavailable|notify me when|email me when|ausverkauft|nicht (?:mehr )?(?:verfügbar|lieferbar|vorrätig|auf lager)|derzeit nicht|épuisé|rupture de stock|en rupture|indisponible|non disponible|agotado|sin stock|sin existencias|no disponible|esgotad[oa]|indispon[ií]vel|sem estoque|fora de estoque|esaurito|non disponibile|uitverkocht|niet (?:op voorraad|leverbaar|beschikbaar)|slutsåld|ej i lager|utsolgt|ikke på lager|udsolgt|loppuunmyyty|ei varastossa|wyprzedan|niedostępny|brak w magazynie|brak towaru|vyprodáno|není skladem|nie je skladom|vypredané|elfogyott|nincs készleten|stoc epuizat|indisponibil|nu este în stoc|нет в наличии|распродан|немає в наявності|tükendi|stokta yok|品切れ|在庫切れ|売り切れ|품절|缺货|缺貨|售完|غير متوفر|نفذت|ناموجود|hết hàng|สินค้าหมด|ni na zalogi|razprodano|nema na zalihi|rasprodano|laost otsas|pole saadaval|išparduota|nav noliktavā|изчерпан|εξαντλήθηκε|μη διαθέσιμο|an[uú]ncio pausado|publicaci[oó]n pausada/iu;
const PRE_ORDER =
  /pre-?order|reservar|précommande|pré-commande|vorbestell|prenota|preventa|pré-venda|предзаказ|ennakkotilaa|förbeställ|forhåndsbestill|przedsprzedaż|予約|예약|预订|預購/iu;
const IN_STOCK =
  /in stock|available now|ready to ship|ships today|auf lager|sofort lieferbar|lieferbar|vorrätig|verfügbar|en stock|disponible|en existencia|em estoque|dispon[ií]vel|disponibile|op voorraad|leverbaar|i lager|på lager|varastossa|dostępny|w magazynie|skladem|na skladě|na sklade|raktáron|készleten|în stoc|в наличии|є в наявності|stokta|在庫あり|재고 있음|有货|有現貨|متوفر|موجود|còn hàng|มีสินค้า|na zalogi|na zalihi|laos|sandėlyje|noliktavā|наличен|σε απόθεμα|[uú]ltimas? dispon[ií]ve(?:l|is)|stock disponible/iu;
/** Buy-button labels ("Add to cart", "In den Warenkorb", "カートに入れる"). */
export const BUY =
  /add to (?:cart|basket|bag|trolley)|buy (?:it )?now|in den (?:warenkorb|einkaufswagen)|jetzt kaufen|ajouter au panier|acheter|añadir al carrito|agregar al carrito|a[ñn]adir a la cesta|comprar|adicionar (?:ao|à) (?:carrinho|sacola)|aggiungi al carrello|acquista|in (?:de )?winkelwagen|lägg i varukorg|köp|legg i handlekurv|kjøp|læg i kurv|lisää ostoskoriin|dodaj do koszyka|kup teraz|do košíku|koupit|kosárba|adaug[aă] în co[sș]|cump[aă]r[aă]|в корзину|купить|додати в кошик|купити|sepete ekle|satın al|カートに入れる|購入|장바구니|구매|加入购物车|立即购买|加入購物車|立即購買|أضف إلى|اشتر|افزودن به سبد|thêm vào giỏ|mua ngay|ใส่ตะกร้า|dodaj v košarico|dodaj u košaricu|lisa ostukorvi|į krepšelį|pievienot grozam|добави в количката|προσθήκη στο καλάθι/iu;
/** Availability read from short stock texts ("Out of stock", "Auf Lager", "在庫あり"). */
export function availabilityFromText(text: string): Availability {
  if (OUT_OF_STOCK.test(text)) return "out_of_stock";
  if (PRE_ORDER.test(text)) return "pre_order";
  if (IN_STOCK.test(text)) return "in_stock";
  return "unknown";
}
