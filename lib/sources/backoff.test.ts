import { describe, expect, it } from "vitest";
import { isRetryableStatus, parseRetryAfter, retryDelayMs } from "./backoff";

describe("backoff", () => {
  it("retries 429 and 5xx, not 4xx", () => {
    expect([429, 500, 502, 503, 504].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 403, 404, undefined].some(isRetryableStatus)).toBe(false);
  });

  it("reads Retry-After as seconds or an HTTP date", () => {
    const now = new Date("2030-01-01T00:00:00Z");
    expect(parseRetryAfter("7", now)).toBe(7000);
    expect(parseRetryAfter("Tue, 01 Jan 2030 00:00:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfter(["2"], now)).toBe(2000);
    expect(parseRetryAfter(undefined, now)).toBeNull();
    expect(parseRetryAfter("soon", now)).toBeNull();
  });

  it("doubles up to the cap, half fixed and half random; Retry-After wins within the cap", () => {
    const opts = { baseMs: 500, maxMs: 30_000 };
    expect(retryDelayMs(1, null, { ...opts, random: () => 0 })).toBe(250);
    expect(retryDelayMs(1, null, { ...opts, random: () => 1 })).toBe(500);
    expect(retryDelayMs(4, null, { ...opts, random: () => 1 })).toBe(4000);
    expect(retryDelayMs(20, null, { ...opts, random: () => 1 })).toBe(30_000);
    expect(retryDelayMs(1, 3000, opts)).toBe(3000);
    expect(retryDelayMs(1, 600_000, opts)).toBe(30_000);
  });
});
