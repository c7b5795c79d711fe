import { describe, expect, it } from "vitest";
import { LoginRateLimiter, LoginThrottle } from "@/lib/auth/login-rate-limit";

describe("LoginRateLimiter", () => {
  it("blocks the sixth failure within a minute and lets it through after the window", () => {
    let now = 1_000_000;
    const limiter = new LoginRateLimiter(5, 60_000, () => now);
    for (let i = 0; i < 5; i++) {
      expect(limiter.retryAfter("ip|a@b")).toBe(0);
      limiter.recordFailure("ip|a@b");
      now += 1000;
    }
    expect(limiter.retryAfter("ip|a@b")).toBeGreaterThan(0);
    expect(limiter.retryAfter("ip|other@b")).toBe(0);
    now += 60_000;
    expect(limiter.retryAfter("ip|a@b")).toBe(0);
  });

  it("clears the count on success", () => {
    const limiter = new LoginRateLimiter(2, 60_000, () => 5);
    limiter.recordFailure("k");
    limiter.recordFailure("k");
    expect(limiter.retryAfter("k")).toBeGreaterThan(0);
    limiter.recordSuccess("k");
    expect(limiter.retryAfter("k")).toBe(0);
  });
});

describe("LoginThrottle", () => {
  it("limits an account however many addresses the guesses come from", () => {
    let now = 0;
    const throttle = new LoginThrottle(
      new LoginRateLimiter(5, 60_000, () => now),
      new LoginRateLimiter(10, 900_000, () => now),
    );
    for (let i = 0; i < 10; i++) {
      expect(throttle.retryAfter(`203.0.113.${i}`, "Analyst@demo.local")).toBe(0);
      throttle.recordFailure(`203.0.113.${i}`, "Analyst@demo.local");
      now += 1000;
    }
    expect(throttle.retryAfter("198.51.100.1", "analyst@demo.local")).toBeGreaterThan(0);
    expect(throttle.retryAfter("198.51.100.1", "lead@demo.local")).toBe(0);
    now += 900_000;
    expect(throttle.retryAfter("198.51.100.1", "analyst@demo.local")).toBe(0);
  });

  it("limits one address on one account sooner, and an unknown address counts as one", () => {
    const now = 0;
    const throttle = new LoginThrottle(
      new LoginRateLimiter(5, 60_000, () => now),
      new LoginRateLimiter(10, 900_000, () => now),
    );
    for (let i = 0; i < 5; i++) throttle.recordFailure(null, "a@b.c");
    expect(throttle.retryAfter(null, "a@b.c")).toBeGreaterThan(0);
    expect(throttle.retryAfter("203.0.113.1", "a@b.c")).toBe(0);
    throttle.recordSuccess(null, "a@b.c");
    expect(throttle.retryAfter(null, "a@b.c")).toBe(0);
  });
});
