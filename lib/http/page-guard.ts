import { NextResponse, type NextRequest } from "next/server";
import { forwardedHttps, type TrustedProxies } from "@/lib/http/client-address";
import { hasSignedSessionCookie, HSTS, newNonce, pageContentSecurityPolicy } from "@/lib/http/security-headers";

export type PageGuardOptions = {
  trustedProxies: TrustedProxies;
  /** BETTER_AUTH_SECRET: session cookies are signed with it */
  secret: string | undefined;
  /** BETTER_AUTH_URL: an https:// public URL means the app is served over HTTPS */
  publicUrl: string | undefined;
  dev: boolean;
};

const PUBLIC_PAGES = new Set(["/login", "/forbidden"]);

/**
 * What proxy.ts does before every page (not /api, not static files): a fresh CSP nonce (Next.js
 * reads it from the request's Content-Security-Policy header and puts it on its own scripts),
 * HSTS when served over HTTPS, and a real 307 to the login page for visitors without a session
 * cookie signed by this app. The redirect is a convenience, never the check: pages and handlers
 * still authenticate and authorise every request (a signed cookie whose session has ended is
 * turned away by the page itself).
 */
export function guardPage(request: NextRequest, options: PageGuardOptions): NextResponse {
  const { pathname, search } = request.nextUrl;
  // next.config keeps trailing slashes (for /api/es/, which Elastic's clients ask for); pages lose theirs here
  if (pathname.length > 1 && pathname.endsWith("/")) {
    return NextResponse.redirect(new URL(`${pathname.replace(/\/+$/, "") || "/"}${search}`, request.url), 308);
  }

  const csp = pageContentSecurityPolicy(newNonce(), options.dev);
  let response: NextResponse;
  if (!PUBLIC_PAGES.has(pathname) && !hasSignedSessionCookie(request.headers.get("cookie"), options.secret)) {
    const login = request.nextUrl.clone();
    login.pathname = "/login";
    login.search = pathname === "/" && !search ? "" : `?next=${encodeURIComponent(`${pathname}${search}`)}`;
    response = NextResponse.redirect(login, 307);
  } else {
    const requestHeaders = new Headers(request.headers);
    requestHeaders.set("content-security-policy", csp);
    response = NextResponse.next({ request: { headers: requestHeaders } });
  }
  response.headers.set("Content-Security-Policy", csp);
  const https = forwardedHttps(request.headers, options.trustedProxies) || /^https:\/\//i.test(options.publicUrl ?? "");
  if (https) response.headers.set("Strict-Transport-Security", HSTS);
  return response;
}
