import "server-only";
import { assertCan, type Actor } from "@/lib/auth/permissions";
import { getUserNames } from "@/lib/data/users";
import { getDb } from "@/lib/db/client";

export interface HistoryEntry {
  id: string;
  at: Date;
  actorName: string;
  action: string;
  before: unknown;
  after: unknown;
}

/** The alert's audit entries, newest first, with who made each change ("system" when nobody did). */
export async function listAlertHistory(actor: Actor, alertId: string): Promise<HistoryEntry[]> {
  assertCan(actor, "alerts:read");
  const audit = await getDb().prisma.auditLog.findMany({
    where: { entityType: "alert", entityId: alertId },
    orderBy: [{ at: "desc" }, { id: "desc" }],
    select: { id: true, at: true, actorId: true, action: true, before: true, after: true },
    take: 500,
  });
  const names = await getUserNames(audit.map((a) => a.actorId));
  return audit.map((a) => ({
    id: a.id.toString(),
    at: a.at,
    actorName: a.actorId ? (names.get(a.actorId) ?? a.actorId) : "system",
    action: a.action,
    before: a.before,
    after: a.after,
  }));
}
