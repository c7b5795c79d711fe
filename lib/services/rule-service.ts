import "server-only";
import { AppError } from "@/lib/app-error";
import { assertCan, type Actor } from "@/lib/auth/permissions";
import { isRuleEnabled, setRuleEnabled } from "@/lib/data/rule-state";
import { getDb } from "@/lib/db/client";
import { MAX_BACKFILL_DAYS, type BackfillRequest, type RunResult } from "@/lib/detection/run";
import { parseInterval, planBackfillWindows } from "@/lib/detection/schedule";
import { getEnv } from "@/lib/env";
import { CURRENT_RULE } from "@/lib/rule/rules";
import { createBackfill, processBackfill, runNow } from "@/lib/services/scheduler-service";
import { enqueueBackfill } from "@/lib/services/worker";

/** What a lead does to the rule: Run now, enable/disable, start a backfill (each audited). */

async function assertRuleEnabled(what: string): Promise<void> {
  // as in Kibana, a disabled rule is neither run manually nor backfilled
  if (!(await isRuleEnabled())) throw new AppError("conflict", `the rule is disabled: enable it before ${what}`);
}

/** "Run now": the rule's own look-back ending now, capped like a scheduled run; recorded in the history. */
export async function runRuleNow(actor: Actor): Promise<RunResult> {
  assertCan(actor, "rule:run");
  await assertRuleEnabled("running it");
  return runNow(actor.id);
}

export async function updateRuleEnabled(actor: Actor, enabled: boolean): Promise<{ enabled: boolean }> {
  assertCan(actor, "rule:run");
  await setRuleEnabled(actor.id, enabled);
  return { enabled };
}

/** Records a backfill and gets it processed; returns its id (its progress is on the backfill row). */
export async function startBackfill(
  actor: Actor,
  request: BackfillRequest,
): Promise<{ id: string; windowsTotal: number }> {
  assertCan(actor, "rule:run");
  if (!(request.start < request.end)) throw new AppError("bad_request", "the backfill must end after it starts");
  if (request.end.getTime() - request.start.getTime() > MAX_BACKFILL_DAYS * 86_400_000) {
    throw new AppError("bad_request", `a backfill covers at most ${MAX_BACKFILL_DAYS} days`);
  }
  await assertRuleEnabled("backfilling");
  const windowsTotal = planBackfillWindows(request.start, request.end, parseInterval(CURRENT_RULE.interval)).length;
  const id = await createBackfill(actor.id, request);
  if (getEnv().WMI_SCHEDULER_DISABLED === "1") {
    // No worker runs in this process (the e2e server, WMI_SCHEDULER_DISABLED=1), and the job
    // queue's schema is installed only when the worker starts (startWorker → runMigrations), so
    // queueing would fail. The backfill is processed here instead, in the background:
    // processBackfill is resumable and records its own failure on the backfill row.
    void processBackfill(id).catch((error) => markBackfillFailed(id, error));
    return { id, windowsTotal };
  }
  try {
    // on the embedded Postgres enqueueBackfill also drains the queue (runOnce) right away
    await enqueueBackfill(id);
  } catch (error) {
    await markBackfillFailed(id, error);
    throw new AppError(
      "unavailable",
      `the backfill was recorded but could not be queued: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return { id, windowsTotal };
}

async function markBackfillFailed(id: string, error: unknown): Promise<void> {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`[backfill ${id}] failed:`, message);
  await getDb()
    .prisma.backfill.updateMany({
      where: { id, status: { in: ["queued", "running"] } },
      data: { status: "failed", error: message, finishedAt: new Date() },
    })
    .catch(() => {});
}
