import type { NextRequest } from "next/server";
import { getEnv } from "@/lib/env";
import { TrustedProxies } from "@/lib/http/client-address";
import { guardPage } from "@/lib/http/page-guard";

// Next.js's proxy (formerly middleware): CSP nonce, HSTS and the sign-in redirect for pages.
const trustedProxies = new TrustedProxies(getEnv().TRUSTED_PROXY);

export function proxy(request: NextRequest) {
  const env = getEnv();
  return guardPage(request, {
    trustedProxies,
    secret: env.BETTER_AUTH_SECRET,
    publicUrl: env.BETTER_AUTH_URL,
    dev: env.NODE_ENV === "development",
  });
}

// API routes stay out: a matched request's body is buffered for the proxy (10 MB), which uploads
// and _bulk must never be
export const config = {
  matcher: [
    {
      source: "/((?!api/|_next/static|_next/image|favicon.svg|robots.txt).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
        // server actions answer with data, not a page, and may carry uploads (training packs)
        { type: "header", key: "next-action" },
      ],
    },
  ],
};
