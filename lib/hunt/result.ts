import type { PredicateTrace } from "@/lib/eql/evaluate";

/** What a hunt run stores (hunt_run.result): event hits with why each matched, or sequences. */
export interface HuntHit {
  eventId: string;
  timestamp: string;
  branch: string | null;
  trace: PredicateTrace[];
}

export interface HuntSequenceHit {
  keys: (string | null)[];
  /** one per stage; null for a missing-event stage (`![…]`) */
  events: ({ eventId: string; timestamp: string; trace: PredicateTrace[] } | null)[];
}

export type HuntResult = { kind: "events"; hits: HuntHit[] } | { kind: "sequence"; sequences: HuntSequenceHit[] };
