/**
 * One walk over a parsed page that files the elements the extraction rules ask for — by tag (meta,
 * script, title, h1…) and those carrying itemprop — so each rule reads a short list instead of running
 * a selector over the whole document (selectors were most of the extraction time on 100 kB pages).
 */
import type { AnyNode, Element } from "domhandler";

const FILED_TAGS = new Set(["html", "body", "title", "meta", "script", "h1", "h2", "h3", "h4", "p"]);
const NONE: readonly Element[] = [];

export interface PageElements {
  /** The page's elements of one of the filed tags, in document order. */
  readonly byTag: (tag: string) => readonly Element[];
  /** Elements with an itemprop attribute, in document order. */
  readonly withItemprop: readonly Element[];
}

/** Files the elements under the roots (the parsed document) in one depth-first pass. */
export function fileElements(roots: readonly AnyNode[]): PageElements {
  const tags = new Map<string, Element[]>();
  const withItemprop: Element[] = [];
  const pending: AnyNode[] = [...roots].reverse();
  while (pending.length > 0) {
    const node = pending.pop()!;
    if (!("children" in node)) continue;
    if ("attribs" in node) {
      if (FILED_TAGS.has(node.name)) {
        const list = tags.get(node.name);
        if (list) list.push(node);
        else tags.set(node.name, [node]);
      }
      if (node.attribs["itemprop"] !== undefined) withItemprop.push(node);
    }
    for (let index = node.children.length - 1; index >= 0; index--) pending.push(node.children[index]!);
  }
  return { byTag: (tag) => tags.get(tag) ?? NONE, withItemprop };
}

/** An element's text: its descendant text nodes joined, as cheerio's `.text()` gives it. */
export function textOf(element: AnyNode): string {
  const kind: string = element.type;
  if (kind === "text" && "data" in element) return element.data;
  if (!("children" in element)) return "";
  let text = "";
  for (const child of element.children) text += textOf(child);
  return text;
}

/** True when the element's itemprop lists the property ("price" in "price lowPrice"). */
export function hasItemprop(element: Element, property: string): boolean {
  return (element.attribs["itemprop"] ?? "").split(/\s+/).includes(property);
}
