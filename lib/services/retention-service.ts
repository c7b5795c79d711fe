import "server-only";
import {
  findExpiredIdRange,
  getRetentionSetting,
  purgeExpiredRange,
  recordPurge,
  type LastPurge,
} from "@/lib/data/retention";
import { idBatches, retentionCutoff, type PurgeSummary } from "@/lib/retention/policy";

/** ids per purge transaction: a few hundred milliseconds of work, so nothing waits long behind it */
export const PURGE_BATCH_SIZE = 10_000;

/**
 * Drops the events stored longer than the admin's retention period, batch by batch over the
 * expired id range, keeping every alert's evidence (lib/data/retention.ts). Run daily by the
 * worker (lib/services/worker.ts) and from the admin page; `now` is injectable for tests and
 * the benchmark. Returns and records what it did.
 */
export async function purgeExpiredEvents(
  opts: { now?: Date; batchSize?: number; days?: number } = {},
): Promise<PurgeSummary & { ms: number }> {
  const started = performance.now();
  const now = opts.now ?? new Date();
  const days = opts.days ?? (await getRetentionSetting()).days;
  const cutoff = retentionCutoff(now, days);
  const summary: PurgeSummary = { cutoff, expired: 0, deleted: 0, kept: 0, batches: 0 };
  const range = await findExpiredIdRange(cutoff);
  if (range) {
    for (const [from, to] of idBatches(range.from, range.to, opts.batchSize ?? PURGE_BATCH_SIZE)) {
      const { expired, deleted } = await purgeExpiredRange(from, to, cutoff);
      summary.expired += expired;
      summary.deleted += deleted;
      summary.batches++;
    }
  }
  summary.kept = summary.expired - summary.deleted;
  const ms = Math.round(performance.now() - started);
  await recordPurge({ ...summary, at: now, ms });
  return { ...summary, ms };
}

export type { LastPurge };
