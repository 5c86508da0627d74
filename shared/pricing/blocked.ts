/**
 * Block pages served with status 200: bot challenges (Cloudflare, DataDome, PerimeterX, Imperva), captcha
 * pages (Amazon's Robot Check), account-verification walls. Only asked when a page gave no product price,
 * so a product page with a price and a login reCAPTCHA is never "blocked".
 */
import type { CheerioAPI } from "cheerio";

/** Why the page is a block page, or undefined when it is not one. */
export function blockReason($: CheerioAPI, pageUrl: URL | undefined): string | undefined {
  const title = $("title").first().text().trim();
  const headings = `${title} ${$("h1, h2").text()}`;
  const messages = $("h1, h2, h3, h4, p").text();
  const path = pageUrl?.pathname ?? "";
  if (/^just a moment/i.test(title) || /attention required.*cloudflare/i.test(title)) {
    return "Cloudflare bot challenge";
  }
  if ($("#challenge-form, #challenge-running, #cf-challenge-running, .cf-browser-verification").length > 0) {
    return "Cloudflare bot challenge";
  }
  if (
    /robot check/i.test(title) ||
    $('form[action*="validateCaptcha"]').length > 0 ||
    /enter the characters you see below|digite os caracteres que voc[eê] v[eê] abaixo/i.test(messages)
  ) {
    return "Amazon captcha (Robot Check)";
  }
  if (
    /account-verification|suspicious-traffic/.test(path) ||
    $(
      'form[action*="account-verification"], link[rel="canonical"][href*="account-verification"], meta[http-equiv="refresh"][content*="account-verification"]',
    ).length > 0 ||
    /tr[aá]fego suspeito|tr[aá]fico sospechoso|suspicious traffic/i.test(headings)
  ) {
    return "Mercado Livre account verification";
  }
  if ($('iframe[src*="captcha-delivery.com"], script[src*="captcha-delivery.com"]').length > 0) {
    return "DataDome captcha";
  }
  if ($("#px-captcha").length > 0) return "PerimeterX challenge";
  if (/pardon our interruption/i.test(title)) return "Imperva bot challenge";
  if (/^access denied/i.test(title) && /permission to access/i.test(messages)) return "access denied page";
  const widgets =
    '.g-recaptcha, .h-captcha, iframe[src*="recaptcha"], iframe[src*="hcaptcha"], [id*="captcha" i]';
  const smallPage = $("body").text().replace(/\s+/g, " ").length < 3000;
  if ((smallPage && $(widgets).length > 0) || /captcha/i.test(`${title} ${$("h1").text()}`))
    return "captcha page";
  return undefined;
}
