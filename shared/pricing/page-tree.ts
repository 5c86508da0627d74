/**
 * Parses a product page into the tree price extraction reads (htmlparser2, as cheerio does), without
 * building the insides of areas that never hold the product's own price — navigation, footers, asides,
 * lists of related products (dom.ts `isOtherProductsArea`) — which on real pages are much of the markup. Inside
 * such an area only scripts (JSON-LD, embedded state), meta and link tags and microdata elements (with
 * itemscope or itemprop, and their text) are kept, so structured data anywhere on the page is still read.
 */
import { load, type CheerioAPI } from "cheerio";
import { DomHandler } from "domhandler";
import { Parser } from "htmlparser2";
import { isOtherProductsArea } from "./dom.ts";

const ALWAYS_KEPT = new Set(["script", "meta", "link"]);

class PruningHandler extends DomHandler {
  /** Per open tag: whether it was built (false inside a pruned area). */
  private readonly built: boolean[] = [];
  /** Open pruned areas around the current position. */
  private pruning = 0;

  override onopentag(name: string, attribs: Record<string, string>): void {
    const kept =
      this.pruning === 0 ||
      ALWAYS_KEPT.has(name) ||
      attribs["itemprop"] !== undefined ||
      attribs["itemscope"] !== undefined;
    this.built.push(kept);
    if (!kept) {
      this.lastNode = null;
      return;
    }
    super.onopentag(name, attribs);
    if (this.pruning > 0 || isOtherProductsArea(name, attribs)) this.pruning++;
  }

  override onclosetag(): void {
    if (this.built.pop() !== true) {
      this.lastNode = null;
      return;
    }
    super.onclosetag();
    if (this.pruning > 0) this.pruning--;
  }

  override ontext(data: string): void {
    if (this.built[this.built.length - 1] !== false) super.ontext(data);
  }

  override oncomment(data: string): void {
    if (this.pruning === 0) super.oncomment(data);
  }
}

/** The page as cheerio reads it, with the insides of never-the-price areas left out. */
export function loadPage(html: string): CheerioAPI {
  const handler = new PruningHandler();
  new Parser(handler, { decodeEntities: true }).end(html);
  return load(handler.root);
}
