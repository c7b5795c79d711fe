import "server-only";
import { getDb } from "@/lib/db/client";
import { CURRENT_RULE } from "@/lib/rule/rules";

/**
 * The rule's stored on/off state (rule_state); a rule with no row is enabled, as in Kibana. Read by
 * every path that could create alerts: the schedule, Run now, backfills (before each window) and
 * the run after an ingest (upload, API, CLI, polling, `_bulk`). Disabled, events keep being stored.
 */

export async function isRuleEnabled(ruleId = CURRENT_RULE.ruleId): Promise<boolean> {
  const state = await getDb().prisma.ruleState.findUnique({ where: { ruleId }, select: { enabled: true } });
  return state?.enabled ?? true;
}

export async function setRuleEnabled(actorId: string, enabled: boolean, ruleId = CURRENT_RULE.ruleId): Promise<void> {
  const { prisma } = getDb();
  await prisma.$transaction(async (tx) => {
    const before = await tx.ruleState.findUnique({ where: { ruleId }, select: { enabled: true } });
    await tx.ruleState.upsert({
      where: { ruleId },
      create: { ruleId, enabled, updatedBy: actorId },
      update: { enabled, updatedBy: actorId },
    });
    await tx.auditLog.create({
      data: {
        actorId,
        action: enabled ? "rule.enable" : "rule.disable",
        entityType: "rule",
        entityId: ruleId,
        before: { enabled: before?.enabled ?? true },
        after: { enabled },
      },
    });
  });
}

/** The last time the rule was disabled (from the audit log), and what was stored meanwhile. */
export interface DisabledPeriod {
  from: Date;
  /** null while the rule is still disabled */
  to: Date | null;
  /** events stored by ingest jobs that finished in the period: no rule run looked at them */
  events: number;
  /** their first and last time on the rule's timestamp override: what a backfill must cover */
  eventsFrom: Date | null;
  eventsTo: Date | null;
  /** a backfill was requested after the rule was enabled again */
  backfilled: boolean;
}

export async function getLastDisabledPeriod(ruleId = CURRENT_RULE.ruleId): Promise<DisabledPeriod | null> {
  const { prisma } = getDb();
  const disabled = await prisma.auditLog.findFirst({
    where: { entityType: "rule", entityId: ruleId, action: "rule.disable" },
    orderBy: [{ at: "desc" }, { id: "desc" }],
    select: { id: true, at: true },
  });
  if (!disabled) return null;
  const enabled = await prisma.auditLog.findFirst({
    where: { entityType: "rule", entityId: ruleId, action: "rule.enable", id: { gt: disabled.id } },
    orderBy: { id: "asc" },
    select: { at: true },
  });
  const to = enabled?.at ?? null;
  const [span] = await prisma.$queryRaw<{ n: bigint; first: Date | null; last: Date | null }[]>`
    SELECT count(*) AS n, min(e."detect_time") AS first, max(e."detect_time") AS last
    FROM "event" e JOIN "ingest_job" j ON j."id" = e."ingest_job_id"
    WHERE j."finished_at" >= ${disabled.at} AND j."finished_at" <= ${to ?? new Date()}`;
  const backfilled = to !== null && (await prisma.backfill.count({ where: { ruleId, createdAt: { gte: to } } })) > 0;
  return {
    from: disabled.at,
    to,
    events: Number(span?.n ?? 0),
    eventsFrom: span?.first ?? null,
    eventsTo: span?.last ?? null,
    backfilled,
  };
}
