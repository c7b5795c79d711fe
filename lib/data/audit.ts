import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";

/**
 * Appends to the audit log inside the caller's transaction, so a change and its history commit
 * together. The table rejects UPDATE and DELETE (database trigger).
 */
export interface AuditEntry {
  actorId: string | null;
  action: string;
  entityType:
    | "alert"
    | "case"
    | "user"
    | "setting"
    | "rule"
    | "exception"
    | "token"
    | "training"
    | "source"
    | "ingest_job"
    | "webhook";
  entityId: string;
  before?: unknown;
  after?: unknown;
}

const toJson = (v: unknown) =>
  v === undefined
    ? undefined
    : (JSON.parse(JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? x.toString() : x))) as Prisma.InputJsonValue);

/** An audit entry as the log's readers read it (the audit page, a case's timeline). */
export const AUDIT_ENTRY_SELECT = {
  id: true,
  at: true,
  actorId: true,
  action: true,
  entityType: true,
  entityId: true,
  before: true,
  after: true,
} as const;

export async function appendAudit(tx: Prisma.TransactionClient, entry: AuditEntry): Promise<void> {
  await tx.auditLog.create({
    data: {
      actorId: entry.actorId,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      before: toJson(entry.before),
      after: toJson(entry.after),
    },
  });
}
