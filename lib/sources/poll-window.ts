/**
 * Which time range one poll reads, and where the checkpoint goes afterwards.
 *
 * The checkpoint is a time on the rule's timestamp override: `event.ingested` when a document
 * has it, else `@timestamp` (Kibana's behaviour for this rule). Each poll re-reads `overlapMs`
 * before the checkpoint: documents that were indexed but not yet searchable (refresh interval),
 * or shipped a little late, are picked up on the next poll, and the ones already stored are
 * skipped by their fingerprint (`_index` + `_id`), so the overlap costs reads, never duplicates.
 *
 * A poll reads at most `maxWindowMs` at a time (a long outage is caught up window by window) and
 * the checkpoint moves to a window's end only after every document of that window is stored:
 * a failure mid-window leaves the checkpoint where it was, and the next poll reads the window
 * again (no gap; the fingerprint dedupes what was stored before the failure).
 */
export interface PollWindowOptions {
  overlapMs: number;
  /** how far back the first poll of a new source reads */
  initialLookbackMs: number;
  maxWindowMs: number;
}

export const DEFAULT_POLL_WINDOW: PollWindowOptions = {
  overlapMs: 2 * 60_000,
  initialLookbackMs: 24 * 60 * 60_000,
  maxWindowMs: 60 * 60_000,
};

export interface PollWindow {
  from: Date;
  to: Date;
  /** true when `to` is now: the source has caught up after this window */
  last: boolean;
}

/** The windows one poll walks through, oldest first, ending at `now`. */
export function planPollWindows(
  checkpoint: Date | null,
  now: Date,
  opts: PollWindowOptions = DEFAULT_POLL_WINDOW,
): PollWindow[] {
  const start = checkpoint
    ? new Date(checkpoint.getTime() - opts.overlapMs)
    : new Date(now.getTime() - opts.initialLookbackMs);
  const windows: PollWindow[] = [];
  let from = start;
  // a checkpoint in the future (a clock moved back) still gets one overlap window
  if (from.getTime() >= now.getTime()) return [{ from: new Date(now.getTime() - opts.overlapMs), to: now, last: true }];
  while (from.getTime() < now.getTime()) {
    const to = new Date(Math.min(now.getTime(), from.getTime() + opts.maxWindowMs));
    windows.push({ from, to, last: to.getTime() === now.getTime() });
    // the next window starts at this one's end: `to` is inclusive in the query, so a document
    // exactly on the boundary is read twice and stored once
    from = to;
  }
  return windows;
}

/** The checkpoint after a window was stored completely: never moves backwards. */
export function advanceCheckpoint(current: Date | null, windowEnd: Date): Date {
  return current && current.getTime() > windowEnd.getTime() ? current : windowEnd;
}
