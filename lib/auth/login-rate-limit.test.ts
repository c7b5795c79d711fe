import { describe, expect, it } from "vitest";
import { LoginRateLimiter } from "@/lib/auth/login-rate-limit";

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
