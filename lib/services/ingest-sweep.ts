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
 *
 * The rule run after an upload runs in the worker (runIngestDetection), its state on the job
 * (`detection`): pending until a worker claims it, running with the heartbeat touched while it
 * runs. A run whose worker died (heartbeat older than STALE_INGEST_MS) is claimed again by the
 * sweep, so no upload's detection is lost; alerts derive from rule + event, so none is doubled.
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

// the interrupted job's stored events still need the rule: queued like an upload's
const MARK_STALE_DETECTION_PENDING = `
UPDATE "ingest_job" SET "detection" = 'pending' WHERE "id" = ANY($1::uuid[]) AND "stored" > 0`;

const STALE_DETECTIONS = `
SELECT "id" FROM "ingest_job"
 WHERE "detection" IN ('pending', 'running')
   AND "heartbeat_at" < coalesce($1::timestamptz, now()) - make_interval(secs => $2)
 ORDER BY "started_at"`;

/**
 * Marks stale running ingest jobs failed and runs the rule over what they stored; runs again
 * every upload's rule run that was queued or started and whose worker stopped (its heartbeat is
 * stale). `now` is for tests (default: the database's clock).
 */
export async function sweepStaleIngestJobs(now?: Date): Promise<SweptJob[]> {
  const { pool } = getDb();
  const stale = STALE_INGEST_MS / 1000;
  const { rows } = await pool.query<{ id: string; stored: number }>(MARK_STALE, [now ?? null, stale]);
  await pool.query(MARK_STALE_DETECTION_PENDING, [rows.map((r) => r.id)]);
  const swept = new Map<string, SweptJob>(rows.map((job) => [job.id, { id: job.id, stored: job.stored, alerts: 0 }]));
  const pending = await pool.query<{ id: string }>(STALE_DETECTIONS, [now ?? null, stale]);
  for (const { id } of pending.rows) {
    try {
      const outcome = await runIngestDetection(id, now);
      const job = swept.get(id) ?? { id, stored: 0, alerts: 0 };
      swept.set(id, { ...job, alerts: outcome?.alerts ?? 0 });
    } catch (error) {
      console.error(`[ingest] rule run over job ${id} failed:`, error);
    }
  }
  return [...swept.values()];
}

export type IngestDetectionState = "pending" | "running" | "succeeded" | "failed" | "disabled";

export interface IngestDetectionOutcome {
  detection: IngestDetectionState;
  alerts: number;
  message: string | null;
  finishedAt: Date | null;
}

// pending (or failed: a retry) jobs, and running ones whose worker stopped, are claimed by one worker
const CLAIM_DETECTION = `
UPDATE "ingest_job" SET "detection" = 'running', "heartbeat_at" = now(), "detection_message" = NULL
 WHERE "id" = $1::uuid
   AND ("detection" IN ('pending', 'failed')
        OR ("detection" = 'running'
            AND "heartbeat_at" < coalesce($2::timestamptz, now()) - make_interval(secs => $3)))
RETURNING "created_by"`;

// the job's alerts: those every attempt of its rule run created (a run again after its worker died
// creates only what the dead attempt had not; the alerts that attempt made count too)
const FINISH_SUCCEEDED = `
UPDATE "ingest_job" j SET "detection" = 'succeeded', "detection_finished_at" = now(),
       -- through the job's events (stored, or stored before and repeated: the run's scope), by index
       "alerts" = (SELECT count(*) FROM "alert" a JOIN "rule_run" r ON r."id" = a."run_id" AND r."ingest_job_id" = $1
                    WHERE a."event_id" IN (SELECT "id" FROM "event" WHERE "ingest_job_id" = $1
                                           UNION ALL
                                           SELECT "event_id" FROM "ingest_job_duplicate" WHERE "job_id" = $1))
 WHERE j."id" = $1
RETURNING j."alerts", j."detection_finished_at"`;
const FINISH_DISABLED = `
UPDATE "ingest_job" SET "detection" = 'disabled', "detection_finished_at" = now() WHERE "id" = $1
RETURNING "alerts", "detection_finished_at"`;

/**
 * The rule run over one ingest job's events, in the worker (or the sweep): claims the job's run,
 * keeps its heartbeat fresh while it runs, and records the outcome on the job. Null when there is
 * nothing to claim (already finished, or another worker runs it). Throws when the run fails, after
 * recording it (the queue retries it).
 */
export async function runIngestDetection(jobId: string, now?: Date): Promise<IngestDetectionOutcome | null> {
  const { pool } = getDb();
  const claimed = await pool.query<{ created_by: string | null }>(CLAIM_DETECTION, [
    jobId,
    now ?? null,
    STALE_INGEST_MS / 1000,
  ]);
  if (!claimed.rowCount) return null;
  const beat = setInterval(() => {
    pool
      .query(`UPDATE "ingest_job" SET "heartbeat_at" = now() WHERE "id" = $1 AND "detection" = 'running'`, [jobId])
      .catch(() => {});
  }, HEARTBEAT_MS);
  beat.unref();
  try {
    // null: the rule is disabled (its events wait for a backfill)
    const run = await detectForIngestJob(jobId, claimed.rows[0].created_by);
    const detection = run === null ? "disabled" : "succeeded";
    const done = await pool.query<{ alerts: number; detection_finished_at: Date }>(
      run === null ? FINISH_DISABLED : FINISH_SUCCEEDED,
      [jobId],
    );
    const row = done.rows[0];
    return { detection, alerts: row?.alerts ?? 0, message: null, finishedAt: row?.detection_finished_at ?? null };
  } catch (error) {
    const message = `events stored, but the rule run failed: ${error instanceof Error ? error.message : String(error)}`;
    await pool
      .query(
        `UPDATE "ingest_job" SET "detection" = 'failed', "detection_message" = $2, "detection_finished_at" = now()
          WHERE "id" = $1`,
        [jobId, message],
      )
      .catch(() => {});
    throw error;
  } finally {
    clearInterval(beat);
  }
}

/** The job's rule run as it stands; null when the job is unknown. */
export async function getIngestDetection(jobId: string): Promise<IngestDetectionOutcome | null> {
  const { rows } = await getDb().pool.query<{
    detection: IngestDetectionState | null;
    alerts: number;
    detection_message: string | null;
    detection_finished_at: Date | null;
  }>(
    `SELECT "detection", "alerts", "detection_message", "detection_finished_at" FROM "ingest_job" WHERE "id" = $1::uuid`,
    [jobId],
  );
  const row = rows[0];
  if (!row?.detection) return null;
  return {
    detection: row.detection,
    alerts: row.alerts,
    message: row.detection_message,
    finishedAt: row.detection_finished_at,
  };
}

/**
 * Waits (polling the job, doing none of the work) until the job's rule run has finished or
 * `timeoutMs` passed; returns its state then.
 */
export async function waitForIngestDetection(jobId: string, timeoutMs: number): Promise<IngestDetectionOutcome | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await getIngestDetection(jobId);
    if (!state || (state.detection !== "pending" && state.detection !== "running") || Date.now() >= deadline)
      return state;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
