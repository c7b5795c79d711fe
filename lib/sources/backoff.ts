/**
 * When to retry a request to a cluster, and how long to wait: exponential backoff with "equal
 * jitter" (AWS Architecture Blog, "Exponential Backoff And Jitter": half fixed, half random), capped, and overridden by
 * the server's `Retry-After` (seconds or an HTTP date, RFC 9110 §10.2.3) when it sends one.
 */
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  /** 0..1; injectable so tests are deterministic */
  random?: () => number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 30_000 };

/** 429 (Too Many Requests) and the 5xx a busy or restarting cluster answers with. */
export function isRetryableStatus(status: number | undefined): boolean {
  return status === 429 || status === 502 || status === 503 || status === 504 || status === 500;
}

/** Milliseconds the server asked us to wait, or null when the header is absent or unreadable. */
export function parseRetryAfter(value: string | string[] | null | undefined, now: Date = new Date()): number | null {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === null || raw === undefined || raw.trim() === "") return null;
  const trimmed = raw.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - now.getTime());
}

/** Delay before retry number `attempt` (1 = the first retry). Retry-After wins, within maxMs. */
export function retryDelayMs(
  attempt: number,
  retryAfterMs: number | null,
  opts: BackoffOptions = DEFAULT_BACKOFF,
): number {
  if (retryAfterMs !== null) return Math.min(retryAfterMs, opts.maxMs);
  const ceiling = Math.min(opts.maxMs, opts.baseMs * 2 ** Math.max(0, attempt - 1));
  const random = opts.random ?? Math.random;
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
