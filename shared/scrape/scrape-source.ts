/**
 * One scrape of one price source: fetch the page politely, extract its price, and return the observation
 * the product object stores. Never throws for a failed fetch; failures are observations too.
 */
import type { Fetcher, Validators } from "./fetch.ts";
import { observationFrom, type PriceObservation } from "./observation.ts";

export type { PriceObservation } from "./observation.ts";

export async function scrapeSource(
  fetcher: Fetcher,
  url: string,
  validators?: Validators,
): Promise<PriceObservation> {
  return observationFrom(await fetcher.fetchPage(url, validators), validators);
}
