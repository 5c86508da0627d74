/**
 * What every extraction rule gets: the parsed page, its URL's host, and the currency the page most likely
 * uses when a price text shows none (from the page's own currency markup, the shop's country-code domain,
 * or its language's region), plus the shapes rules answer with.
 */
import type { CheerioAPI } from "cheerio";
import type { PageElements } from "./elements.ts";

export type Availability = "in_stock" | "out_of_stock" | "pre_order" | "unknown";

export interface PriceCandidate {
  readonly amount: string;
  readonly currency: string;
}

export interface Offer extends PriceCandidate {
  readonly availability: Availability;
}

export interface PageContext {
  readonly $: CheerioAPI;
  /** The elements rules look up by tag or itemprop, filed in one pass. */
  readonly elements: PageElements;
  /** The page's HTML as fetched: a cheap first test before a selector runs. */
  readonly html: string;
  /** Lower-case host without "www.", "" when the URL is unknown. */
  readonly host: string;
  readonly pageUrl: URL | undefined;
  readonly currencyHint: string | undefined;
  /** The page's language subtag ("de", "pt"), "" when unknown. */
  readonly language: string;
  /** The page's meta tags: property or name (lower case) → contents. */
  readonly meta: ReadonlyMap<string, readonly string[]>;
}
