/**
 * Whether a request with the user's cookies was sent by one of the app's own pages. SameSite=Lax
 * cookies travel with a form POST from any page of the same *site*, and another port of the same
 * host is the same site (a form on http://host:8080 posting to http://host:3000 carries them), so
 * the browser's own account of the sender decides: `Sec-Fetch-Site` (Fetch Metadata; "same-origin"
 * or "none" for what the user typed), else `Origin` compared with the app's origins. A request
 * with neither is not from a browser (curl with a cookie) and is not a forgery.
 */
export function isCrossOriginRequest(headers: Headers, appOrigins: readonly string[]): boolean {
  const site = headers.get("sec-fetch-site");
  if (site) return site !== "same-origin" && site !== "none";
  const origin = headers.get("origin");
  if (origin === null) return false;
  return !appOrigins.includes(origin.toLowerCase());
}

/** The app's origins: the one the request was addressed to, and the configured public URL. */
export function appOrigins(requestUrl: string, publicUrl: string | undefined): string[] {
  const origins = [new URL(requestUrl).origin];
  if (publicUrl) {
    try {
      origins.push(new URL(publicUrl).origin);
    } catch {
      // an unusable BETTER_AUTH_URL is reported where better-auth reads it
    }
  }
  return origins.map((o) => o.toLowerCase());
}

export const isSafeMethod = (method: string) => ["GET", "HEAD", "OPTIONS"].includes(method.toUpperCase());
