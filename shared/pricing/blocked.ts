/**
 * Block pages served with status 200: bot challenges (Cloudflare, DataDome, PerimeterX, Imperva), captcha
 * pages (Amazon's Robot Check), account-verification walls. Only asked when a page gave no product price,
 * so a product page with a price and a login reCAPTCHA is never "blocked". The markup checks are one
 * selector, run only when the page's HTML holds one of their words.
 */
import { textOf } from "./elements.ts";
import type { PageContext } from "./page.ts";

const MARKUP: readonly (readonly [reason: string, selector: string])[] = [
  [
    "Cloudflare bot challenge",
    "#challenge-form, #challenge-running, #cf-challenge-running, .cf-browser-verification",
  ],
  ["Amazon captcha (Robot Check)", 'form[action*="validateCaptcha"]'],
  [
    "Mercado Livre account verification",
    'form[action*="account-verification"], link[rel="canonical"][href*="account-verification"], meta[http-equiv="refresh"][content*="account-verification"]',
  ],
  ["DataDome captcha", 'iframe[src*="captcha-delivery.com"], script[src*="captcha-delivery.com"]'],
  ["PerimeterX challenge", "#px-captcha"],
];
const MARKUP_WORDS = /challenge|cf-browser-verification|validateCaptcha|account-verification|captcha/i;
const WIDGETS =
  '.g-recaptcha, .h-captcha, iframe[src*="recaptcha"], iframe[src*="hcaptcha"], [id*="captcha" i]';

/** Why the page is a block page, or undefined when it is not one. */
export function blockReason({ $, elements, html, pageUrl }: PageContext): string | undefined {
  const texts = (...tags: string[]) => tags.flatMap((tag) => elements.byTag(tag).map(textOf)).join(" ");
  const title = texts("title").trim();
  const headings = `${title} ${texts("h1", "h2")}`;
  const messages = texts("h1", "h2", "h3", "h4", "p");
  const path = pageUrl?.pathname ?? "";
  if (/^just a moment/i.test(title) || /attention required.*cloudflare/i.test(title)) {
    return "Cloudflare bot challenge";
  }
  const markup = MARKUP_WORDS.test(html);
  const marked = markup ? MARKUP.find(([, selector]) => $(selector).length > 0)?.[0] : undefined;
  if (marked === "Cloudflare bot challenge") return marked;
  if (
    /robot check/i.test(title) ||
    marked === "Amazon captcha (Robot Check)" ||
    /enter the characters you see below|digite os caracteres que voc[eê] v[eê] abaixo/i.test(messages)
  ) {
    return "Amazon captcha (Robot Check)";
  }
  if (
    /account-verification|suspicious-traffic/.test(path) ||
    marked === "Mercado Livre account verification" ||
    /tr[aá]fego suspeito|tr[aá]fico sospechoso|suspicious traffic/i.test(headings)
  ) {
    return "Mercado Livre account verification";
  }
  if (marked !== undefined) return marked;
  if (/pardon our interruption/i.test(title)) return "Imperva bot challenge";
  if (/^access denied/i.test(title) && /permission to access/i.test(messages)) return "access denied page";
  const smallPage = () => texts("body").replace(/\s+/g, " ").length < 3000;
  if ((markup && $(WIDGETS).length > 0 && smallPage()) || /captcha/i.test(`${title} ${texts("h1")}`))
    return "captcha page";
  return undefined;
}
