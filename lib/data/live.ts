import "server-only";
import { assertCan, type Actor } from "@/lib/auth/permissions";
import { getDb } from "@/lib/db/client";
import { countUnreadNotifications } from "@/lib/data/notifications";
import { getUserNames } from "@/lib/data/users";

/**
 * What changed since a page was rendered, read from PostgreSQL (so every app instance answers
 * the same, whichever stored the change): alerts raised since `since`, the user's unread
 * notifications, and for an alert page the alert's version with who changed it last and when.
 */
export interface LiveState {
  newAlerts: number;
  unread: number;
  alert: { id: string; version: number; changedBy: string | null; changedByMe: boolean; at: string | null } | null;
}

export async function getLiveState(
  actor: Actor,
  opts: { since: Date | null; alertId: string | null },
): Promise<LiveState> {
  assertCan(actor, "alerts:read");
  const { prisma } = getDb();
  const [newAlerts, unread, alert, last] = await Promise.all([
    opts.since ? prisma.alert.count({ where: { createdAt: { gt: opts.since } } }) : Promise.resolve(0),
    countUnreadNotifications(actor.id),
    opts.alertId
      ? prisma.alert.findUnique({ where: { id: opts.alertId }, select: { id: true, version: true } })
      : Promise.resolve(null),
    opts.alertId
      ? prisma.auditLog.findFirst({
          where: { entityType: "alert", entityId: opts.alertId },
          orderBy: { at: "desc" },
          select: { actorId: true, at: true },
        })
      : Promise.resolve(null),
  ]);
  const names = await getUserNames([last?.actorId]);
  return {
    newAlerts,
    unread,
    alert: alert
      ? {
          id: alert.id,
          version: alert.version,
          changedBy: last?.actorId ? (names.get(last.actorId) ?? last.actorId) : null,
          changedByMe: last?.actorId === actor.id,
          at: last?.at.toISOString() ?? null,
        }
      : null,
  };
}
