import "server-only";
import { getDb } from "@/lib/db/client";
import { detectForIngestJob } from "@/lib/services/detection-service";

/**
 * Ingests whose process died (kill -9, out of memory, power loss) leave their job 'running' for
 * ever. A running ingest touches its job's heartbeat with every batch and every
 * HEARTBEAT_MS meanwhile (lib/services/ingest-service.ts), so a job whose heartbeat is older than
 * STALE_INGEST_MS has no process any more — even with several app instances or a CLI ingest
 * running beside the server. The sweep marks such jobs failed, says so on the job, and runs the
 * rule over the events they stored (their alerts would otherwise wait for a re-send).
 */
export const HEARTBEAT_MS = 20_000;
export const STALE_INGEST_MS = 6 * HEARTBEAT_MS;

export interface SweptJob {
  id: string;
  stored: number;
  alerts: number;
}

const MARK_STALE = `
UPDATE "ingest_job"
   SET "status" = 'failed', "finished_at" = now(),
       "message" = 'interrupted: the process running this ingest stopped (last sign of life '
                   || to_char("heartbeat_at" AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || ' UTC); the '
                   || "stored" || ' events stored before are kept — send the file again to store the rest'
 WHERE "status" = 'running' AND "heartbeat_at" < coalesce($1::timestamptz, now()) - make_interval(secs => $2)
RETURNING "id", "stored"`;

/** Marks stale running ingest jobs failed; `now` is for tests (default: the database's clock). */
export async function sweepStaleIngestJobs(now?: Date): Promise<SweptJob[]> {
  const { pool, prisma } = getDb();
  const { rows } = await pool.query<{ id: string; stored: number }>(MARK_STALE, [now ?? null, STALE_INGEST_MS / 1000]);
  const swept: SweptJob[] = [];
  for (const job of rows) {
    let alerts = 0;
    if (job.stored > 0) {
      try {
        // null: the rule is disabled (its events wait for a backfill)
        alerts = (await detectForIngestJob(job.id, null))?.alertsCreated ?? 0;
        await prisma.ingestJob.update({ where: { id: job.id }, data: { alerts } });
      } catch (error) {
        console.error(`[ingest] rule run over interrupted job ${job.id} failed:`, error);
      }
    }
    swept.push({ id: job.id, stored: job.stored, alerts });
  }
  return swept;
}
