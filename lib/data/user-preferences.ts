import "server-only";
import type { Actor } from "@/lib/auth/permissions";
import { getDb } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { toPreferences, type ColumnPrefs, type Preferences, type Theme } from "@/lib/preferences/preferences";

/** The acting user's display choices (defaults when they never chose). */
export async function getUserPreferences(actor: Actor): Promise<Preferences> {
  // every page's layout asks: plain SQL on the pool, a fraction of an ORM query's CPU
  const { rows } = await getDb().pool.query<{ theme: string; timeZone: string; alertColumns: unknown }>(
    `SELECT theme, time_zone AS "timeZone", alert_columns AS "alertColumns" FROM user_preference WHERE user_id = $1`,
    [actor.id],
  );
  return toPreferences(rows[0] ?? null);
}

/** Changes the given choices of the acting user only (a user never writes another's). */
export async function updateUserPreferences(
  actor: Actor,
  change: { theme?: Theme; timeZone?: string; alertColumns?: ColumnPrefs | null },
): Promise<Preferences> {
  const data: Prisma.UserPreferenceUpdateInput = {};
  if (change.theme) data.theme = change.theme;
  if (change.timeZone) data.timeZone = change.timeZone;
  if (change.alertColumns !== undefined)
    data.alertColumns = change.alertColumns === null ? Prisma.DbNull : change.alertColumns;
  const row = await getDb().prisma.userPreference.upsert({
    where: { userId: actor.id },
    create: {
      userId: actor.id,
      ...(change.theme && { theme: change.theme }),
      ...(change.timeZone && { timeZone: change.timeZone }),
      ...(change.alertColumns && { alertColumns: change.alertColumns }),
    },
    update: data,
    select: { theme: true, timeZone: true, alertColumns: true },
  });
  return toPreferences(row);
}
