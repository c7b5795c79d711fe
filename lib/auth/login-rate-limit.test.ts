import { describe, expect, it } from "vitest";
import { LoginRateLimiter, LoginThrottle, MemoryLoginFailureStore } from "@/lib/auth/login-rate-limit";

describe("LoginRateLimiter", () => {
  it("blocks the sixth failure within a minute and lets it through after the window", async () => {
    let now = 1_000_000;
    const limiter = new LoginRateLimiter(new MemoryLoginFailureStore(), "client", 5, 60_000, () => now);
    for (let i = 0; i < 5; i++) {
      expect(await limiter.retryAfter("ip|a@b")).toBe(0);
      await limiter.recordFailure("ip|a@b");
      now += 1000;
    }
    expect(await limiter.retryAfter("ip|a@b")).toBe(55_000);
    expect(await limiter.retryAfter("ip|other@b")).toBe(0);
    now += 60_000;
    expect(await limiter.retryAfter("ip|a@b")).toBe(0);
  });

  it("clears the count on success", async () => {
    const limiter = new LoginRateLimiter(new MemoryLoginFailureStore(), "client", 2, 60_000, () => 5);
    await limiter.recordFailure("k");
    await limiter.recordFailure("k");
    expect(await limiter.retryAfter("k")).toBeGreaterThan(0);
    await limiter.recordSuccess("k");
    expect(await limiter.retryAfter("k")).toBe(0);
  });
});

describe("LoginThrottle", () => {
  it("limits an account however many addresses the guesses come from", async () => {
    let now = 0;
    const throttle = new LoginThrottle(new MemoryLoginFailureStore(), () => now);
    for (let i = 0; i < 10; i++) {
      expect(await throttle.retryAfter(`203.0.113.${i}`, "Analyst@demo.local")).toBe(0);
      await throttle.recordFailure(`203.0.113.${i}`, "Analyst@demo.local");
      now += 1000;
    }
    expect(await throttle.retryAfter("198.51.100.1", "analyst@demo.local")).toBeGreaterThan(0);
    expect(await throttle.retryAfter("198.51.100.1", "lead@demo.local")).toBe(0);
    now += 900_000;
    expect(await throttle.retryAfter("198.51.100.1", "analyst@demo.local")).toBe(0);
  });

  it("limits one address on one account sooner, and an unknown address counts as one", async () => {
    const throttle = new LoginThrottle(new MemoryLoginFailureStore(), () => 0);
    for (let i = 0; i < 5; i++) await throttle.recordFailure(null, "a@b.c");
    expect(await throttle.retryAfter(null, "a@b.c")).toBeGreaterThan(0);
    expect(await throttle.retryAfter("203.0.113.1", "a@b.c")).toBe(0);
    await throttle.recordSuccess(null, "a@b.c");
    expect(await throttle.retryAfter(null, "a@b.c")).toBe(0);
  });

  it("limits one known address spraying many accounts, not the unknown address", async () => {
    const throttle = new LoginThrottle(new MemoryLoginFailureStore(), () => 0);
    for (let i = 0; i < 30; i++) {
      await throttle.recordFailure("203.0.113.9", `user${i}@demo.local`);
      await throttle.recordFailure(null, `user${i}@demo.local`);
    }
    expect(await throttle.retryAfter("203.0.113.9", "fresh@demo.local")).toBeGreaterThan(0);
    expect(await throttle.retryAfter("203.0.113.10", "fresh@demo.local")).toBe(0);
    expect(await throttle.retryAfter(null, "fresh@demo.local")).toBe(0);
  });
});
