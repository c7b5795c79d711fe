import "server-only";
import { randomUUID } from "node:crypto";
import { AppError } from "@/lib/app-error";
import { assertCan, type Actor } from "@/lib/auth/permissions";
import { appendAudit } from "@/lib/data/audit";
import {
  auditShape,
  exceptionSelect,
  isUuid,
  toView,
  type ExceptionRow,
  type ExceptionView,
} from "@/lib/data/exception-rows";
import { getUserNames } from "@/lib/data/users";
import { getDb } from "@/lib/db/client";
import type { ExceptionStatus } from "@/lib/exceptions/conditions";
import type { ExceptionInput } from "@/lib/exceptions/input";
import type { Prisma } from "@/lib/generated/prisma/client";
import { CURRENT_RULE } from "@/lib/rule/rules";

export type { ExceptionView } from "@/lib/data/exception-rows";

/**
 * Rule exceptions: list, create, edit, disable, delete. Every change is audited in its
 * transaction; edits carry the `updatedAt` the editor loaded and fail with a conflict if someone
 * saved in between. Import/export (exception-transfer.ts), the draft from an alert
 * (exception-draft.ts), the what-if (exception-what-if.ts), closing matching alerts
 * (exception-close.ts) and the detection filter (exception-filter.ts) live beside this file.
 */

export async function listExceptions(
  _user: Actor,
  filter: { status?: ExceptionStatus } = {},
): Promise<ExceptionView[]> {
  const rows = await getDb().prisma.ruleException.findMany({
    where: { ruleId: CURRENT_RULE.ruleId },
    orderBy: [{ createdAt: "desc" }],
    select: exceptionSelect,
  });
  const names = await getUserNames(rows.map((r) => r.createdBy));
  const now = new Date();
  const views = rows.map((r) => toView(r, names, now));
  return filter.status ? views.filter((v) => v.status === filter.status) : views;
}

export async function getException(_user: Actor, id: string): Promise<ExceptionView | null> {
  if (!isUuid(id)) return null;
  const row = await getDb().prisma.ruleException.findFirst({
    where: { id, ruleId: CURRENT_RULE.ruleId },
    select: exceptionSelect,
  });
  if (!row) return null;
  return toView(row, await getUserNames([row.createdBy]), new Date());
}
export async function createException(user: Actor, input: ExceptionInput): Promise<{ id: string; updatedAt: Date }> {
  assertCan(user, "exceptions:write");
  const { prisma } = getDb();
  // the Kibana item_id is fixed at creation (the row id, like exports before item_ids were stored),
  // so our own export imported again updates these rows
  const id = randomUUID();
  return prisma.$transaction(async (tx) => {
    const created = await tx.ruleException.create({
      data: {
        id,
        itemId: id,
        ruleId: CURRENT_RULE.ruleId,
        name: input.name,
        comment: input.comment,
        conditions: input.conditions as unknown as Prisma.InputJsonValue,
        enabled: input.enabled,
        expiresAt: input.expiresAt,
        createdBy: user.id,
      },
      select: { id: true, updatedAt: true },
    });
    await appendAudit(tx, {
      actorId: user.id,
      action: "exception.create",
      entityType: "exception",
      entityId: created.id,
      after: auditShape({ ...input, itemId: id }),
    });
    return created;
  });
}

/** Who changed it last, for the conflict message. */
async function lastChange(tx: Prisma.TransactionClient, id: string): Promise<string> {
  const entry = await tx.auditLog.findFirst({
    where: { entityType: "exception", entityId: id },
    orderBy: { at: "desc" },
    select: { actorId: true, at: true },
  });
  if (!entry) return "someone else";
  const actor = entry.actorId
    ? await tx.user.findUnique({ where: { id: entry.actorId }, select: { name: true } })
    : null;
  return `${actor?.name ?? entry.actorId ?? "someone else"} at ${entry.at.toISOString()}`;
}

async function loadForChange(
  tx: Prisma.TransactionClient,
  id: string,
  expectedUpdatedAt: Date | null,
): Promise<ExceptionRow> {
  if (!isUuid(id)) throw new AppError("not_found", "no such exception");
  const row = await tx.ruleException.findFirst({ where: { id, ruleId: CURRENT_RULE.ruleId }, select: exceptionSelect });
  if (!row) throw new AppError("not_found", "this exception no longer exists (deleted by someone else?); reload");
  if (expectedUpdatedAt && row.updatedAt.getTime() !== expectedUpdatedAt.getTime()) {
    throw new AppError("conflict", `this exception was changed by ${await lastChange(tx, id)}; reload`);
  }
  return row;
}

/** Optimistic update: only if the row still has the `updatedAt` the editor loaded. */
async function guardedUpdate(
  tx: Prisma.TransactionClient,
  row: ExceptionRow,
  data: Prisma.RuleExceptionUpdateManyMutationInput,
): Promise<Date> {
  const updatedAt = new Date(Math.max(Date.now(), row.updatedAt.getTime() + 1));
  const result = await tx.ruleException.updateMany({
    where: { id: row.id, updatedAt: row.updatedAt },
    data: { ...data, updatedAt },
  });
  if (result.count !== 1)
    throw new AppError("conflict", `this exception was changed by ${await lastChange(tx, row.id)}; reload`);
  return updatedAt;
}

export async function updateException(
  user: Actor,
  id: string,
  input: ExceptionInput,
  expectedUpdatedAt: Date,
): Promise<{ id: string; updatedAt: Date }> {
  assertCan(user, "exceptions:write");
  return getDb().prisma.$transaction(async (tx) => {
    const row = await loadForChange(tx, id, expectedUpdatedAt);
    const updatedAt = await guardedUpdate(tx, row, {
      name: input.name,
      comment: input.comment,
      conditions: input.conditions as unknown as Prisma.InputJsonValue,
      enabled: input.enabled,
      expiresAt: input.expiresAt,
    });
    await appendAudit(tx, {
      actorId: user.id,
      action: "exception.update",
      entityType: "exception",
      entityId: id,
      before: auditShape(row),
      after: auditShape(input),
    });
    return { id, updatedAt };
  });
}

export async function setExceptionEnabled(
  user: Actor,
  id: string,
  enabled: boolean,
  expectedUpdatedAt: Date | null,
): Promise<{ id: string; updatedAt: Date }> {
  assertCan(user, "exceptions:write");
  return getDb().prisma.$transaction(async (tx) => {
    const row = await loadForChange(tx, id, expectedUpdatedAt);
    const updatedAt = await guardedUpdate(tx, row, { enabled });
    await appendAudit(tx, {
      actorId: user.id,
      action: enabled ? "exception.enable" : "exception.disable",
      entityType: "exception",
      entityId: id,
      before: { enabled: row.enabled },
      after: { enabled },
    });
    return { id, updatedAt };
  });
}

/** Deletes the exception; the audit log keeps its last state. */
export async function deleteException(user: Actor, id: string, expectedUpdatedAt: Date | null): Promise<void> {
  assertCan(user, "exceptions:write");
  await getDb().prisma.$transaction(async (tx) => {
    const row = await loadForChange(tx, id, expectedUpdatedAt);
    const deleted = await tx.ruleException.deleteMany({ where: { id, updatedAt: row.updatedAt } });
    if (deleted.count !== 1)
      throw new AppError("conflict", `this exception was changed by ${await lastChange(tx, id)}; reload`);
    await appendAudit(tx, {
      actorId: user.id,
      action: "exception.delete",
      entityType: "exception",
      entityId: id,
      before: { ...auditShape(row), hits: row.hits, lastHitAt: row.lastHitAt },
    });
  });
}
