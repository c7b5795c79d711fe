import type { InputFormat } from "@/lib/ingest/types";

export type IngestSource = "upload" | "api" | "cli" | "demo" | "poll";

export interface IngestError {
  index: number;
  line?: number;
  offset?: number;
  recordId?: number;
  reason: string;
}

export interface IngestSummary {
  jobId: string;
  fileName: string;
  format: string | null;
  status: "succeeded" | "failed";
  received: number;
  stored: number;
  duplicates: number;
  rejected: number;
  /** characters PostgreSQL cannot store (U+0000, lone surrogates) stored as U+FFFD, in records kept */
  replaced: number;
  alerts: number;
  /** the rule is disabled: the events were stored and not checked (RULE_DISABLED_NOTE) */
  ruleDisabled: boolean;
  /**
   * the rule run over the job's events: "pending" when it was queued for the worker (alerts and
   * ruleDisabled then follow on the job: getIngestDetection), null when there is none (the ingest
   * failed, or skipDetection)
   */
  detection: "pending" | "succeeded" | "failed" | "disabled" | null;
  bytes: number;
  durationMs: number;
  errors: IngestError[];
  message: string | null;
}

export interface IngestInput {
  source: IngestSource;
  fileName: string;
  format?: InputFormat;
  stream: AsyncIterable<Uint8Array>;
  userId?: string | null;
  onProgress?: (progress: { bytes: number; received: number; stored: number }) => void;
  /** skip the rule run after storing (bulk loads that run detection themselves) */
  skipDetection?: boolean;
  /**
   * Where the rule run after storing happens: in this call (default — the CLI, polls and the demo,
   * which run in the worker or are it), or, when given, handed to this queue (requests pass
   * startIngestDetection): the job is left `pending` and the queue's worker runs it. Passed in by
   * the caller, so this module does not import the worker's (which imports the poller, which
   * imports this one).
   */
  queueDetection?: (jobId: string) => Promise<void>;
  /**
   * How batches reach the table: "copy" streams them with COPY (fast; real PostgreSQL), "values"
   * sends them as array parameters (the embedded PGlite cannot COPY FROM STDIN). Default: "values"
   * in embedded mode, else "copy".
   */
  insertMode?: InsertMode;
}

export type InsertMode = "copy" | "values";
