/** Every site rule; a page's host (or, for a saved page without URL, any rule whose markup matches) picks them. */
import { amazon } from "./amazon.ts";
import { magalu } from "./magalu.ts";
import { mercadoLivre } from "./mercadolivre.ts";
import type { SiteRule } from "./site.ts";

export const SITE_RULES: readonly SiteRule[] = [mercadoLivre, amazon, magalu];

/** The rules for a host ("www.amazon.de" → amazon); every rule when the host is unknown (""). */
export function siteRulesFor(host: string): readonly SiteRule[] {
  if (host === "") return SITE_RULES;
  return SITE_RULES.filter((rule) =>
    rule.hosts.some((known) => host === known || host.endsWith(`.${known}`)),
  );
}
