import "server-only";
import { formatTime } from "@/lib/format/time";
import { z } from "zod";
import { AppError } from "@/lib/app-error";
import { assertCan, type Actor } from "@/lib/auth/permissions";
import { appendAudit } from "@/lib/data/audit";
import { getUserNames } from "@/lib/data/users";
import { getDb } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { RULES } from "@/lib/rule/rules";
import { DEFAULT_ALLOWLIST, type AllowlistEntry } from "@/lib/triage/false-positive-checks";

/**
 * The analyst's work on one alert's guide steps (investigation, false-positive items, response):
 * done flag, note and, for false-positive items, the analyst's own answer. One `alert_step` row
 * per (alert, step id); every write bumps `alert.version` (the alert's optimistic lock) and is
 * audited in the same transaction.
 */

export const STEP_ANSWERS = ["yes", "no", "unsure"] as const;
export type StepAnswer = (typeof STEP_ANSWERS)[number];

const knownStepIds = () =>
  new Set(
    RULES.flatMap((r) => [...r.guide.investigation, ...r.guide.falsePositives, ...r.guide.response].map((s) => s.id)),
  );

export const stepChangeSchema = z
  .object({
    alertId: z.string().min(1).max(100),
    /** the alert version the caller saw */
    version: z.number().int().min(1),
    stepKey: z.string().refine((k) => knownStepIds().has(k), "unknown guide step"),
    done: z.boolean().optional(),
    note: z.string().max(5000, "notes are limited to 5000 characters").optional(),
    answer: z.enum(STEP_ANSWERS).nullable().optional(),
    /**
     * The step's values the caller saw before its change. With them, a change made while others
     * edited the alert still saves unless one of the fields it changes was changed meanwhile.
     */
    seen: z
      .object({
        done: z.boolean().optional(),
        note: z.string().max(5000).nullable().optional(),
        answer: z.enum(STEP_ANSWERS).nullable().optional(),
      })
      .optional(),
  })
  .refine((v) => v.done !== undefined || v.note !== undefined || v.answer !== undefined, "nothing to change")
  .refine((v) => v.answer === undefined || v.stepKey.startsWith("fp."), "only false-positive items take an answer");
export type StepChange = z.input<typeof stepChangeSchema>;

export interface StepState {
  stepKey: string;
  done: boolean;
  note: string | null;
  answer: StepAnswer | null;
  updatedBy: string | null;
  updatedByName: string | null;
  updatedAt: Date;
}

type Tx = Prisma.TransactionClient;

const stepSelect = { stepKey: true, done: true, note: true, answer: true, updatedBy: true, updatedAt: true } as const;

function toAnswer(value: string | null): StepAnswer | null {
  return (STEP_ANSWERS as readonly string[]).includes(value ?? "") ? (value as StepAnswer) : null;
}

function parseOrBadRequest<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new AppError("bad_request", parsed.error.issues[0]?.message ?? "invalid input");
  return parsed.data;
}

async function nameOf(tx: Tx, id: string | null | undefined): Promise<string | null> {
  if (!id) return null;
  return (await tx.user.findUnique({ where: { id }, select: { name: true } }))?.name ?? id;
}

/** "this alert was changed by X at T; reload", from the alert's latest audit entry. */
async function conflictError(tx: Tx, alertId: string): Promise<AppError> {
  const last = await tx.auditLog.findFirst({
    where: { entityType: "alert", entityId: alertId },
    orderBy: [{ at: "desc" }, { id: "desc" }],
    select: { actorId: true, at: true },
  });
  const alert = await tx.alert.findUnique({
    where: { id: alertId },
    select: { updatedAt: true, statusChangedBy: true },
  });
  const who = (await nameOf(tx, last?.actorId ?? alert?.statusChangedBy)) ?? "someone";
  const at = formatTime(last?.at ?? alert?.updatedAt ?? new Date());
  return new AppError("conflict", `this alert was changed by ${who} at ${at}; reload`);
}

const FIELD_WORDS = { done: "done box", note: "note", answer: "answer" } as const;

/** The fields of the change that someone else changed since the caller saw them (all of them without `seen`). */
function overlapping(
  data: z.output<typeof stepChangeSchema>,
  current: { done: boolean; note: string | null; answer: string | null },
): (keyof typeof FIELD_WORDS)[] {
  return (["done", "note", "answer"] as const).filter((f) => {
    if (data[f] === undefined) return false;
    const seen = data.seen?.[f];
    return seen === undefined || (seen ?? null) !== (current[f] ?? null);
  });
}

/**
 * Sets one step's done flag, note and/or answer; fields left undefined keep their value. When
 * the alert changed since the caller loaded it, the change still saves if the caller says what
 * it saw (`seen`) and none of the fields it changes was changed meanwhile — two people ticking
 * different steps both save; otherwise AppError `conflict` names who changed what (nothing is
 * written). `not_found` for an unknown alert, `bad_request` for invalid input. Returns the step
 * as saved and the alert's new version.
 */
export async function setAlertStep(actor: Actor, input: StepChange): Promise<{ step: StepState; version: number }> {
  assertCan(actor, "alerts:triage");
  const data = parseOrBadRequest(stepChangeSchema, input);
  return getDb().prisma.$transaction(async (tx) => {
    // one writer per alert at a time: concurrent step edits queue here instead of failing the version check
    const [alert] = await tx.$queryRaw<{ id: string; version: number }[]>`
      SELECT id, version FROM alert WHERE id = ${data.alertId} FOR UPDATE`;
    if (!alert) throw new AppError("not_found", "no such alert");

    const existing = await tx.alertStep.findUnique({
      where: { alertId_stepKey: { alertId: alert.id, stepKey: data.stepKey } },
      select: stepSelect,
    });
    // With `seen`, the fields are checked whatever the version: a page whose version caught up by
    // saving another step must still not overwrite a field someone changed after it loaded.
    if (data.seen || alert.version !== data.version) {
      const clash = overlapping(data, existing ?? { done: false, note: null, answer: null });
      if (clash.length > 0 && (!data.seen || !existing)) throw await conflictError(tx, alert.id);
      if (clash.length > 0 && existing) {
        const who = (await nameOf(tx, existing.updatedBy)) ?? "someone";
        throw new AppError(
          "conflict",
          `this step's ${clash.map((f) => FIELD_WORDS[f]).join(" and ")} was changed by ${who} at ${formatTime(existing.updatedAt)}; reload`,
        );
      }
    }
    const change = {
      ...(data.done !== undefined ? { done: data.done } : {}),
      ...(data.note !== undefined ? { note: data.note.trim() === "" ? null : data.note } : {}),
      ...(data.answer !== undefined ? { answer: data.answer } : {}),
    };
    const { count } = await tx.alert.updateMany({
      where: { id: alert.id, version: alert.version },
      data: { version: { increment: 1 } },
    });
    if (count !== 1) throw await conflictError(tx, alert.id);

    const row = await tx.alertStep.upsert({
      where: { alertId_stepKey: { alertId: alert.id, stepKey: data.stepKey } },
      create: { alertId: alert.id, stepKey: data.stepKey, done: false, ...change, updatedBy: actor.id },
      update: { ...change, updatedBy: actor.id },
      select: stepSelect,
    });
    const before = existing
      ? { stepKey: existing.stepKey, done: existing.done, note: existing.note, answer: existing.answer }
      : { stepKey: data.stepKey, done: false, note: null, answer: null };
    await appendAudit(tx, {
      actorId: actor.id,
      action: "alert.step",
      entityType: "alert",
      entityId: alert.id,
      before,
      after: { stepKey: row.stepKey, done: row.done, note: row.note, answer: row.answer },
    });
    return {
      version: alert.version + 1,
      step: { ...row, answer: toAnswer(row.answer), updatedByName: actor.name ?? (await nameOf(tx, actor.id)) },
    };
  });
}

/** Every saved step of an alert, with the name of who saved it last. */
export async function listAlertSteps(actor: Actor, alertId: string): Promise<StepState[]> {
  assertCan(actor, "alerts:read");
  const { prisma } = getDb();
  const rows = await prisma.alertStep.findMany({ where: { alertId }, select: stepSelect, orderBy: { stepKey: "asc" } });
  const names = await getUserNames(rows.map((r) => r.updatedBy));
  return rows.map((r) => ({
    ...r,
    answer: toAnswer(r.answer),
    updatedByName: r.updatedBy ? (names.get(r.updatedBy) ?? r.updatedBy) : null,
  }));
}

// ---------------------------------------------------------------- false-positive allowlist

/** Setting `fpAllowlist`: the processes and consumers the false-positive checks treat as known tools. */
export const FP_ALLOWLIST_KEY = "fpAllowlist";

const optionalText = (max: number) =>
  z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
    z.string().trim().max(max).optional(),
  );

export const allowlistEntrySchema = z
  .object({
    category: z.enum(["admin", "management", "security"]),
    processName: optionalText(260),
    processPath: optionalText(1000),
    consumerName: optionalText(500),
    note: optionalText(500),
  })
  .refine(
    (e) => e.processName || e.processPath || e.consumerName,
    "each entry needs a processName, processPath or consumerName",
  );
export const allowlistSchema = z.array(allowlistEntrySchema).max(500, "at most 500 allowlist entries");

export interface AllowlistView {
  entries: AllowlistEntry[];
  isDefault: boolean;
  updatedByName: string | null;
  updatedAt: Date | null;
}

export async function getFpAllowlist(): Promise<AllowlistView> {
  const { prisma } = getDb();
  const row = await prisma.setting.findUnique({
    where: { key: FP_ALLOWLIST_KEY },
    select: { value: true, updatedBy: true, updatedAt: true },
  });
  const parsed = row ? allowlistSchema.safeParse(row.value) : null;
  if (!row || !parsed?.success)
    return { entries: DEFAULT_ALLOWLIST, isDefault: true, updatedByName: null, updatedAt: null };
  const by = row.updatedBy
    ? ((await prisma.user.findUnique({ where: { id: row.updatedBy }, select: { name: true } }))?.name ?? row.updatedBy)
    : null;
  return { entries: parsed.data, isDefault: false, updatedByName: by, updatedAt: row.updatedAt };
}

/**
 * Replaces the allowlist (leads: `settings:write`). `expectedUpdatedAt` is the updatedAt the form
 * showed (null when it showed the default): a lead who saved in between is reported, not overwritten.
 */
export async function setFpAllowlist(
  actor: Actor,
  entries: unknown,
  expectedUpdatedAt: Date | null,
): Promise<{ count: number }> {
  assertCan(actor, "settings:write");
  const value = parseOrBadRequest(allowlistSchema, entries);
  return getDb().prisma.$transaction(async (tx) => {
    const before = await tx.setting.findUnique({
      where: { key: FP_ALLOWLIST_KEY },
      select: { value: true, updatedBy: true, updatedAt: true },
    });
    if ((before?.updatedAt.getTime() ?? null) !== (expectedUpdatedAt?.getTime() ?? null)) {
      const who = (await nameOf(tx, before?.updatedBy)) ?? "someone";
      throw new AppError("conflict", `the allowlist was changed by ${who} at ${formatTime(before?.updatedAt)}; reload`);
    }
    await tx.setting.upsert({
      where: { key: FP_ALLOWLIST_KEY },
      create: { key: FP_ALLOWLIST_KEY, value: value as Prisma.InputJsonValue, updatedBy: actor.id },
      update: { value: value as Prisma.InputJsonValue, updatedBy: actor.id },
    });
    await appendAudit(tx, {
      actorId: actor.id,
      action: "setting.update",
      entityType: "setting",
      entityId: FP_ALLOWLIST_KEY,
      before: before?.value ?? DEFAULT_ALLOWLIST,
      after: value,
    });
    return { count: value.length };
  });
}
