/**
 * A site rule: the markup of one shop, for the hosts it serves. Adding a shop is one file in this folder
 * exporting a SiteRule, listed in ./index.ts, plus a test.
 */
import type { Offer, PageContext } from "../page.ts";

export interface SiteRule {
  /** Short lower-case name; the extraction rule is reported as `site:<name>`. */
  readonly name: string;
  /** Host names (without "www.") and their subdomains the rule applies to. */
  readonly hosts: readonly string[];
  /** A CSS selector only this shop's markup matches: the rule also reads pages served elsewhere (saved copies, mirrors). */
  readonly marker: string;
  readonly offers: (page: PageContext) => Offer[];
}
