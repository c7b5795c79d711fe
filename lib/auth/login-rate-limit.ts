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

/**
 * The sign-in policy: 5 failures a minute per client address and account, and 10 per quarter
 * hour per account whatever the address (so rotating addresses, or forging them, does not buy an
 * attacker more guesses). Without a trusted proxy the address is unknown and only the account
 * counts. Emails are compared case-insensitively, as better-auth stores them.
 */
export class LoginThrottle {
  constructor(
    private readonly perClient = new LoginRateLimiter(5, 60_000),
    private readonly perAccount = new LoginRateLimiter(10, 15 * 60_000),
  ) {}

  private keys(client: string | null, email: string): [string, string] {
    const account = email.trim().toLowerCase();
    return [`${client ?? "unknown"}|${account}`, account];
  }

  /** milliseconds until this client may try this account again; 0 when allowed */
  retryAfter(client: string | null, email: string): number {
    const [c, a] = this.keys(client, email);
    return Math.max(this.perClient.retryAfter(c), this.perAccount.retryAfter(a));
  }

  recordFailure(client: string | null, email: string): void {
    const [c, a] = this.keys(client, email);
    this.perClient.recordFailure(c);
    this.perAccount.recordFailure(a);
  }

  recordSuccess(client: string | null, email: string): void {
    const [c, a] = this.keys(client, email);
    this.perClient.recordSuccess(c);
    this.perAccount.recordSuccess(a);
  }
}
