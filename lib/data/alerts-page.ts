import "server-only";
import { can, type Actor } from "@/lib/auth/permissions";
import { listAlertGroups } from "@/lib/data/alert-groups";
import { listAlerts, parseAlertFilter, type SearchParams } from "@/lib/data/alert-list";
import { getUserPreferences } from "@/lib/data/user-preferences";
import { listAssignableUsers } from "@/lib/data/users";
import { getDb } from "@/lib/db/client";
import { chosenFields } from "@/lib/preferences/field-columns";

/** Everything the alerts page renders: the page of alerts or its groups, plus the pickers' options. */
export async function getAlertsPage(actor: Actor, params: SearchParams) {
  const filter = parseAlertFilter(params);
  // the ECS fields the user added as columns (field browser): their values come with the rows
  const fields = chosenFields((await getUserPreferences(actor)).alertColumns);
  // independent loads at once; the pickers' lists in plain SQL on the pool
  const [list, grouped, users, cases] = await Promise.all([
    listAlerts(actor, filter, { fields }),
    filter.group ? listAlertGroups(actor, filter, filter.group) : null,
    listAssignableUsers(),
    can(actor.role, "cases:read")
      ? getDb()
          .pool.query<{ id: string; number: number; title: string }>(
            `SELECT id::text, number, title FROM "case" WHERE status <> 'closed' ORDER BY number DESC LIMIT 100`,
          )
          .then((r) => r.rows)
      : [],
  ]);
  return {
    ...list,
    grouped,
    users,
    cases,
    me: {
      id: actor.id,
      canTriage: can(actor.role, "alerts:triage"),
      canAssign: can(actor.role, "alerts:assign"),
      canWriteCases: can(actor.role, "cases:write"),
    },
  };
}
export type AlertsPageData = Awaited<ReturnType<typeof getAlertsPage>>;
