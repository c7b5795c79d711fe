import "server-only";
import { getDb } from "@/lib/db/client";
import type { EcsDocument } from "@/lib/ecs/document";
import { subscriptionSearchKeys } from "@/lib/triage/subscription-life";
import { rebuildSubscription } from "@/lib/triage/wmi-subscription";

/** at most this many of the host's subscription events are read (oldest first) */
export const MAX_SUBSCRIPTION_EVENTS = 2000;

/**
 * The one loader of a host's WMI subscription events (the host by its identity, `host_key`:
 * lib/ecs/host-identity.ts) (Sysmon 19/20/21 and Elastic Defend API
 * events), used by detection and by the alert page so both see the same events in the same order:
 * oldest first, then by id. Narrowed in SQL to events that mention the alert's consumer or filter
 * name once case, whitespace and invisible characters are set aside — so near-matches are read
 * too, and a busy host's unrelated subscriptions do not crowd the alert's out of the limit.
 */
export async function loadHostSubscriptionEvents(hostKey: string, alertDoc: EcsDocument): Promise<EcsDocument[]> {
  const { prisma } = getDb();
  const keys = subscriptionSearchKeys(rebuildSubscription(alertDoc, [])) ?? [];
  const rows = await prisma.$queryRaw<{ doc: EcsDocument }[]>`
    SELECT doc FROM event
    WHERE host_key = ${hostKey}
      AND (event_code IN ('19', '20', '21') OR dataset = 'endpoint.events.api')
      AND (cardinality(${keys}::text[]) = 0 OR EXISTS (
        SELECT 1 FROM unnest(${keys}::text[]) AS k(key)
        WHERE strpos(regexp_replace(lower(doc::text), '[\\s\\u00a0\\u200b-\\u200f\\u2028\\u2029\\u2060\\ufeff]', '', 'g'), k.key) > 0
      ))
    ORDER BY timestamp ASC, id ASC
    LIMIT ${MAX_SUBSCRIPTION_EVENTS}`;
  return rows.map((r) => r.doc);
}

/** When the host's last stored event happened: "present at the last event seen" is as of then. */
export async function getHostLastEventTime(hostKey: string): Promise<Date | null> {
  const row = await getDb().prisma.event.findFirst({
    where: { hostKey },
    orderBy: { timestamp: "desc" },
    select: { timestamp: true },
  });
  return row?.timestamp ?? null;
}
