import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { hasSignedSessionCookie, newNonce, pageContentSecurityPolicy } from "./security-headers";

const secret = "a-secret-of-more-than-thirty-two-characters";
const signed = (token: string, key = secret) =>
  encodeURIComponent(`${token}.${createHmac("sha256", key).update(token).digest("base64")}`);

describe("pageContentSecurityPolicy", () => {
  it("allows scripts only with the nonce, never inline", () => {
    const nonce = newNonce();
    const csp = pageContentSecurityPolicy(nonce, false);
    const script = csp.split("; ").find((d) => d.startsWith("script-src"))!;
    expect(script).toBe(`script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(newNonce()).not.toBe(nonce);
  });
});

describe("hasSignedSessionCookie", () => {
  it("accepts a cookie signed with the secret, under either name", () => {
    expect(hasSignedSessionCookie(`a=b; wmi.session_token=${signed("tok")}`, secret)).toBe(true);
    expect(hasSignedSessionCookie(`__Secure-wmi.session_token=${signed("tok")}`, secret)).toBe(true);
  });

  it("refuses missing, unsigned, forged or foreign cookies", () => {
    expect(hasSignedSessionCookie(null, secret)).toBe(false);
    expect(hasSignedSessionCookie("wmi.session_token=tok", secret)).toBe(false);
    expect(hasSignedSessionCookie(`wmi.session_token=${signed("tok", "another-secret")}`, secret)).toBe(false);
    expect(hasSignedSessionCookie(`other.session_token=${signed("tok")}`, secret)).toBe(false);
    expect(hasSignedSessionCookie(`wmi.session_token=${signed("tok")}`, undefined)).toBe(false);
  });
});
