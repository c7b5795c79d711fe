import "server-only";
import { quickAddJob, run, runMigrations, runOnce, type Runner, type TaskList } from "graphile-worker";
import { getDb } from "@/lib/db/client";
import { intervalToCron, parseInterval, windowKey } from "@/lib/detection/schedule";
import { getEnv } from "@/lib/env";
import { CURRENT_RULE } from "@/lib/rule/rules";
import { executeHuntRun } from "@/lib/services/hunt-service";
import { runIngestDetection, sweepStaleIngestJobs } from "@/lib/services/ingest-sweep";
import { pollDueSources } from "@/lib/services/poller";
import { purgeExpiredEvents } from "@/lib/services/retention-service";
import { processBackfill, runScheduledDetection } from "@/lib/services/scheduler-service";
import { deliverDueWebhooks } from "@/lib/services/webhook-service";

/**
 * The job queue: graphile-worker (Postgres-backed). On a real Postgres it runs with its own
 * pool, LISTEN/NOTIFY and its crontab (one execution per tick across instances). The embedded
 * Postgres serves one connection, which graphile-worker's permanent LISTEN client would take
 * for itself, so there the same tasks are driven by `runOnce` on a one-minute tick and the
 * tick's job is keyed by its window (one job per window even if ticks overlap).
 */
export const SCHEDULED_TASK = "wmi_detection_scheduled";
export const BACKFILL_TASK = "wmi_backfill";
/** every minute: poll the event sources whose interval has elapsed (lib/services/poller.ts) */
export const POLL_TASK = "wmi_poll_sources";
/** one hunt (lib/services/hunt-service.ts), so a long query never runs in a page request */
export const HUNT_TASK = "wmi_hunt";
/**
 * daily at 03:17 UTC: drop events older than the retention period, keeping alerts' evidence
 * (lib/services/retention-service.ts)
 */
export const RETENTION_TASK = "wmi_retention_purge";
const RETENTION_CRON = "17 3 * * *";
/**
 * every minute: mark ingests whose process died failed, run again the rule runs of uploads whose
 * worker stopped (lib/services/ingest-sweep.ts)
 */
export const SWEEP_TASK = "wmi_sweep_ingest_jobs";
/** every minute: send due webhook deliveries, failed ones after their back-off (lib/services/webhook-service.ts) */
export const WEBHOOK_TASK = "wmi_webhooks";
/** the rule run after an upload (lib/services/ingest-sweep.ts), never in the upload's request */
export const INGEST_DETECTION_TASK = "wmi_ingest_detection";

const taskList: TaskList = {
  [SCHEDULED_TASK]: async (payload) => {
    const ts = (payload as { _cron?: { ts?: string } })?._cron?.ts;
    const outcome = await runScheduledDetection(ts ? new Date(ts) : new Date());
    if (outcome.result?.status === "failed") throw new Error(outcome.result.error ?? "scheduled run failed");
  },
  [BACKFILL_TASK]: async (payload) => {
    await processBackfill((payload as { backfillId: string }).backfillId);
  },
  [HUNT_TASK]: async (payload) => {
    await executeHuntRun((payload as { runId: string }).runId);
  },
  [POLL_TASK]: async () => {
    // a source that fails is marked unhealthy with its error; the job itself succeeds
    await pollDueSources(new Date());
  },
  [RETENTION_TASK]: async () => {
    const s = await purgeExpiredEvents();
    console.log(`[retention] ${s.deleted} expired events deleted, ${s.kept} kept as evidence (${s.ms} ms)`);
  },
  [SWEEP_TASK]: async () => {
    await sweepStaleIngestJobs();
  },
  [WEBHOOK_TASK]: async () => {
    // a receiver that fails is retried per delivery (its row keeps the back-off); the job itself succeeds
    await deliverDueWebhooks(new Date());
  },
  [INGEST_DETECTION_TASK]: async (payload) => {
    await runIngestDetection((payload as { jobId: string }).jobId);
  },
};

const embedded = () => getEnv().WMI_EMBEDDED === "1";

export async function enqueueBackfill(backfillId: string): Promise<void> {
  await quickAddJob(
    { pgPool: getDb().pool },
    BACKFILL_TASK,
    { backfillId },
    { jobKey: `backfill:${backfillId}`, maxAttempts: 3 },
  );
  if (embedded()) void drainEmbeddedQueue();
}

export async function enqueueHunt(runId: string): Promise<void> {
  await quickAddJob({ pgPool: getDb().pool }, HUNT_TASK, { runId }, { jobKey: `hunt:${runId}`, maxAttempts: 1 });
  if (embedded()) void drainEmbeddedQueue();
}

export async function enqueueIngestDetection(jobId: string): Promise<void> {
  await quickAddJob(
    { pgPool: getDb().pool },
    INGEST_DETECTION_TASK,
    { jobId },
    { jobKey: `ingest-detection:${jobId}`, maxAttempts: 3 },
  );
  if (embedded()) void drainEmbeddedQueue();
}

let draining: Promise<void> | null = null;
function drainEmbeddedQueue(): Promise<void> {
  // every runOnce is a new worker on the same pooled connection: named prepared statements would clash
  draining ??= runOnce({ pgPool: getDb().pool, taskList, noHandleSignals: true, noPreparedStatements: true })
    .catch((error) => console.error("[worker] job run failed:", error instanceof Error ? error.message : error))
    .finally(() => {
      draining = null;
    });
  return draining;
}

export async function startWorker(): Promise<() => Promise<void>> {
  const rule = CURRENT_RULE;
  if (!embedded()) {
    const runner: Runner = await run({
      connectionString: getEnv().DATABASE_URL,
      maxPoolSize: 4,
      concurrency: 1,
      noHandleSignals: true,
      pollInterval: 5000,
      taskList,
      crontab: [
        `${intervalToCron(rule.interval)} ${SCHEDULED_TASK} ?max=1`,
        `* * * * * ${POLL_TASK} ?max=1`,
        `${RETENTION_CRON} ${RETENTION_TASK} ?max=1`,
        `* * * * * ${SWEEP_TASK} ?max=1`,
        `* * * * * ${WEBHOOK_TASK} ?max=1`,
      ].join("\n"),
    });
    return () => runner.stop();
  }
  await runMigrations({ pgPool: getDb().pool });
  const intervalMs = parseInterval(rule.interval);
  let lastTick = Math.floor(Date.now() / intervalMs);
  let lastPurgeDay = "";
  const tick = async () => {
    const slot = Math.floor(Date.now() / intervalMs);
    if (slot > lastTick) {
      lastTick = slot;
      const ts = new Date(slot * intervalMs);
      await quickAddJob(
        { pgPool: getDb().pool },
        SCHEDULED_TASK,
        { _cron: { ts: ts.toISOString() } },
        { jobKey: windowKey(rule.ruleId, ts), maxAttempts: 1 },
      );
    }
    const minute = new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString();
    await quickAddJob({ pgPool: getDb().pool }, POLL_TASK, {}, { jobKey: `poll:${minute}`, maxAttempts: 1 });
    // once a day: at start-up, then on the first tick of each UTC day
    const day = minute.slice(0, 10);
    if (day !== lastPurgeDay) {
      lastPurgeDay = day;
      await quickAddJob({ pgPool: getDb().pool }, RETENTION_TASK, {}, { jobKey: `retention:${day}`, maxAttempts: 1 });
    }
    await quickAddJob({ pgPool: getDb().pool }, SWEEP_TASK, {}, { jobKey: `sweep:${minute}`, maxAttempts: 1 });
    await quickAddJob({ pgPool: getDb().pool }, WEBHOOK_TASK, {}, { jobKey: `webhooks:${minute}`, maxAttempts: 1 });
    await drainEmbeddedQueue();
  };
  const timer = setInterval(() => void tick().catch((e) => console.error("[worker] tick failed:", e)), 60_000);
  timer.unref();
  void tick();
  return async () => clearInterval(timer);
}
