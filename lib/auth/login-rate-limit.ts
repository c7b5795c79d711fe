/**
 * Sign-in throttling: at most `max` failed attempts per key in a sliding window; a success clears
 * the key. The failures live in a LoginFailureStore: the `login_failure` table in the app
 * (lib/data/login-failures.ts), so every instance on the same database counts the same guesses;
 * in memory for unit tests.
 */

export type LoginFailureScope = "client" | "account" | "address";

export interface LoginFailureStore {
  /** times (epoch ms) of the key's failures after `since`, oldest first */
  failuresSince(scope: LoginFailureScope, key: string, since: number): Promise<number[]>;
  /** record a failure at `at`; the store may forget the key's failures before `forgetBefore` */
  addFailure(scope: LoginFailureScope, key: string, at: number, forgetBefore: number): Promise<void>;
  clearFailures(scope: LoginFailureScope, key: string): Promise<void>;
}

export class MemoryLoginFailureStore implements LoginFailureStore {
  private failures = new Map<string, number[]>();

  async failuresSince(scope: LoginFailureScope, key: string, since: number): Promise<number[]> {
    return (this.failures.get(`${scope}\n${key}`) ?? []).filter((t) => t > since);
  }

  async addFailure(scope: LoginFailureScope, key: string, at: number, forgetBefore: number): Promise<void> {
    const id = `${scope}\n${key}`;
    this.failures.set(id, [...(this.failures.get(id) ?? []).filter((t) => t > forgetBefore), at]);
  }

  async clearFailures(scope: LoginFailureScope, key: string): Promise<void> {
    this.failures.delete(`${scope}\n${key}`);
  }
}

export class LoginRateLimiter {
  constructor(
    private readonly store: LoginFailureStore,
    private readonly scope: LoginFailureScope,
    private readonly max = 5,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** milliseconds until the key may try again; 0 when allowed */
  async retryAfter(key: string): Promise<number> {
    const recent = await this.store.failuresSince(this.scope, key, this.now() - this.windowMs);
    if (recent.length < this.max) return 0;
    // the window opens again when the oldest failure that still fills it ages out
    return Math.max(1, recent[recent.length - this.max] + this.windowMs - this.now());
  }

  async recordFailure(key: string): Promise<void> {
    const now = this.now();
    await this.store.addFailure(this.scope, key, now, now - this.windowMs);
  }

  async recordSuccess(key: string): Promise<void> {
    await this.store.clearFailures(this.scope, key);
  }
}

/**
 * The sign-in policy: 5 failures a minute per client address and account, 10 per quarter hour per
 * account whatever the address (so rotating addresses, or forging them, does not buy an attacker
 * more guesses), and 30 a minute per known client address across accounts (password spraying).
 * Without a trusted proxy the address is unknown: the per-address limit is skipped (one bucket
 * for everyone would let anyone lock everyone out) and the account limits still hold. Emails are
 * compared case-insensitively, as better-auth stores them. A success clears the address+account
 * and account counts, not the address's count of failures on other accounts.
 */
export class LoginThrottle {
  private readonly perClient: LoginRateLimiter;
  private readonly perAccount: LoginRateLimiter;
  private readonly perAddress: LoginRateLimiter;

  constructor(store: LoginFailureStore, now: () => number = Date.now) {
    this.perClient = new LoginRateLimiter(store, "client", 5, 60_000, now);
    this.perAccount = new LoginRateLimiter(store, "account", 10, 15 * 60_000, now);
    this.perAddress = new LoginRateLimiter(store, "address", 30, 60_000, now);
  }

  private keys(client: string | null, email: string): [string, string] {
    const account = email.trim().toLowerCase();
    return [`${client ?? "unknown"}|${account}`, account];
  }

  /** milliseconds until this client may try this account again; 0 when allowed */
  async retryAfter(client: string | null, email: string): Promise<number> {
    const [c, a] = this.keys(client, email);
    const waits = await Promise.all([
      this.perClient.retryAfter(c),
      this.perAccount.retryAfter(a),
      client === null ? 0 : this.perAddress.retryAfter(client),
    ]);
    return Math.max(...waits);
  }

  async recordFailure(client: string | null, email: string): Promise<void> {
    const [c, a] = this.keys(client, email);
    await Promise.all([
      this.perClient.recordFailure(c),
      this.perAccount.recordFailure(a),
      client === null ? undefined : this.perAddress.recordFailure(client),
    ]);
  }

  async recordSuccess(client: string | null, email: string): Promise<void> {
    const [c, a] = this.keys(client, email);
    await Promise.all([this.perClient.recordSuccess(c), this.perAccount.recordSuccess(a)]);
  }
}
