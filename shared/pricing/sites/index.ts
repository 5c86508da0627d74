/** Every site rule; a page's host picks them, or else the shop markup the page carries. */
import type { CheerioAPI } from "cheerio";
import { amazon } from "./amazon.ts";
import { magalu } from "./magalu.ts";
import { mercadoLivre } from "./mercadolivre.ts";
import type { SiteRule } from "./site.ts";

export const SITE_RULES: readonly SiteRule[] = [mercadoLivre, amazon, magalu];
const ANY_MARKER = SITE_RULES.map((rule) => rule.marker).join(", ");

/** The rules for a host ("amazon.de", "articulo.mercadolibre.com.ar"). */
export function siteRulesFor(host: string): readonly SiteRule[] {
  return SITE_RULES.filter((rule) =>
    rule.hosts.some((known) => host === known || host.endsWith(`.${known}`)),
  );
}

/** The rules for a page: its host's, or else those whose markup it carries (a saved copy, a mirror). */
export function siteRulesForPage($: CheerioAPI, host: string): readonly SiteRule[] {
  const byHost = siteRulesFor(host);
  if (byHost.length > 0) return byHost;
  if ($(ANY_MARKER).length === 0) return [];
  return SITE_RULES.filter((rule) => $(rule.marker).length > 0);
}
