import { z } from "zod";

/**
 * How long stored events are kept, and which of the expired ones are evidence. Pure: the purge
 * (lib/services/retention-service.ts) and the admin page take their numbers from here.
 *
 * Events age from when they were stored (`event.created_at`), as Elasticsearch's ILM ages an
 * index from its rollover: a file of year-old events uploaded today is kept for the full period.
 */
export const DEFAULT_RETENTION_DAYS = 90;
export const MAX_RETENTION_DAYS = 3650;
const DAY_MS = 86_400_000;

export const retentionDaysSchema = z.coerce
  .number({ message: "retention must be a number of days" })
  .int("retention must be a whole number of days")
  .min(1, "retention must be at least 1 day")
  .max(MAX_RETENTION_DAYS, `retention must be at most ${MAX_RETENTION_DAYS} days`);

/** Events stored before this instant have expired. */
export function retentionCutoff(now: Date, days: number): Date {
  return new Date(now.getTime() - retentionDaysSchema.parse(days) * DAY_MS);
}

/**
 * Expired events that stay because an alert needs them, in the words the admin page and README
 * use. `contextMinutes` is the alert page's widest timeline window: every event the alert page,
 * the case report or the triage evidence reads is one of these.
 */
export function evidenceRules(contextMinutes: number): string[] {
  return [
    "the event an alert was raised on (alert page, case report, exceptions created from it)",
    "events pinned from a hunt to an alert or a case",
    `events of an alert's host within ${formatMinutes(contextMinutes)} of the alert (its timeline and evidence)`,
    "WMI subscription events (Sysmon 19/20/21) of a host that has an alert (the rebuilt subscription)",
  ];
}

function formatMinutes(minutes: number): string {
  if (minutes % 1440 === 0) return `±${minutes / 1440} day${minutes === 1440 ? "" : "s"}`;
  if (minutes % 60 === 0) return `±${minutes / 60} hour${minutes === 60 ? "" : "s"}`;
  return `±${minutes} minute${minutes === 1 ? "" : "s"}`;
}

export interface PurgeSummary {
  cutoff: Date;
  /** expired events read */
  expired: number;
  deleted: number;
  /** expired events kept as evidence */
  kept: number;
  batches: number;
}

/**
 * The id windows the purge walks, [from, to] inclusive split into `batchSize`-wide ranges: a
 * range is one short transaction, so ingest and detection never wait long behind the purge.
 */
export function idBatches(from: bigint, to: bigint, batchSize: number): [bigint, bigint][] {
  if (batchSize < 1 || !Number.isInteger(batchSize)) throw new RangeError("batchSize must be a positive integer");
  const out: [bigint, bigint][] = [];
  const step = BigInt(batchSize);
  for (let lo = from; lo <= to; lo += step) out.push([lo, lo + step - 1n > to ? to : lo + step - 1n]);
  return out;
}
