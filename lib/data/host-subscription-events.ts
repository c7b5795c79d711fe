import "server-only";
import type pg from "pg";
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
  return (await loadSubscriptionEventsForAlerts([{ hostKey, alertDoc }]))[0];
}

/** at most this many keys of a host go into its one regular expression */
const MAX_PATTERN_KEYS = 200;

export interface SubscriptionEventsRequest {
  hostKey: string;
  alertDoc: EcsDocument;
}

/**
 * Where the statements run: the pool, or the connection a caller holds (a rule run reads its
 * candidates through a cursor on one connection, and the embedded database serves only one).
 */
export interface Queryable {
  query<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
}

/**
 * loadHostSubscriptionEvents for many alerts at once (a rule run's batch): each host's events
 * are read once, with one statement for all hosts, each event matched against the names of
 * every alert of its host at once. Each alert gets exactly what loadHostSubscriptionEvents gives
 * it alone.
 */
export async function loadSubscriptionEventsForAlerts(
  requests: SubscriptionEventsRequest[],
  db: Queryable = getDb().pool,
): Promise<EcsDocument[][]> {
  const results: EcsDocument[][] = requests.map(() => []);
  // per host: which requests look for which key
  const byHost = new Map<string, Map<string, number[]>>();
  const unnarrowed = new Map<string, number[]>();
  requests.forEach(({ hostKey, alertDoc }, i) => {
    const keys = subscriptionSearchKeys(rebuildSubscription(alertDoc, [])) ?? [];
    if (keys.length === 0) {
      unnarrowed.set(hostKey, [...(unnarrowed.get(hostKey) ?? []), i]);
      return;
    }
    let keyMap = byHost.get(hostKey);
    if (!keyMap) byHost.set(hostKey, (keyMap = new Map()));
    for (const key of keys) keyMap.set(key, [...(keyMap.get(key) ?? []), i]);
  });
  if (byHost.size > 0) {
    const hosts = [...byHost.keys()];
    // keys hold only [a-z0-9_.-] (subscriptionSearchKeys), so a comma separates them
    const hostKeys = hosts.map((h) => [...byHost.get(h)!.keys()].join(","));
    // the same keys as one regular expression (an alternation of literals: only '.' needs escaping), so an event
    // that mentions none of them is rejected by one match instead of a per-key strpos sub-query; a host with very
    // many keys gets the empty pattern (matches everything: the strpos decides) to stay far from the regex limits
    const patterns = hosts.map((h) => {
      const keys = [...byHost.get(h)!.keys()];
      return keys.length > MAX_PATTERN_KEYS ? "" : keys.map((k) => k.replaceAll(".", "\\.")).join("|");
    });
    // alone, an alert needs no more than its limit; together, each takes its own from the host's
    const limit = requests.length === 1 ? MAX_SUBSCRIPTION_EVENTS : null;
    // subscription_text: the event's text lower-cased without whitespace and invisible characters
    // (migration 20261204101000_event_subscription_text), stored for exactly these events
    const { rows } = await db.query<{ host_key: string; doc: EcsDocument; keys: string[] }>(
      `SELECT e.host_key, e.doc, m.keys
        FROM unnest($1::text[], $2::text[], $4::text[]) AS h(host_key, keys, pattern)
       CROSS JOIN LATERAL (
         -- host by host through the partial index (OFFSET 0 keeps the planner from hashing every
         -- host's events of the table when its statistics lag behind a large ingest)
         SELECT e.host_key, e.doc, e.subscription_text, e.timestamp, e.id FROM event e
          WHERE e.host_key = h.host_key AND (e.event_code IN ('19', '20', '21') OR e.dataset = 'endpoint.events.api')
            AND e.subscription_text ~ h.pattern
         OFFSET 0
       ) e
       CROSS JOIN LATERAL (
         SELECT array_agg(k.key) AS keys FROM unnest(string_to_array(h.keys, ',')) AS k(key)
          WHERE strpos(e.subscription_text, k.key) > 0
       ) m
       WHERE m.keys IS NOT NULL
       ORDER BY e.timestamp ASC, e.id ASC
       LIMIT $3::int`,
      [hosts, hostKeys, limit, patterns],
    );
    for (const row of rows) {
      const keyMap = byHost.get(row.host_key)!;
      for (const key of row.keys) {
        for (const i of keyMap.get(key) ?? []) {
          const events = results[i];
          // an alert whose two names both occur in the event takes it once
          if (events.length < MAX_SUBSCRIPTION_EVENTS && events.at(-1) !== row.doc) events.push(row.doc);
        }
      }
    }
  }
  // no name long enough to narrow by: the host's first events, whatever they mention (all such hosts
  // in one statement, each host's through the partial index, in the one loader's order)
  if (unnarrowed.size > 0) {
    const hosts = [...unnarrowed.keys()];
    const { rows } = await db.query<{ host_key: string; doc: EcsDocument }>(
      `SELECT h.host_key, e.doc
        FROM unnest($1::text[]) WITH ORDINALITY AS h(host_key, n)
       CROSS JOIN LATERAL (
         SELECT e.doc, e.timestamp, e.id FROM event e
          WHERE e.host_key = h.host_key AND (e.event_code IN ('19', '20', '21') OR e.dataset = 'endpoint.events.api')
          ORDER BY e.timestamp ASC, e.id ASC
          LIMIT $2::int
       ) e
       ORDER BY h.n, e.timestamp ASC, e.id ASC`,
      [hosts, MAX_SUBSCRIPTION_EVENTS],
    );
    const docsOf = new Map<string, EcsDocument[]>(hosts.map((h) => [h, []]));
    for (const row of rows) docsOf.get(row.host_key)!.push(row.doc);
    for (const [hostKey, indexes] of unnarrowed) for (const i of indexes) results[i] = docsOf.get(hostKey)!;
  }
  return results;
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
