import "server-only";
import { z } from "zod";
import { AppError } from "@/lib/app-error";
import { assertCan, type Actor } from "@/lib/auth/permissions";
import { appendAudit } from "@/lib/data/audit";
import { getDb } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { CURRENT_RULE } from "@/lib/rule/rules";
import { formatTime } from "@/lib/format/time";

/**
 * Team settings a lead changes (`settings:write`), each one a `setting` row whose value is JSON.
 * `mandatorySteps`: the guide step ids that must be done before an alert may be closed (read by
 * getMandatorySteps() in lib/data/alert-status.ts); default: every investigation step.
 * `qaSampleSize`: how many false-positive closures the QA queue samples.
 * `ackSlaMinutes`: the team's target for acknowledging an alert (metrics count the alerts acknowledged later).
 */
export const SETTING_KEYS = ["mandatorySteps", "qaSampleSize", "ackSlaMinutes"] as const;

const guideSteps = () => [
  ...CURRENT_RULE.guide.investigation,
  ...CURRENT_RULE.guide.falsePositives,
  ...CURRENT_RULE.guide.response,
];

export const DEFAULT_MANDATORY_STEPS = CURRENT_RULE.guide.investigation.map((s) => s.id);
export const DEFAULT_QA_SAMPLE_SIZE = 10;

export const mandatoryStepsSchema = z
  .array(z.string())
  .max(100)
  .refine((ids) => ids.every((id) => guideSteps().some((s) => s.id === id)), "unknown guide step id")
  .transform((ids) => [...new Set(ids)]);
export const qaSampleSizeSchema = z.coerce.number().int().min(1).max(200);
export const DEFAULT_ACK_SLA_MINUTES = 60;
/** one minute to one week */
export const ackSlaMinutesSchema = z.coerce
  .number()
  .int("whole minutes")
  .min(1, "at least 1 minute")
  .max(7 * 24 * 60, "at most a week (10080 minutes)");

export interface SettingView<T> {
  value: T;
  isDefault: boolean;
  updatedBy: string | null;
  updatedAt: Date | null;
}

async function readSetting(key: string) {
  return getDb().prisma.setting.findUnique({
    where: { key },
    select: { value: true, updatedBy: true, updatedAt: true },
  });
}

export async function getMandatoryStepsSetting(): Promise<SettingView<string[]>> {
  const row = await readSetting("mandatorySteps");
  const parsed = row ? mandatoryStepsSchema.safeParse(row.value) : null;
  if (!row || !parsed?.success)
    return { value: DEFAULT_MANDATORY_STEPS, isDefault: true, updatedBy: null, updatedAt: null };
  return { value: parsed.data, isDefault: false, updatedBy: row.updatedBy, updatedAt: row.updatedAt };
}

export async function getQaSampleSize(): Promise<number> {
  const row = await readSetting("qaSampleSize");
  const parsed = row ? qaSampleSizeSchema.safeParse(row.value) : null;
  return parsed?.success ? parsed.data : DEFAULT_QA_SAMPLE_SIZE;
}

export async function getAckSlaSetting(): Promise<SettingView<number>> {
  const row = await readSetting("ackSlaMinutes");
  const parsed = row ? ackSlaMinutesSchema.safeParse(row.value) : null;
  if (!row || !parsed?.success)
    return { value: DEFAULT_ACK_SLA_MINUTES, isDefault: true, updatedBy: null, updatedAt: null };
  return { value: parsed.data, isDefault: false, updatedBy: row.updatedBy, updatedAt: row.updatedAt };
}

/** The guide's steps grouped by section, for the settings form. */
export function listGuideStepsForSettings() {
  const g = CURRENT_RULE.guide;
  return [
    { section: "Investigation", steps: g.investigation.map((s) => ({ id: s.id, label: s.label })) },
    { section: "False-positive checks", steps: g.falsePositives.map((s) => ({ id: s.id, label: s.label })) },
    { section: "Response", steps: g.response.map((s) => ({ id: s.id, label: s.label })) },
  ];
}

async function writeSetting(
  actor: Actor,
  key: (typeof SETTING_KEYS)[number],
  value: Prisma.InputJsonValue,
  expectedUpdatedAt?: Date | null,
) {
  assertCan(actor, "settings:write");
  return getDb().prisma.$transaction(async (tx) => {
    const before = await tx.setting.findUnique({
      where: { key },
      select: { value: true, updatedBy: true, updatedAt: true },
    });
    // optimistic check: the form carries the updatedAt it was rendered with
    if (
      expectedUpdatedAt !== undefined &&
      (before?.updatedAt?.getTime() ?? null) !== (expectedUpdatedAt?.getTime() ?? null)
    ) {
      const by = before?.updatedBy
        ? ((await tx.user.findUnique({ where: { id: before.updatedBy }, select: { name: true } }))?.name ??
          before.updatedBy)
        : "someone";
      throw new AppError("conflict", `this setting was changed by ${by} at ${formatTime(before?.updatedAt)}; reload`);
    }
    const row = await tx.setting.upsert({
      where: { key },
      create: { key, value, updatedBy: actor.id },
      update: { value, updatedBy: actor.id },
      select: { key: true, value: true, updatedAt: true },
    });
    await appendAudit(tx, {
      actorId: actor.id,
      action: "setting.update",
      entityType: "setting",
      entityId: key,
      before: before?.value ?? null,
      after: value,
    });
    return row;
  });
}

export async function setMandatorySteps(actor: Actor, stepIds: string[], expectedUpdatedAt?: Date | null) {
  return writeSetting(actor, "mandatorySteps", mandatoryStepsSchema.parse(stepIds), expectedUpdatedAt);
}

export async function setQaSampleSize(actor: Actor, size: number) {
  return writeSetting(actor, "qaSampleSize", qaSampleSizeSchema.parse(size));
}

export async function setAckSlaMinutes(actor: Actor, minutes: number, expectedUpdatedAt?: Date | null) {
  return writeSetting(actor, "ackSlaMinutes", ackSlaMinutesSchema.parse(minutes), expectedUpdatedAt);
}
