import "server-only";
import { z } from "zod";
import { AppError } from "@/lib/app-error";
import { assertCan, can, type Actor } from "@/lib/auth/permissions";
import { CASE_RESOLUTIONS, CASE_SEVERITIES, CASE_STATUSES, type CaseResolution } from "@/lib/cases/case-fields";
import { setAlertsStatus, getMandatorySteps } from "@/lib/data/alert-status";
import { appendAudit, AUDIT_ENTRY_SELECT } from "@/lib/data/audit";
import { notifyUser } from "@/lib/data/notifications";
import { getUserNames } from "@/lib/data/users";
import { appLink, queueWebhookEvent } from "@/lib/data/webhooks";
import { getDb } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { CURRENT_RULE } from "@/lib/rule/rules";
import { caseStatusLabel, severityLabel, verdictLabel } from "@/lib/format/labels";
import { formatTime } from "@/lib/format/time";

/**
 * Cases group alerts that are one incident. Every change is one transaction with its audit entry.
 * The case table has no version column: its `updatedAt` is the optimistic-lock token (the form
 * sends back the value it was rendered with; `updateMany WHERE id AND updated_at` must hit 1 row).
 */
export { CASE_RESOLUTIONS, CASE_SEVERITIES, CASE_STATUSES, type CaseResolution } from "@/lib/cases/case-fields";

const tagsSchema = z
  .array(z.string().trim().min(1).max(40))
  .max(20)
  .transform((t) => [...new Set(t)]);

export const caseFieldsSchema = z.object({
  title: z.string().trim().min(1, "give the case a title").max(200),
  description: z.string().max(20000).default(""),
  severity: z.enum(CASE_SEVERITIES).default("medium"),
  tags: tagsSchema.default([]),
  assigneeId: z.string().max(100).nullable().default(null),
});
export type CaseFields = z.input<typeof caseFieldsSchema>;

export const caseUpdateSchema = z.object({
  title: z.string().trim().min(1).max(200).optional(),
  description: z.string().max(20000).optional(),
  severity: z.enum(CASE_SEVERITIES).optional(),
  tags: tagsSchema.optional(),
  status: z.enum(["open", "in-progress"]).optional(),
});
export type CaseUpdate = z.input<typeof caseUpdateSchema>;

export const caseFilterSchema = z.object({
  status: z.enum([...CASE_STATUSES, "all", "active"]).catch("active"),
  assignee: z.string().max(100).optional(),
  q: z.string().trim().max(200).optional(),
  page: z.coerce.number().int().min(1).catch(1),
});
export type CaseFilter = z.infer<typeof caseFilterSchema>;

const CASE_PAGE_SIZE = 50;
const uuid = z.uuid();
const GUIDE_STEP_COUNT =
  CURRENT_RULE.guide.investigation.length +
  CURRENT_RULE.guide.falsePositives.length +
  CURRENT_RULE.guide.response.length;

type Tx = Prisma.TransactionClient;

function requireCaseId(id: string): string {
  if (!uuid.safeParse(id).success) throw new AppError("not_found", "no such case");
  return id;
}

async function nameOf(tx: Tx, userId: string | null | undefined): Promise<string> {
  if (!userId) return "someone";
  return (await tx.user.findUnique({ where: { id: userId }, select: { name: true } }))?.name ?? userId;
}

async function assertAssignable(tx: Tx, assigneeId: string | null) {
  if (!assigneeId) return;
  const u = await tx.user.findUnique({ where: { id: assigneeId }, select: { disabled: true, role: true } });
  if (!u || u.disabled) throw new AppError("bad_request", "the assignee does not exist or is disabled");
  if (!can(u.role, "cases:write")) throw new AppError("bad_request", `a ${u.role} cannot work cases`);
}

/** Assigning someone else is a lead's job; anyone who may write cases may take one. */
function assertMayAssign(actor: Actor, assigneeId: string | null) {
  if (assigneeId === null || assigneeId === actor.id) return;
  assertCan(actor, "alerts:assign");
}

/** Throws the conflict error that names who changed the case last and when. */
async function conflict(tx: Tx, caseId: string): Promise<never> {
  const last = await tx.auditLog.findFirst({
    where: { entityType: "case", entityId: caseId },
    orderBy: [{ at: "desc" }, { id: "desc" }],
    select: { actorId: true, at: true },
  });
  const current = await tx.case.findUnique({ where: { id: caseId }, select: { updatedAt: true } });
  if (!current) throw new AppError("not_found", "no such case");
  throw new AppError(
    "conflict",
    `this case was changed by ${await nameOf(tx, last?.actorId)} at ${formatTime(last?.at ?? current.updatedAt)}; reload`,
  );
}

const caseSelect = {
  id: true,
  number: true,
  title: true,
  description: true,
  severity: true,
  status: true,
  assigneeId: true,
  tags: true,
  resolution: true,
  createdBy: true,
  createdAt: true,
  updatedAt: true,
  closedAt: true,
} as const;

type CaseRow = Prisma.CaseGetPayload<{ select: typeof caseSelect }>;

/** What a webhook says about a case (lib/data/webhooks.ts): ids, values with their words, links. */
async function caseEventData(tx: Tx, c: CaseRow) {
  const assignee = c.assigneeId
    ? await tx.user.findUnique({ where: { id: c.assigneeId }, select: { id: true, name: true } })
    : null;
  return {
    id: c.id,
    number: c.number,
    title: c.title,
    status: c.status,
    statusLabel: caseStatusLabel(c.status),
    severity: c.severity,
    severityLabel: severityLabel(c.severity),
    assigneeId: c.assigneeId,
    assignee: assignee ? { id: assignee.id, name: assignee.name } : null,
    resolution: c.resolution,
    resolutionLabel: c.resolution ? verdictLabel(c.resolution) : null,
    path: `/cases/${c.id}`,
    url: appLink(`/cases/${c.id}`),
  };
}

const CASE_FIELD_WORDS: Record<string, string> = { assigneeId: "assignee", closedAt: "closing time" };

/** The event in one sentence, as a chat tool shows it. */
function caseEventText(
  action: string,
  c: Awaited<ReturnType<typeof caseEventData>>,
  by: string,
  changed: string[] = [],
): string {
  const which = `Case #${c.number} "${c.title}"`;
  if (action === "case.create")
    return `${which} created by ${by}: ${c.severityLabel} severity${c.assignee ? `, assigned to ${c.assignee.name}` : ""}`;
  if (action === "case.close") return `${which} closed by ${by} as ${c.resolutionLabel ?? "resolved"}`;
  const fields = changed.map((k) => CASE_FIELD_WORDS[k] ?? k).join(", ");
  return `${which} updated by ${by}${fields ? ` (${fields})` : ""}: ${c.statusLabel}, ${c.severityLabel} severity${c.assignee ? `, assigned to ${c.assignee.name}` : ", unassigned"}`;
}

/** Writes `data` if the case is still at `expectedUpdatedAt`; audits before/after of the changed fields. */
async function updateCaseChecked(
  tx: Tx,
  actor: Actor,
  caseId: string,
  expectedUpdatedAt: Date | string,
  data: Prisma.CaseUpdateManyMutationInput,
  action: string,
  extra?: object,
) {
  const before = await tx.case.findUnique({ where: { id: caseId }, select: caseSelect });
  if (!before) throw new AppError("not_found", "no such case");
  const expected = new Date(expectedUpdatedAt);
  const { count } = await tx.case.updateMany({
    where: { id: caseId, updatedAt: expected },
    data: { ...data, updatedAt: new Date() },
  });
  if (count !== 1) await conflict(tx, caseId);
  const after = (await tx.case.findUnique({ where: { id: caseId }, select: caseSelect })) as CaseRow;
  const keys = Object.keys(data) as (keyof CaseRow)[];
  const afterData = await caseEventData(tx, after);
  const by = actor.name ?? "someone";
  await queueWebhookEvent(
    tx,
    action === "case.close" ? "case.closed" : "case.updated",
    caseEventText(action, afterData, by, keys),
    {
      case: afterData,
      action,
      by: { id: actor.id, name: actor.name ?? null },
      changes: Object.fromEntries(keys.map((k) => [k, { from: before[k], to: after[k] }])),
    },
  );
  await appendAudit(tx, {
    actorId: actor.id,
    action,
    entityType: "case",
    entityId: caseId,
    before: Object.fromEntries(keys.map((k) => [k, before[k]])),
    after: { ...Object.fromEntries(keys.map((k) => [k, after[k]])), ...extra },
  });
  return { before, after };
}

export async function listCases(actor: Actor, filter: CaseFilter) {
  assertCan(actor, "cases:read");
  const assignee = filter.assignee === "me" ? actor.id : filter.assignee;
  const where: Prisma.CaseWhereInput = {
    ...(filter.status === "all"
      ? {}
      : filter.status === "active"
        ? { status: { not: "closed" } }
        : { status: filter.status }),
    ...(assignee === "unassigned" ? { assigneeId: null } : assignee ? { assigneeId: assignee } : {}),
    ...(filter.q ? { OR: [{ title: { contains: filter.q, mode: "insensitive" } }, { tags: { has: filter.q } }] } : {}),
  };
  const { prisma } = getDb();
  const [rows, total] = await Promise.all([
    prisma.case.findMany({
      where,
      orderBy: [{ updatedAt: "desc" }],
      skip: (filter.page - 1) * CASE_PAGE_SIZE,
      take: CASE_PAGE_SIZE,
      select: { ...caseSelect, _count: { select: { alerts: true, comments: true } } },
    }),
    prisma.case.count({ where }),
  ]);
  const names = await getUserNames(rows.map((r) => r.assigneeId));
  return {
    total,
    page: filter.page,
    pageCount: Math.max(1, Math.ceil(total / CASE_PAGE_SIZE)),
    cases: rows.map(({ _count, ...c }) => ({
      ...c,
      alertCount: _count.alerts,
      commentCount: _count.comments,
      assigneeName: c.assigneeId ? (names.get(c.assigneeId) ?? c.assigneeId) : null,
    })),
  };
}

export type CaseAlertView = Awaited<ReturnType<typeof listCaseAlerts>>[number];

/** The case's alerts, each with its workflow progress (done steps of the guide's steps). */
export async function listCaseAlerts(caseId: string) {
  const { prisma } = getDb();
  const alerts = await prisma.alert.findMany({
    where: { caseId },
    orderBy: { eventTimestamp: "asc" },
    select: {
      id: true,
      hostName: true,
      userName: true,
      consumerName: true,
      consumerType: true,
      command: true,
      severity: true,
      eventTimestamp: true,
      status: true,
      verdict: true,
      closeReason: true,
      assigneeId: true,
      version: true,
      steps: { where: { done: true }, select: { stepKey: true } },
    },
  });
  const mandatory = await getMandatorySteps();
  return alerts.map(({ steps, ...a }) => {
    const done = new Set(steps.map((s) => s.stepKey));
    const missing = mandatory.filter((m) => !done.has(m));
    return { ...a, stepsDone: done.size, stepsTotal: GUIDE_STEP_COUNT, mandatoryMissing: missing };
  });
}

export async function getCase(actor: Actor, id: string) {
  assertCan(actor, "cases:read");
  if (!uuid.safeParse(id).success) return null;
  const { prisma } = getDb();
  const row = await prisma.case.findUnique({ where: { id }, select: caseSelect });
  if (!row) return null;
  const [alerts, comments] = await Promise.all([
    listCaseAlerts(id),
    prisma.comment.findMany({
      where: { caseId: id },
      orderBy: { createdAt: "asc" },
      select: { id: true, authorId: true, body: true, createdAt: true },
    }),
  ]);
  const timeline = await listCaseTimeline(
    id,
    alerts.map((a) => a.id),
  );
  const ids = [
    row.assigneeId,
    row.createdBy,
    ...comments.map((c) => c.authorId),
    ...timeline.map((t) => t.actorId),
    ...alerts.map((a) => a.assigneeId),
  ];
  const names = await getUserNames(ids);
  const name = (uid: string | null) => (uid ? (names.get(uid) ?? uid) : null);
  return {
    ...row,
    assigneeName: name(row.assigneeId),
    createdByName: name(row.createdBy),
    alerts: alerts.map((a) => ({ ...a, assigneeName: name(a.assigneeId) })),
    comments: comments.map((c) => ({ ...c, authorName: name(c.authorId) ?? "unknown" })),
    timeline: timeline.map((t) => ({ ...t, actorName: name(t.actorId) ?? "system" })),
  };
}
export type CaseDetail = NonNullable<Awaited<ReturnType<typeof getCase>>>;

/** The case's history: its own audit entries and those of the alerts in it, oldest first. */
export async function listCaseTimeline(caseId: string, alertIds: string[]) {
  const rows = await getDb().prisma.auditLog.findMany({
    where: {
      OR: [
        { entityType: "case", entityId: caseId },
        ...(alertIds.length ? [{ entityType: "alert", entityId: { in: alertIds } }] : []),
      ],
    },
    orderBy: [{ at: "asc" }, { id: "asc" }],
    take: 1000,
    select: AUDIT_ENTRY_SELECT,
  });
  return rows.map((r) => ({ ...r, id: r.id.toString() }));
}

async function attachInTx(tx: Tx, actor: Actor, caseId: string, alertIds: string[]) {
  const ids = [...new Set(alertIds)];
  const alerts = await tx.alert.findMany({ where: { id: { in: ids } }, select: { id: true, caseId: true } });
  if (alerts.length !== ids.length)
    throw new AppError("not_found", `${ids.length - alerts.length} of the alerts do not exist`);
  const moving = alerts.filter((a) => a.caseId !== caseId);
  for (const a of moving) {
    await tx.alert.update({ where: { id: a.id }, data: { caseId, version: { increment: 1 } } });
    await appendAudit(tx, {
      actorId: actor.id,
      action: "alert.case",
      entityType: "alert",
      entityId: a.id,
      before: { caseId: a.caseId },
      after: { caseId },
    });
  }
  return moving.map((a) => a.id);
}

export async function createCase(actor: Actor, input: CaseFields & { alertIds?: string[] }) {
  assertCan(actor, "cases:write");
  const fields = caseFieldsSchema.parse(input);
  const alertIds = z
    .array(z.string().min(1).max(200))
    .max(1000)
    .parse(input.alertIds ?? []);
  assertMayAssign(actor, fields.assigneeId);
  return getDb().prisma.$transaction(async (tx) => {
    await assertAssignable(tx, fields.assigneeId);
    const created = await tx.case.create({ data: { ...fields, createdBy: actor.id }, select: caseSelect });
    await appendAudit(tx, {
      actorId: actor.id,
      action: "case.create",
      entityType: "case",
      entityId: created.id,
      after: { ...fields, number: created.number },
    });
    const createdData = await caseEventData(tx, created);
    await queueWebhookEvent(tx, "case.created", caseEventText("case.create", createdData, actor.name ?? "someone"), {
      case: createdData,
      action: "case.create",
      by: { id: actor.id, name: actor.name ?? null },
    });
    const attached = await attachInTx(tx, actor, created.id, alertIds);
    if (attached.length)
      await appendAudit(tx, {
        actorId: actor.id,
        action: "case.attach",
        entityType: "case",
        entityId: created.id,
        after: { alertIds: attached },
      });
    if (fields.assigneeId && fields.assigneeId !== actor.id) {
      await notifyUser(
        tx,
        fields.assigneeId,
        `${actor.name ?? "A lead"} assigned you case #${created.number}: ${created.title}`,
        `/cases/${created.id}`,
      );
    }
    return created;
  });
}

export async function updateCase(actor: Actor, caseId: string, expectedUpdatedAt: Date | string, patch: CaseUpdate) {
  assertCan(actor, "cases:write");
  requireCaseId(caseId);
  const data = caseUpdateSchema.parse(patch);
  if (Object.keys(data).length === 0) throw new AppError("bad_request", "nothing to change");
  return getDb().prisma.$transaction(async (tx) => {
    const current = await tx.case.findUnique({ where: { id: caseId }, select: { status: true } });
    if (!current) throw new AppError("not_found", "no such case");
    if (current.status === "closed") throw new AppError("conflict", "the case is closed; reopen it first");
    return (
      await updateCaseChecked(tx, actor, caseId, expectedUpdatedAt, data, data.status ? "case.status" : "case.update")
    ).after;
  });
}

/** Assigns (or unassigns, with null) one or many cases; the assignee gets a notification. */
export async function assignCases(
  actor: Actor,
  items: { id: string; updatedAt: Date | string }[],
  assigneeId: string | null,
) {
  assertCan(actor, "cases:write");
  if (assigneeId === null) assertCan(actor, "alerts:assign");
  assertMayAssign(actor, assigneeId);
  return getDb().prisma.$transaction(async (tx) => {
    await assertAssignable(tx, assigneeId);
    const changed: CaseRow[] = [];
    for (const item of items) {
      requireCaseId(item.id);
      const { before, after } = await updateCaseChecked(
        tx,
        actor,
        item.id,
        item.updatedAt,
        { assigneeId },
        "case.assign",
      );
      if (before.assigneeId === assigneeId) continue;
      changed.push(after);
      if (assigneeId && assigneeId !== actor.id) {
        await notifyUser(
          tx,
          assigneeId,
          `${actor.name ?? "A lead"} assigned you case #${after.number}: ${after.title}`,
          `/cases/${after.id}`,
        );
      }
    }
    return changed;
  });
}

export const commentBodySchema = z.string().trim().min(1, "write something").max(20000);

export async function addCaseComment(actor: Actor, caseId: string, body: string) {
  assertCan(actor, "cases:write");
  requireCaseId(caseId);
  const text = commentBodySchema.parse(body);
  return getDb().prisma.$transaction(async (tx) => {
    const c = await tx.case.findUnique({ where: { id: caseId }, select: { id: true } });
    if (!c) throw new AppError("not_found", "no such case");
    const comment = await tx.comment.create({
      data: { caseId, authorId: actor.id, body: text },
      select: { id: true, body: true, createdAt: true },
    });
    // touching updatedAt makes an open edit form on another screen see the change
    await tx.case.update({ where: { id: caseId }, data: { updatedAt: new Date() } });
    await appendAudit(tx, {
      actorId: actor.id,
      action: "case.comment",
      entityType: "case",
      entityId: caseId,
      after: { commentId: comment.id, body: text },
    });
    return comment;
  });
}

export async function attachAlertsToCase(actor: Actor, caseId: string, alertIds: string[]) {
  assertCan(actor, "cases:write");
  requireCaseId(caseId);
  return getDb().prisma.$transaction(async (tx) => {
    const c = await tx.case.findUnique({ where: { id: caseId }, select: { status: true } });
    if (!c) throw new AppError("not_found", "no such case");
    if (c.status === "closed") throw new AppError("conflict", "the case is closed; reopen it first");
    const attached = await attachInTx(tx, actor, caseId, alertIds);
    if (attached.length) {
      await tx.case.update({ where: { id: caseId }, data: { updatedAt: new Date() } });
      await appendAudit(tx, {
        actorId: actor.id,
        action: "case.attach",
        entityType: "case",
        entityId: caseId,
        after: { alertIds: attached },
      });
    }
    return attached;
  });
}

export async function detachAlertFromCase(actor: Actor, caseId: string, alertId: string) {
  assertCan(actor, "cases:write");
  requireCaseId(caseId);
  await getDb().prisma.$transaction(async (tx) => {
    const { count } = await tx.alert.updateMany({
      where: { id: alertId, caseId },
      data: { caseId: null, version: { increment: 1 } },
    });
    if (count !== 1) throw new AppError("not_found", "that alert is not in this case");
    await tx.case.update({ where: { id: caseId }, data: { updatedAt: new Date() } });
    await appendAudit(tx, {
      actorId: actor.id,
      action: "alert.case",
      entityType: "alert",
      entityId: alertId,
      before: { caseId },
      after: { caseId: null },
    });
    await appendAudit(tx, {
      actorId: actor.id,
      action: "case.detach",
      entityType: "case",
      entityId: caseId,
      before: { alertIds: [alertId] },
    });
  });
}

export const addToCaseTargetSchema = z.union([
  z.object({ caseId: z.uuid() }),
  caseFieldsSchema.pick({ title: true, severity: true, tags: true, assigneeId: true }),
]);
export type AddToCaseTarget = z.input<typeof addToCaseTargetSchema>;

/** The alerts table's "Add to case": into an existing case, or a new one (title, severity, tags, assignee). */
export async function addAlertsToCase(actor: Actor, alertIds: string[], target: AddToCaseTarget) {
  const t = addToCaseTargetSchema.parse(target);
  if (alertIds.length === 0) throw new AppError("bad_request", "select at least one alert");
  if ("caseId" in t) {
    const attached = await attachAlertsToCase(actor, t.caseId, alertIds);
    return { caseId: t.caseId, attached: attached.length };
  }
  const created = await createCase(actor, { ...t, alertIds });
  return { caseId: created.id, attached: alertIds.length };
}

/** Open cases to offer in an "Add to case" picker. */
export async function listOpenCasesForPicker(actor: Actor) {
  assertCan(actor, "cases:read");
  return getDb().prisma.case.findMany({
    where: { status: { not: "closed" } },
    orderBy: { updatedAt: "desc" },
    take: 100,
    select: { id: true, number: true, title: true },
  });
}

export const closeCaseSchema = z.object({
  resolution: z.enum(CASE_RESOLUTIONS, "choose a resolution"),
  note: z.string().trim().max(5000).optional().default(""),
});

/**
 * Who may close: leads (`cases:close`), and the analyst the case is assigned to — the one who
 * worked it. Anyone else with `cases:write` must ask a lead.
 */
export function canCloseCase(actor: Actor, c: { assigneeId: string | null }): boolean {
  return can(actor.role, "cases:close") || (can(actor.role, "cases:write") && c.assigneeId === actor.id);
}

/**
 * Closing a case closes its alerts with the case's resolution as close reason. All or nothing, in
 * one transaction: when any open alert still misses a mandatory step, nothing is closed and the
 * error lists the alerts and steps (details.blocked) — a case whose alerts were not worked is not
 * resolved — and a stale form or an alert changed meanwhile leaves the case and every alert as
 * they were.
 */
export async function closeCase(
  actor: Actor,
  caseId: string,
  expectedUpdatedAt: Date | string,
  input: z.input<typeof closeCaseSchema>,
) {
  assertCan(actor, "cases:write");
  requireCaseId(caseId);
  const { resolution, note } = closeCaseSchema.parse(input);
  const { prisma } = getDb();
  const current = await prisma.case.findUnique({
    where: { id: caseId },
    select: { status: true, assigneeId: true, updatedAt: true },
  });
  if (!current) throw new AppError("not_found", "no such case");
  if (!canCloseCase(actor, current)) throw new AppError("forbidden", "only a lead or the case's assignee may close it");
  if (current.status === "closed") throw new AppError("conflict", "the case is already closed");
  if (current.updatedAt.getTime() !== new Date(expectedUpdatedAt).getTime())
    await prisma.$transaction((tx) => conflict(tx, caseId));
  const alerts = await listCaseAlerts(caseId);
  const toClose = alerts.filter((a) => a.status !== "closed");
  const blocked = toClose.filter((a) => a.mandatoryMissing.length > 0);
  if (blocked.length) {
    throw new AppError(
      "conflict",
      `the case stays open: ${blocked.length} alert(s) still miss mandatory steps (${blocked.map((b) => `${b.hostName ?? b.id}: ${b.mandatoryMissing.join(", ")}`).join("; ")})`,
      { blocked: blocked.map((b) => ({ alertId: b.id, missing: b.mandatoryMissing })) },
    );
  }
  // the case row first: its optimistic check also fails when an alert was attached since the read
  await prisma.$transaction(async (tx) => {
    await updateCaseChecked(
      tx,
      actor,
      caseId,
      expectedUpdatedAt,
      { status: "closed", resolution, closedAt: new Date() },
      "case.close",
      { note, alertsClosed: toClose.map((a) => a.id) },
    );
    if (toClose.length)
      await setCaseAlertsStatus(tx, actor, toClose, "closed", {
        closeReason: resolution,
        verdictNote: note || undefined,
      });
  });
  return { alertsClosed: toClose.length };
}

/** Reopening a case reopens the alerts the case closed (all its closed alerts), in one transaction. */
export async function reopenCase(actor: Actor, caseId: string, expectedUpdatedAt: Date | string) {
  assertCan(actor, "cases:write");
  requireCaseId(caseId);
  const { prisma } = getDb();
  const current = await prisma.case.findUnique({
    where: { id: caseId },
    select: { status: true, assigneeId: true, updatedAt: true },
  });
  if (!current) throw new AppError("not_found", "no such case");
  if (!canCloseCase(actor, current))
    throw new AppError("forbidden", "only a lead or the case's assignee may reopen it");
  if (current.status !== "closed") throw new AppError("conflict", "the case is not closed");
  if (current.updatedAt.getTime() !== new Date(expectedUpdatedAt).getTime())
    await prisma.$transaction((tx) => conflict(tx, caseId));
  const closed = (await listCaseAlerts(caseId)).filter((a) => a.status === "closed");
  await prisma.$transaction(async (tx) => {
    await updateCaseChecked(
      tx,
      actor,
      caseId,
      expectedUpdatedAt,
      { status: "open", resolution: null, closedAt: null },
      "case.reopen",
      { alertsReopened: closed.map((a) => a.id) },
    );
    if (closed.length) await setCaseAlertsStatus(tx, actor, closed, "open", {});
  });
  return { alertsReopened: closed.length };
}

/**
 * Status changes of the case's alerts through the alert workflow (version check, mandatory steps,
 * audit per alert), inside the case's transaction. Anything not done — stale or blocked — throws,
 * which rolls back the case change and every alert with it; the message names the alerts.
 */
async function setCaseAlertsStatus(
  tx: Tx,
  actor: Actor,
  items: { id: string; version: number }[],
  status: "open" | "closed",
  opts: { closeReason?: CaseResolution; verdictNote?: string },
) {
  const result = await setAlertsStatus(
    actor,
    items,
    status,
    status === "closed"
      ? { closeReason: opts.closeReason, verdict: opts.closeReason, verdictNote: opts.verdictNote }
      : {},
    tx,
  );
  const failed = [...result.conflicts, ...result.blocked];
  if (failed.length) {
    throw new AppError(
      "conflict",
      `the case keeps its status: ${failed.length} alert(s) could not be ${status === "closed" ? "closed" : "reopened"} (${failed.map((f) => `${f.id.slice(0, 8)}: ${f.message}`).join("; ")}); nothing was changed`,
      { failed },
    );
  }
  return result;
}
