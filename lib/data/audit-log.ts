import "server-only";
import { z } from "zod";
import { assertCan, type Actor } from "@/lib/auth/permissions";
import { AUDIT_ENTRY_SELECT } from "@/lib/data/audit";
import { getUserNames } from "@/lib/data/users";
import { getDb } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";

/** Reading the append-only audit log (`audit:read`). There is no function to change it. */
export const AUDIT_PAGE_SIZE = 50;

const dateParam = z
  .string()
  .optional()
  .transform((v) => (v && !Number.isNaN(Date.parse(v)) ? new Date(v) : undefined));

export const auditFilterSchema = z.object({
  entityType: z
    .string()
    .trim()
    .max(40)
    .optional()
    .transform((v) => v || undefined),
  entityId: z
    .string()
    .trim()
    .max(200)
    .optional()
    .transform((v) => v || undefined),
  actor: z
    .string()
    .trim()
    .max(200)
    .optional()
    .transform((v) => v || undefined),
  action: z
    .string()
    .trim()
    .max(80)
    .optional()
    .transform((v) => v || undefined),
  from: dateParam,
  to: dateParam,
  page: z.coerce.number().int().min(1).max(100000).catch(1),
});
export type AuditFilter = z.infer<typeof auditFilterSchema>;

export async function listAuditLog(actor: Actor, filter: AuditFilter) {
  assertCan(actor, "audit:read");
  const { prisma } = getDb();
  let actorIds: string[] | undefined;
  if (filter.actor) {
    // the actor filter takes an id or part of a name/email
    const matches = await prisma.user.findMany({
      where: {
        OR: [
          { name: { contains: filter.actor, mode: "insensitive" } },
          { email: { contains: filter.actor, mode: "insensitive" } },
        ],
      },
      select: { id: true },
    });
    actorIds = [filter.actor, ...matches.map((m) => m.id)];
  }
  const where: Prisma.AuditLogWhereInput = {
    ...(filter.entityType ? { entityType: filter.entityType } : {}),
    ...(filter.entityId ? { entityId: filter.entityId } : {}),
    ...(actorIds ? { actorId: { in: actorIds } } : {}),
    ...(filter.action ? { action: { startsWith: filter.action } } : {}),
    ...(filter.from || filter.to
      ? { at: { ...(filter.from ? { gte: filter.from } : {}), ...(filter.to ? { lte: filter.to } : {}) } }
      : {}),
  };
  const [rows, total] = await Promise.all([
    prisma.auditLog.findMany({
      where,
      orderBy: [{ at: "desc" }, { id: "desc" }],
      skip: (filter.page - 1) * AUDIT_PAGE_SIZE,
      take: AUDIT_PAGE_SIZE,
      select: AUDIT_ENTRY_SELECT,
    }),
    prisma.auditLog.count({ where }),
  ]);
  const nameOf = await getUserNames(rows.map((r) => r.actorId));
  return {
    total,
    page: filter.page,
    pageCount: Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE)),
    entries: rows.map((r) => ({
      ...r,
      id: r.id.toString(),
      actorName: r.actorId ? (nameOf.get(r.actorId) ?? r.actorId) : "system",
    })),
  };
}

export async function listAuditEntityTypes(): Promise<string[]> {
  const rows = await getDb().prisma.auditLog.findMany({
    distinct: ["entityType"],
    select: { entityType: true },
    orderBy: { entityType: "asc" },
  });
  return rows.map((r) => r.entityType);
}
