import type { NextConfig } from "next";
import { NON_PAGE_CSP } from "./lib/http/security-headers";

// Attacker-controlled strings (command lines, script bodies) are rendered as text by React; the
// CSP is the second line of defence. Pages get theirs, with a per-request script nonce, from
// proxy.ts; everything else (API answers, static files) may run and embed nothing.
const nextConfig: NextConfig = {
  // NEXT_DIST_DIR lets parallel builds (several worktrees' e2e runs on one machine) keep apart
  distDir: process.env.NEXT_DIST_DIR ?? ".next",
  serverExternalPackages: ["@electric-sql/pglite", "@electric-sql/pglite-socket", "graphile-worker", "pg"],
  poweredByHeader: false,
  typedRoutes: false,
  // Elastic's clients ask for GET /api/es/ (trailing slash); a 308 there is returned to them as
  // the answer of info(). proxy.ts redirects pages with a trailing slash itself.
  skipTrailingSlashRedirect: true,
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Referrer-Policy", value: "same-origin" },
        ],
      },
      { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: NON_PAGE_CSP }] },
      { source: "/_next/:path*", headers: [{ key: "Content-Security-Policy", value: NON_PAGE_CSP }] },
    ];
  },
};

export default nextConfig;
