import { createHmac } from "node:crypto";
import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { TrustedProxies } from "./client-address";
import { guardPage, type PageGuardOptions } from "./page-guard";

const secret = "a-secret-of-more-than-thirty-two-characters";
const cookie = `wmi.session_token=${encodeURIComponent(`tok.${createHmac("sha256", secret).update("tok").digest("base64")}`)}`;
const options: PageGuardOptions = { trustedProxies: new TrustedProxies([]), secret, publicUrl: undefined, dev: false };
const get = (url: string, headers: Record<string, string> = {}, o = options) =>
  guardPage(new NextRequest(new URL(url, "http://localhost:3000"), { headers }), o);

describe("guardPage", () => {
  it("redirects a visitor without a session with a 307 to the login page, keeping where they were going", () => {
    const response = get("/alerts?status=open");
    expect(response.status).toBe(307);
    expect(response.headers.get("location")).toBe("http://localhost:3000/login?next=%2Falerts%3Fstatus%3Dopen");
    const forged = get("/alerts", { cookie: "wmi.session_token=tok.AAAA" });
    expect(forged.status).toBe(307);
  });

  it("lets the login page through, and a signed-in user everywhere, with a fresh script nonce each time", () => {
    expect(get("/login").headers.get("location")).toBeNull();
    const first = get("/alerts", { cookie });
    const second = get("/alerts", { cookie });
    expect(first.headers.get("location")).toBeNull();
    const csp = first.headers.get("content-security-policy")!;
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{24}' 'strict-dynamic'(;|$)/);
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(second.headers.get("content-security-policy")).not.toBe(csp);
    // Next.js reads the nonce from the request's CSP header
    expect(first.headers.get("x-middleware-request-content-security-policy")).toBe(csp);
  });

  it("sends HSTS only when HTTPS is known: a trusted proxy says so, or the public URL is https", () => {
    const forged = get("/login", { "x-forwarded-proto": "https" });
    expect(forged.headers.get("strict-transport-security")).toBeNull();
    const proxied = get(
      "/login",
      { "x-forwarded-proto": "https" },
      { ...options, trustedProxies: new TrustedProxies(["127.0.0.1"]) },
    );
    expect(proxied.headers.get("strict-transport-security")).toBe("max-age=31536000; includeSubDomains");
    const configured = get("/login", {}, { ...options, publicUrl: "https://triage.example" });
    expect(configured.headers.get("strict-transport-security")).toMatch(/max-age=31536000/);
  });

  it("sends pages with a trailing slash to the path without it", () => {
    const response = get("/alerts/?x=1", { cookie });
    expect(response.status).toBe(308);
    expect(response.headers.get("location")).toBe("http://localhost:3000/alerts?x=1");
  });
});
