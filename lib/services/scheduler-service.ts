import "server-only";
import { getDb } from "@/lib/db/client";
import { parseInterval, planBackfillWindows, planScheduledWindow, windowKey } from "@/lib/detection/schedule";
import { CURRENT_RULE, type RuleDefinition } from "@/lib/rule/rules";
import { isRuleEnabled } from "@/lib/data/rule-state";
import type { RunResult } from "@/lib/detection/run";
import { executeRun, finishRun } from "@/lib/services/detection-service";

/**
 * The rule's schedule, Run now and backfills. Scheduled runs are claimed by inserting the run
 * row with a unique window key, so with several app instances exactly one runs each window.
 */

/** A run still "running" after this long belongs to a process that died: it is marked failed. */
export const STALE_RUN_MS = 15 * 60_000;

/** Marks runs left "running" by a crashed process as failed, so nothing fails silently. */
export async function failStaleRuns(now: Date): Promise<number> {
  const { count } = await getDb().prisma.ruleRun.updateMany({
    where: { status: "running", startedAt: { lt: new Date(now.getTime() - STALE_RUN_MS) } },
    data: {
      status: "failed",
      finishedAt: now,
      error: "interrupted: the process running it stopped before it finished",
    },
  });
  return count;
}

export interface ScheduledOutcome {
  status: "ran" | "skipped-disabled" | "skipped-claimed";
  result?: RunResult;
}

/**
 * One scheduled execution at `now` (the cron tick's time). Returns "skipped-claimed" when another
 * instance already took this window.
 */
export async function runScheduledDetection(now: Date, rule: RuleDefinition = CURRENT_RULE): Promise<ScheduledOutcome> {
  if (!(await isRuleEnabled(rule.ruleId))) return { status: "skipped-disabled" };
  const { prisma } = getDb();
  await failStaleRuns(now);
  const last = await prisma.ruleRun.findFirst({
    where: { ruleId: rule.ruleId, kind: "scheduled", status: "succeeded" },
    orderBy: { windowEnd: "desc" },
    select: { windowEnd: true },
  });
  const window = planScheduledWindow({ now, from: rule.from, lastSucceededEnd: last?.windowEnd ?? null });
  const claimed = await prisma.ruleRun.createMany({
    data: [
      {
        ruleId: rule.ruleId,
        ruleVersion: rule.version,
        kind: "scheduled",
        windowStart: window.start,
        windowEnd: window.end,
        windowKey: windowKey(rule.ruleId, window.end),
      },
    ],
    skipDuplicates: true,
  });
  if (claimed.count === 0) return { status: "skipped-claimed" };
  const run = await prisma.ruleRun.findUniqueOrThrow({
    where: { windowKey: windowKey(rule.ruleId, window.end) },
    select: { id: true },
  });
  const result = await finishRun(run.id, rule, { kind: "scheduled", scope: { window }, cap: rule.maxSignals });
  if (window.gapCoveredMs > 0) {
    const note = `the previous successful run ended ${Math.round(window.gapCoveredMs / 60_000)} min before this window; the window was widened to cover the gap`;
    await prisma.ruleRun.update({ where: { id: run.id }, data: { warnings: [...result.warnings, note] } });
    result.warnings.push(note);
  }
  return { status: "ran", result };
}

/** "Run now": the rule's own look-back ending now, capped like a scheduled run. */
export async function runNow(
  actorId: string,
  now = new Date(),
  rule: RuleDefinition = CURRENT_RULE,
): Promise<RunResult> {
  const window = planScheduledWindow({ now, from: rule.from, lastSucceededEnd: null });
  return executeRun({ kind: "manual", scope: { window }, cap: rule.maxSignals, requestedBy: actorId, rule });
}

export async function createBackfill(
  actorId: string,
  opts: { start: Date; end: Date; capped: boolean },
  rule: RuleDefinition = CURRENT_RULE,
): Promise<string> {
  const windows = planBackfillWindows(opts.start, opts.end, parseInterval(rule.interval));
  if (windows.length > 10_000)
    throw new Error(`that range is ${windows.length} windows of ${rule.interval}; choose at most 10000`);
  const { prisma } = getDb();
  return prisma.$transaction(async (tx) => {
    const backfill = await tx.backfill.create({
      data: {
        ruleId: rule.ruleId,
        rangeStart: opts.start,
        rangeEnd: opts.end,
        capped: opts.capped,
        windowsTotal: windows.length,
        requestedBy: actorId,
      },
      select: { id: true },
    });
    await tx.auditLog.create({
      data: {
        actorId,
        action: "rule.backfill",
        entityType: "rule",
        entityId: rule.ruleId,
        after: {
          backfillId: backfill.id,
          start: opts.start,
          end: opts.end,
          capped: opts.capped,
          windows: windows.length,
        },
      },
    });
    return backfill.id;
  });
}

/** Processes a backfill window by window; resumable: windows already done are skipped. */
export async function processBackfill(backfillId: string, rule: RuleDefinition = CURRENT_RULE): Promise<void> {
  const { prisma } = getDb();
  const backfill = await prisma.backfill.findUniqueOrThrow({ where: { id: backfillId } });
  if (backfill.status === "succeeded") return;
  await prisma.backfill.update({ where: { id: backfillId }, data: { status: "running" } });
  const windows = planBackfillWindows(backfill.rangeStart, backfill.rangeEnd, parseInterval(rule.interval));
  let alerts = backfill.alertsCreated;
  try {
    for (let i = backfill.windowsDone; i < windows.length; i++) {
      // disabling the rule stops a backfill under way: no window after that creates alerts
      if (!(await isRuleEnabled(rule.ruleId)))
        throw new Error(
          `stopped: the rule was disabled after ${i} of ${windows.length} windows; enable it and backfill again`,
        );
      const result = await executeRun({
        kind: "backfill",
        scope: { window: windows[i] },
        cap: backfill.capped ? rule.maxSignals : null,
        requestedBy: backfill.requestedBy,
        rule,
        backfillId,
      });
      if (result.status === "failed") throw new Error(`window ${windows[i].start.toISOString()}: ${result.error}`);
      alerts += result.alertsCreated;
      await prisma.backfill.update({ where: { id: backfillId }, data: { windowsDone: i + 1, alertsCreated: alerts } });
    }
    await prisma.backfill.update({ where: { id: backfillId }, data: { status: "succeeded", finishedAt: new Date() } });
  } catch (error) {
    await prisma.backfill.update({
      where: { id: backfillId },
      data: { status: "failed", finishedAt: new Date(), error: error instanceof Error ? error.message : String(error) },
    });
  }
}
