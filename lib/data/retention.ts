import "server-only";
import { AppError } from "@/lib/app-error";
import { assertCan, type Actor } from "@/lib/auth/permissions";
import { TIMELINE_WINDOWS } from "@/lib/data/alert-timeline";
import { appendAudit } from "@/lib/data/audit";
import { getDb } from "@/lib/db/client";
import {
  DEFAULT_RETENTION_DAYS,
  evidenceRules,
  retentionCutoff,
  retentionDaysSchema,
  type PurgeSummary,
} from "@/lib/retention/policy";

/**
 * Event retention's data access: the admin's setting (`setting` row `retentionDays`), the last
 * purge's summary (`retentionLastPurge`), and the purge's two statements. What an expired event
 * must keep to stay is written once, in EVIDENCE_SQL below; lib/retention/policy.ts says it in words.
 */
const DAYS_KEY = "retentionDays";
const LAST_PURGE_KEY = "retentionLastPurge";

/** The alert page's widest timeline window: events of an alert's host this close to it are its evidence. */
export const EVIDENCE_CONTEXT_MINUTES = Math.max(...TIMELINE_WINDOWS);

export interface RetentionSetting {
  days: number;
  isDefault: boolean;
  updatedBy: string | null;
  updatedByName: string | null;
  updatedAt: Date | null;
}

export interface LastPurge {
  at: string;
  cutoff: string;
  expired: number;
  deleted: number;
  kept: number;
  batches: number;
  ms: number;
}

export async function getRetentionSetting(): Promise<RetentionSetting> {
  const { prisma } = getDb();
  const row = await prisma.setting.findUnique({
    where: { key: DAYS_KEY },
    select: { value: true, updatedBy: true, updatedAt: true },
  });
  const parsed = row ? retentionDaysSchema.safeParse(row.value) : null;
  if (!row || !parsed?.success)
    return { days: DEFAULT_RETENTION_DAYS, isDefault: true, updatedBy: null, updatedByName: null, updatedAt: null };
  const user = row.updatedBy
    ? await prisma.user.findUnique({ where: { id: row.updatedBy }, select: { name: true } })
    : null;
  return {
    days: parsed.data,
    isDefault: false,
    updatedBy: row.updatedBy,
    updatedByName: user?.name ?? row.updatedBy,
    updatedAt: row.updatedAt,
  };
}

/** `expectedUpdatedAt`: the setting's updatedAt the form showed (null when it showed the default). */
export async function setRetentionDays(actor: Actor, days: number, expectedUpdatedAt?: Date | null) {
  assertCan(actor, "retention:manage");
  const value = retentionDaysSchema.parse(days);
  return getDb().prisma.$transaction(async (tx) => {
    const before = await tx.setting.findUnique({
      where: { key: DAYS_KEY },
      select: { value: true, updatedAt: true },
    });
    if (
      expectedUpdatedAt !== undefined &&
      (before?.updatedAt?.getTime() ?? null) !== (expectedUpdatedAt?.getTime() ?? null)
    )
      throw new AppError("conflict", "the retention period was changed by someone else meanwhile; reload");
    const row = await tx.setting.upsert({
      where: { key: DAYS_KEY },
      create: { key: DAYS_KEY, value, updatedBy: actor.id },
      update: { value, updatedBy: actor.id },
      select: { value: true, updatedAt: true },
    });
    await appendAudit(tx, {
      actorId: actor.id,
      action: "setting.update",
      entityType: "setting",
      entityId: DAYS_KEY,
      before: before?.value ?? null,
      after: value,
    });
    return { days: value, updatedAt: row.updatedAt };
  });
}

export async function getLastPurge(): Promise<LastPurge | null> {
  const row = await getDb().prisma.setting.findUnique({ where: { key: LAST_PURGE_KEY }, select: { value: true } });
  return (row?.value as LastPurge | undefined) ?? null;
}

export async function recordPurge(summary: PurgeSummary & { at: Date; ms: number }): Promise<void> {
  const value = {
    at: summary.at.toISOString(),
    cutoff: summary.cutoff.toISOString(),
    expired: summary.expired,
    deleted: summary.deleted,
    kept: summary.kept,
    batches: summary.batches,
    ms: summary.ms,
  } satisfies LastPurge;
  await getDb().prisma.setting.upsert({
    where: { key: LAST_PURGE_KEY },
    create: { key: LAST_PURGE_KEY, value },
    update: { value, updatedBy: null },
  });
}

/**
 * The id range holding every event stored before `cutoff`, read through the BRIN index on
 * created_at (ids follow insertion, so the range is the table's old end); null when none expired.
 */
export async function findExpiredIdRange(cutoff: Date): Promise<{ from: bigint; to: bigint } | null> {
  const rows = await getDb().prisma.$queryRaw<{ from: bigint | null; to: bigint | null }[]>`
    SELECT min("id") AS "from", max("id") AS "to" FROM "event" WHERE "created_at" < ${cutoff}`;
  const { from, to } = rows[0] ?? {};
  return from == null || to == null ? null : { from: BigInt(from), to: BigInt(to) };
}

/**
 * Deletes the expired events with ids in [from, to] that are no alert's evidence; returns how
 * many expired events the range held and how many went. One transaction: the expired rows are
 * locked first, so an alert being created on one of them (a backfill over old data) either
 * committed before — and the DELETE's fresh snapshot sees it and keeps the event — or waits and
 * then fails its foreign key, instead of the event's ON DELETE CASCADE taking the new alert with it.
 */
export async function purgeExpiredRange(
  from: bigint,
  to: bigint,
  cutoff: Date,
  contextMinutes: number = EVIDENCE_CONTEXT_MINUTES,
): Promise<{ expired: number; deleted: number }> {
  return getDb().prisma.$transaction(async (tx) => {
    const locked = await tx.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM (
        SELECT 1 FROM "event" WHERE "id" BETWEEN ${from} AND ${to} AND "created_at" < ${cutoff} FOR UPDATE
      ) expired`;
    const expired = locked[0]?.n ?? 0;
    if (expired === 0) return { expired: 0, deleted: 0 };
    // EVIDENCE_SQL: what the alert page, case report, exception suggestions and hunt pins read (hosts by host_key, as
    // the alert page joins them)
    const deleted = await tx.$executeRaw`
      DELETE FROM "event" e
       WHERE e."id" BETWEEN ${from} AND ${to} AND e."created_at" < ${cutoff}
         AND NOT EXISTS (SELECT 1 FROM "alert" a WHERE a."event_id" = e."id")
         AND NOT EXISTS (SELECT 1 FROM "hunt_pin" p WHERE p."event_id" = e."id")
         AND (e."host_key" IS NULL OR NOT EXISTS (
               SELECT 1 FROM "alert" a
                WHERE a."host_key" = e."host_key"
                  AND a."event_timestamp" BETWEEN e."timestamp" - make_interval(mins => ${contextMinutes}::int)
                                              AND e."timestamp" + make_interval(mins => ${contextMinutes}::int)))
         AND (e."host_key" IS NULL OR e."event_code" IS NULL OR e."event_code" NOT IN ('19', '20', '21')
              OR NOT EXISTS (SELECT 1 FROM "alert" a WHERE a."host_key" = e."host_key"))`;
    return { expired, deleted };
  });
}

export interface RetentionOverview {
  setting: RetentionSetting;
  /** events stored before this have expired (as of now) */
  cutoff: Date;
  lastPurge: LastPurge | null;
  evidence: string[];
}

/** The admin page's data. */
export async function getRetentionOverview(actor: Actor, now: Date = new Date()): Promise<RetentionOverview> {
  assertCan(actor, "retention:manage");
  const [setting, lastPurge] = await Promise.all([getRetentionSetting(), getLastPurge()]);
  return {
    setting,
    cutoff: retentionCutoff(now, setting.days),
    lastPurge,
    evidence: evidenceRules(EVIDENCE_CONTEXT_MINUTES),
  };
}
