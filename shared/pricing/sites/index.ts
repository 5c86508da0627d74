/** Every site rule; a page's host picks them, or else the shop markup the page carries. */
import type { PageContext } from "../page.ts";
import { amazon } from "./amazon.ts";
import { magalu } from "./magalu.ts";
import { mercadoLivre } from "./mercadolivre.ts";
import type { SiteRule } from "./site.ts";

export const SITE_RULES: readonly SiteRule[] = [mercadoLivre, amazon, magalu];
const ANY_MARKER = SITE_RULES.map((rule) => rule.marker).join(", ");
/** Class, id and attribute-value words of the markers: a page whose HTML holds none cannot match one. */
const MARKER_WORDS = [...ANY_MARKER.matchAll(/[.#]([\w-]+)|="([^"]+)"/g)].map(
  (match) => match[1] ?? match[2]!,
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
  if (!MARKER_WORDS.some((word) => html.includes(word)) || $(ANY_MARKER).length === 0) return [];
  return SITE_RULES.filter((rule) => $(rule.marker).length > 0);
}
