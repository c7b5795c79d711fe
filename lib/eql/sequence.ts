import type { FieldRef, SequenceQuery, SequenceStage } from "./ast";
import { compileMatcher } from "./evaluate";
import { compileFieldAccessor } from "./fields";
import { toKeyword } from "./keyword";

/**
 * Sequence matching as Elasticsearch does it (EQL syntax reference, "Sequences" and "How
 * sequence queries handle matches"): a state machine per join-key value, one pending
 * sequence per state, a newer sequence overwriting an older one in the same state, the
 * first stage always starting a new sequence. `maxspan` bounds the time from the first
 * event to the last; `until` expires every pending sequence of its key; missing events
 * (`![…]`) reject a candidate when an event matching them, with the same keys, lies between
 * its neighbouring stages — or, at either end, within maxspan of the sequence.
 */

export interface SequenceEvent {
  doc: Record<string, unknown>;
  /** epoch milliseconds of the event (its @timestamp) */
  time: number;
}

export interface SequenceMatch {
  /** the join key values (keyword text; null for an absent optional key) */
  keys: (string | null)[];
  /** index into the input of the event of each stage; null for a missing-event stage */
  events: (number | null)[];
}

/** Join keys must be non-null unless marked optional with `?` ("Optional by fields"). */
function compileKey(
  fields: FieldRef[],
): (doc: Record<string, unknown>) => { text: string; values: (string | null)[] } | undefined {
  const accessors = fields.map((f) => ({ acc: compileFieldAccessor(f.path), optional: f.optional }));
  return (doc) => {
    const values: (string | null)[] = [];
    for (const { acc, optional } of accessors) {
      let value: string | undefined;
      acc.some(doc, (v) => {
        value = toKeyword(v);
        return value !== undefined;
      });
      if (value === undefined && !optional) return undefined;
      values.push(value ?? null);
    }
    return { text: JSON.stringify(values), values };
  };
}

function compileStage(query: SequenceQuery, stage: SequenceStage) {
  const key = compileKey([...query.joinKeys, ...stage.keys]);
  return { stage, matches: compileMatcher(stage.query), keyOf: key };
}

/** Find the sequences in `events`, which must be in ascending time order (ties in the caller's order). */
export function matchSequences(query: SequenceQuery, events: SequenceEvent[]): SequenceMatch[] {
  const stages = query.stages.map((s) => compileStage(query, s));
  const positive = stages.filter((s) => !s.stage.missing);
  const until = query.until ? compileStage(query, query.until) : null;
  const maxspan = query.maxspanMs;
  const pending = new Map<string, (number[] | null)[]>();
  const keyValues = new Map<string, (string | null)[]>();
  const candidates: { key: string; events: number[] }[] = [];
  const last = positive.length - 1;

  events.forEach((event, i) => {
    if (until && until.matches(event.doc)) {
      const k = until.keyOf(event.doc);
      if (k) pending.delete(k.text);
    }
    for (let j = last; j >= 0; j--) {
      const s = positive[j];
      if (!s.matches(event.doc)) continue;
      const k = s.keyOf(event.doc);
      if (!k) continue;
      let state = pending.get(k.text);
      if (!state) {
        state = new Array<number[] | null>(positive.length).fill(null);
        pending.set(k.text, state);
        keyValues.set(k.text, k.values);
      }
      let seq: number[];
      if (j === 0) {
        seq = [i];
      } else {
        const prev = state[j - 1];
        if (!prev) continue;
        state[j - 1] = null;
        if (maxspan !== null && event.time - events[prev[0]].time > maxspan) continue;
        seq = [...prev, i];
      }
      if (j === last) candidates.push({ key: k.text, events: seq });
      else state[j] = seq;
    }
  });

  const out: SequenceMatch[] = [];
  for (const c of candidates) {
    const full: (number | null)[] = [];
    let p = 0;
    let rejected = false;
    for (let m = 0; m < stages.length && !rejected; m++) {
      const s = stages[m];
      if (!s.stage.missing) {
        full.push(c.events[p++]);
        continue;
      }
      full.push(null);
      rejected = missingEventFound(s, c, p, events, maxspan ?? 0);
    }
    if (!rejected) out.push({ keys: keyValues.get(c.key) ?? [], events: full });
  }
  return out.sort((a, b) => firstIndex(a) - firstIndex(b));
}

const firstIndex = (m: SequenceMatch) => m.events.find((e) => e !== null) ?? 0;

/** Is there an event for missing stage `s`, which sits before positive stage number `next` of candidate `c`? */
function missingEventFound(
  s: ReturnType<typeof compileStage>,
  c: { key: string; events: number[] },
  next: number,
  events: SequenceEvent[],
  maxspan: number,
): boolean {
  const first = c.events[0];
  const lastEvent = c.events[c.events.length - 1];
  let from: number;
  let to: number;
  if (next === 0) {
    // leading: within maxspan before the sequence's last event, and before its first
    const earliest = events[lastEvent].time - maxspan;
    from = first;
    while (from > 0 && events[from - 1].time >= earliest) from--;
    to = first - 1;
  } else if (next === c.events.length) {
    // trailing: after the last event, within maxspan of the first
    const latest = events[first].time + maxspan;
    from = lastEvent + 1;
    to = lastEvent;
    while (to + 1 < events.length && events[to + 1].time <= latest) to++;
  } else {
    from = c.events[next - 1] + 1;
    to = c.events[next] - 1;
  }
  for (let i = from; i <= to; i++) {
    if (!s.matches(events[i].doc)) continue;
    if (s.keyOf(events[i].doc)?.text === c.key) return true;
  }
  return false;
}
