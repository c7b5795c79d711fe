import { describe, expect, it } from "vitest";
import { clientAddress, forwardedHttps, parseAddressRange, TrustedProxies } from "./client-address";

const h = (init: Record<string, string>) => new Headers(init);

describe("parseAddressRange", () => {
  it("reads addresses and CIDR ranges, IPv4 and IPv6", () => {
    expect(parseAddressRange("10.0.0.1")).toEqual({ address: "10.0.0.1", prefix: 32, family: "ipv4" });
    expect(parseAddressRange("10.0.0.0/8")).toEqual({ address: "10.0.0.0", prefix: 8, family: "ipv4" });
    expect(parseAddressRange("::1")).toEqual({ address: "::1", prefix: 128, family: "ipv6" });
    expect(parseAddressRange("fd00::/8")).toMatchObject({ prefix: 8, family: "ipv6" });
  });

  it("rejects what is not an address or range", () => {
    for (const bad of ["", "localhost", "10.0.0.0/33", "10.0.0.0/x", "10.0.0.0/8/1", "1.2.3", "::1/129"])
      expect(parseAddressRange(bad), bad).toBeNull();
  });
});

describe("clientAddress", () => {
  it("ignores X-Forwarded-For when no proxy is trusted", () => {
    expect(clientAddress(h({ "x-forwarded-for": "203.0.113.9" }), new TrustedProxies([]))).toBeNull();
  });

  it("takes the rightmost address that is not a trusted proxy", () => {
    const proxies = new TrustedProxies(["10.0.0.0/8", "127.0.0.1"]);
    // the client claimed 1.1.1.1; the proxy appended the address it saw
    expect(clientAddress(h({ "x-forwarded-for": "1.1.1.1, 203.0.113.9" }), proxies)).toBe("203.0.113.9");
    expect(clientAddress(h({ "x-forwarded-for": "1.1.1.1, 203.0.113.9, 10.1.2.3" }), proxies)).toBe("203.0.113.9");
    expect(clientAddress(h({ "x-forwarded-for": "::ffff:10.0.0.5, 2001:db8::1" }), proxies)).toBe("2001:db8::1");
    expect(clientAddress(h({ "x-forwarded-for": "2001:db8::1, ::ffff:10.0.0.5" }), proxies)).toBe("2001:db8::1");
  });

  it("gives up on garbage or a chain of proxies only", () => {
    const proxies = new TrustedProxies(["10.0.0.0/8"]);
    expect(clientAddress(h({ "x-forwarded-for": "evil, 10.0.0.1" }), proxies)).toBeNull();
    expect(clientAddress(h({ "x-forwarded-for": "10.0.0.2, 10.0.0.1" }), proxies)).toBeNull();
    expect(clientAddress(h({}), proxies)).toBeNull();
  });

  it("refuses a bad TRUSTED_PROXY entry by name", () => {
    expect(() => new TrustedProxies(["10.0.0.0/40"])).toThrow(/TRUSTED_PROXY: "10.0.0.0\/40"/);
  });
});

describe("forwardedHttps", () => {
  it("believes X-Forwarded-Proto only behind a trusted proxy", () => {
    expect(forwardedHttps(h({ "x-forwarded-proto": "https" }), new TrustedProxies([]))).toBe(false);
    expect(forwardedHttps(h({ "x-forwarded-proto": "https" }), new TrustedProxies(["127.0.0.1"]))).toBe(true);
    expect(forwardedHttps(h({ "x-forwarded-proto": "http" }), new TrustedProxies(["127.0.0.1"]))).toBe(false);
  });
});
