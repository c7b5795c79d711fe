import dateMath from "@elastic/datemath";

/**
 * When and over what a detection run looks, as Kibana's rule executor decides it: every
 * `interval`, over [from, now] where `from` is date math relative to the run's scheduled time
 * (`now-9m`). Pure: the clock is an argument.
 */

export interface RunWindow {
  start: Date;
  end: Date;
  /** milliseconds of earlier, unscanned time this window was widened to cover */
  gapCoveredMs: number;
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Kibana rule intervals: "5m", "1h", "30s", "1d". */
export function parseInterval(interval: string): number {
  const m = /^(\d+)([smhd])$/.exec(interval.trim());
  if (!m || Number(m[1]) <= 0) throw new Error(`invalid rule interval "${interval}" (expected e.g. 5m, 1h)`);
  return Number(m[1]) * UNIT_MS[m[2]];
}

/** The crontab line for graphile-worker's scheduler: "5m" → "*\/5 * * * *". */
export function intervalToCron(interval: string): string {
  const ms = parseInterval(interval);
  if (ms % 86_400_000 === 0) return "0 0 * * *";
  if (ms % 3_600_000 === 0) return `0 */${ms / 3_600_000} * * *`;
  if (ms % 60_000 === 0) return `*/${ms / 60_000} * * * *`;
  throw new Error(`interval ${interval} is finer than a minute; the scheduler runs at most once a minute`);
}

export function resolveFrom(from: string, now: Date): Date {
  // @elastic/datemath is what Kibana uses for `from: now-9m`
  const parsed = dateMath.parse(from, { forceNow: now });
  if (!parsed || !parsed.isValid()) throw new Error(`invalid date math "${from}"`);
  return parsed.toDate();
}

/**
 * The window of a scheduled run at `now`. When the last successful run ended before this
 * window's start (a crash, a stopped server), the window is widened back to it — up to
 * `maxGapMs` — so the gap is covered instead of lost.
 */
export function planScheduledWindow(opts: {
  now: Date;
  from: string;
  lastSucceededEnd: Date | null;
  maxGapMs?: number;
}): RunWindow {
  const end = opts.now;
  let start = resolveFrom(opts.from, end);
  let gapCoveredMs = 0;
  const maxGapMs = opts.maxGapMs ?? 24 * 3_600_000;
  if (opts.lastSucceededEnd && opts.lastSucceededEnd < start) {
    const widened = new Date(Math.max(opts.lastSucceededEnd.getTime(), end.getTime() - maxGapMs));
    gapCoveredMs = start.getTime() - widened.getTime();
    start = widened;
  }
  return { start, end, gapCoveredMs };
}

/** Contiguous windows of `intervalMs` covering [start, end] (the last one may be shorter). */
export function planBackfillWindows(start: Date, end: Date, intervalMs: number): { start: Date; end: Date }[] {
  if (!(start < end)) throw new Error("the backfill range must end after it starts");
  const windows: { start: Date; end: Date }[] = [];
  for (let t = start.getTime(); t < end.getTime(); t += intervalMs) {
    windows.push({ start: new Date(t), end: new Date(Math.min(t + intervalMs, end.getTime())) });
  }
  return windows;
}

export function windowKey(ruleId: string, end: Date): string {
  return `${ruleId}@${end.toISOString()}`;
}
