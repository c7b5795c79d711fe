import "server-only";
import type { Actor } from "@/lib/auth/permissions";
import { getDb } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";

/** In-app notifications: each user sees and marks only their own. */
export async function listNotifications(actor: Actor, { unreadOnly = false, limit = 100 } = {}) {
  return getDb().prisma.notification.findMany({
    where: { userId: actor.id, ...(unreadOnly ? { readAt: null } : {}) },
    orderBy: { createdAt: "desc" },
    take: limit,
    select: { id: true, text: true, link: true, readAt: true, createdAt: true },
  });
}

export async function countUnreadNotifications(userId: string): Promise<number> {
  // the nav bar of every page asks: plain SQL on the pool, a fraction of an ORM query's CPU
  const { rows } = await getDb().pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM notification WHERE user_id = $1 AND read_at IS NULL`,
    [userId],
  );
  return rows[0].n;
}

/** Marks the given notifications (or all when `ids` is omitted) read; returns how many changed. */
export async function markNotificationsRead(actor: Actor, ids?: string[]): Promise<number> {
  const result = await getDb().prisma.notification.updateMany({
    where: { userId: actor.id, readAt: null, ...(ids ? { id: { in: ids } } : {}) },
    data: { readAt: new Date() },
  });
  return result.count;
}

/** Inside the caller's transaction, so the notice commits with the change it announces. */
export async function notifyUser(
  tx: Prisma.TransactionClient,
  userId: string,
  text: string,
  link?: string,
): Promise<void> {
  await tx.notification.create({ data: { userId, text, link } });
}
