/** Every site rule; a page's host picks them, or else the shop markup the page carries. */
import type { PageContext } from "../page.ts";
import { amazon } from "./amazon.ts";
import { magalu } from "./magalu.ts";
import { mercadoLivre } from "./mercadolivre.ts";
import type { SiteRule } from "./site.ts";

export const SITE_RULES: readonly SiteRule[] = [mercadoLivre, amazon, magalu];
/** Class, id and attribute-value words of each rule's marker: a page whose HTML holds none cannot match it. */
const MARKER_WORDS: ReadonlyMap<SiteRule, readonly string[]> = new Map(
  SITE_RULES.map((rule) => [
    rule,
    [...rule.marker.matchAll(/[.#]([\w-]+)|="([^"]+)"/g)].map((match) => match[1] ?? match[2]!),
  ]),
);

/** The rules for a host ("amazon.de", "articulo.mercadolibre.com.ar"). */
export function siteRulesFor(host: string): readonly SiteRule[] {
  return SITE_RULES.filter((rule) =>
    rule.hosts.some((known) => host === known || host.endsWith(`.${known}`)),
  );
}

/** The rules for a page: its host's, or else those whose markup it carries (a saved copy, a mirror). */
export function siteRulesForPage({ $, host, html }: PageContext): readonly SiteRule[] {
  const byHost = siteRulesFor(host);
  if (byHost.length > 0) return byHost;
  return SITE_RULES.filter(
    (rule) =>
      MARKER_WORDS.get(rule)?.some((word) => html.includes(word)) === true && $(rule.marker).length > 0,
  );
}
