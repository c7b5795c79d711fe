/**
 * The vocabulary of a rule run, shared by the services that run the rule and the data layer
 * that records and filters it (exceptions plug in as filter steps).
 */

export type RunKind = "scheduled" | "manual" | "backfill" | "ingest";

/** Kibana's warning text when a run hits max_signals. */
export const MAX_SIGNALS_WARNING =
  "This rule reached the maximum alert limit for the rule execution. Some alerts were not created.";

export interface EventFilterStep {
  name: string;
  /** true = drop the event (it is suppressed, counted in the run) */
  suppresses(doc: Record<string, unknown>): boolean;
}

export interface RunScope {
  /** window on the timestamp override column (event.ingested when present, else @timestamp) */
  window?: { start: Date; end: Date };
  ingestJobId?: string;
}

export interface RunResult {
  runId: string;
  status: "succeeded" | "failed";
  eventsScanned: number;
  matches: number;
  alertsCreated: number;
  suppressed: number;
  truncated: boolean;
  warnings: string[];
  error: string | null;
}

/** the widest backfill a lead may request at once (8 640 windows of 5 minutes) */
export const MAX_BACKFILL_DAYS = 30;

export interface BackfillRequest {
  start: Date;
  end: Date;
  /** true: each window keeps at most max_signals alerts, like a real run */
  capped: boolean;
}
