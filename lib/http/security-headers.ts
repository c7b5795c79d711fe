import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * The response headers of every page, set per request by proxy.ts (Next.js's nonce pattern,
 * docs/app/guides/content-security-policy): scripts run only with this response's nonce, and
 * 'strict-dynamic' lets those load Next's chunks; no 'unsafe-inline' for scripts. Styles keep
 * 'unsafe-inline' because React's style attributes cannot carry a nonce (and a nonce in
 * style-src would switch 'unsafe-inline' off); CSS cannot run script.
 */
export function newNonce(): string {
  return randomBytes(16).toString("base64");
}

export function pageContentSecurityPolicy(nonce: string, dev: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** For responses that are not pages (API, static files): nothing may run or embed them. */
export const NON_PAGE_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** A year, subdomains included, once the app is known to be served over HTTPS. */
export const HSTS = "max-age=31536000; includeSubDomains";

const SESSION_COOKIES = ["wmi.session_token", "__Secure-wmi.session_token"];

/**
 * Whether the Cookie header carries a session cookie signed with this app's secret (better-call
 * signs `token.base64(HMAC-SHA256(secret, token))`). The signature proves the cookie was issued
 * here; whether the session is still alive is checked by the page against the database.
 */
export function hasSignedSessionCookie(cookieHeader: string | null, secret: string | undefined): boolean {
  if (!cookieHeader || !secret) return false;
  for (const part of cookieHeader.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0 || !SESSION_COOKIES.includes(part.slice(0, eq).trim())) continue;
    let value: string;
    try {
      value = decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      continue;
    }
    const dot = value.lastIndexOf(".");
    if (dot < 1) continue;
    const expected = createHmac("sha256", secret).update(value.slice(0, dot)).digest();
    const given = Buffer.from(value.slice(dot + 1), "base64");
    if (given.length === expected.length && timingSafeEqual(given, expected)) return true;
  }
  return false;
}
