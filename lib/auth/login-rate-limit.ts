/**
 * Sign-in throttling: at most `max` failed attempts per key (client address + email) in a sliding
 * window; a success clears the key. In memory, per app instance (documented in the README).
 */
export class LoginRateLimiter {
  private failures = new Map<string, number[]>();

  constructor(
    private readonly max = 5,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** milliseconds until the key may try again; 0 when allowed */
  retryAfter(key: string): number {
    const recent = this.recent(key);
    return recent.length < this.max ? 0 : recent[0] + this.windowMs - this.now();
  }

  recordFailure(key: string): void {
    this.failures.set(key, [...this.recent(key), this.now()]);
  }

  recordSuccess(key: string): void {
    this.failures.delete(key);
  }

  private recent(key: string): number[] {
    const cutoff = this.now() - this.windowMs;
    const list = (this.failures.get(key) ?? []).filter((t) => t > cutoff);
    if (list.length) this.failures.set(key, list);
    else this.failures.delete(key);
    return list;
  }
}
