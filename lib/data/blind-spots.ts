import "server-only";
import { assertCan, type Actor } from "@/lib/auth/permissions";
import { getDb } from "@/lib/db/client";
import { describeFailure, evaluateQuery, type PredicateTrace } from "@/lib/eql/evaluate";
import { getFieldValues } from "@/lib/eql/fields";
import { ruleQuery } from "@/lib/rule/query";
import { CURRENT_RULE, type RuleDefinition } from "@/lib/rule/rules";
import type { EcsDocument } from "@/lib/ecs/document";
import { subscriptionNamesOf, type SubscriptionNames } from "@/lib/triage/subscription-life";

/**
 * Blind spots: WMI subscription activity in the stored events that the rule did not alert on —
 * Sysmon 19/20/21 and WMI API telemetry without an alert — each with the predicates of the rule
 * that kept it out (the closest `or` branch, lib/eql/evaluate.ts `describeFailure`), counted by
 * that reason and grouped by subscription (filter, consumer and binding names on one host).
 * A subscription whose binding did alert is "covered": its other events (the filter, the
 * consumer, a later deletion) are not gaps, so they are folded away below the real gaps.
 * Read-only: it never creates alerts.
 */

/** subscriptions (groups of events) per page */
export const BLIND_SPOTS_PAGE_SIZE = 25;
/** covered subscriptions listed in the fold; the rest are counted */
export const MAX_COVERED_LISTED = 100;
/** the newest candidates evaluated per request; older ones are counted but not evaluated */
export const MAX_EVALUATED = 5000;

/** Sysmon 19 (filter), 20 (consumer), 21 (binding) and WMI API events, with no alert. */
const CANDIDATES_WHERE = `(
    (e."event_code" IN ('19', '20', '21')
      AND (e."dataset" = 'windows.sysmon_operational' OR e."doc" #>> '{winlog,channel}' = 'Microsoft-Windows-Sysmon/Operational'))
    OR (e."dataset" = 'endpoint.events.api' AND jsonb_path_exists(e."doc", 'lax $."process"."Ext"."api"."name"'))
    OR e."provider" = 'Microsoft-Windows-WMI-Activity'
  )
  AND NOT EXISTS (SELECT 1 FROM "alert" a WHERE a."event_id" = e."id")`;

export const MATCHED_WITHOUT_ALERT =
  "Matches the rule but has no alert (no run has covered its time yet, an exception suppressed it, or a run hit the max alerts per run)";

export interface FailedPredicate {
  field: string | null;
  /** the predicate's source text in the rule's query */
  expected: string;
  negated: boolean;
  /** what the event had in that field */
  seen: string[];
}

export interface BlindSpot {
  eventId: string;
  timestamp: Date;
  host: string | null;
  /** the machine (lib/ecs/host-identity.ts): `IEWIN7.corp.local` and `iewin7` are one host */
  hostKey: string | null;
  /** the subscription part and names the event logs */
  names: SubscriptionNames;
  eventCode: string | null;
  dataset: string | null;
  operation: string | null;
  /** the consumer, filter or API call the event is about (attacker-controlled text) */
  subject: string | null;
  failures: FailedPredicate[];
  reason: string;
}

export interface BlindSpotGroup {
  reason: string;
  count: number;
}

/** The missed events of one subscription on one host. */
export interface BlindSpotSubscription {
  key: string;
  host: string | null;
  /** names as logged (attacker-controlled text); null when no event of the group names it */
  consumer: string | null;
  consumerClass: string | null;
  filter: string | null;
  /** the consumer's command or script and the filter's query, when one of the events logged them */
  command: string | null;
  query: string | null;
  /** alerts on this subscription's binding: covered when not empty */
  alertIds: string[];
  /** its events the rule did not alert on, newest first */
  events: BlindSpot[];
  reasons: string[];
  latest: Date;
}

export interface BlindSpotList {
  groups: BlindSpotGroup[];
  /** the page's gaps: subscriptions with no alert on their binding, newest activity first */
  subscriptions: BlindSpotSubscription[];
  /** gap subscriptions after the reason filter (all pages) */
  total: number;
  page: number;
  pageCount: number;
  /** subscriptions whose binding alerted (at most MAX_COVERED_LISTED), and how many there are */
  covered: BlindSpotSubscription[];
  coveredTotal: number;
  /** missed events after the reason filter */
  events: number;
  /** every candidate in the database (also those beyond MAX_EVALUATED) */
  candidates: number;
  evaluated: number;
}

const CONSUMER_PATTERNS = "*subscription:CommandLineEventConsumer* / *subscription:ActiveScriptEventConsumer*";
const SYSMON_CODES: Record<string, string> = { "19": "filter", "20": "consumer", "21": "binding" };

/** A failed predicate in words; values appear only where they are few (codes, operations). */
export function describeReason(t: FailedPredicate): string {
  const seen = t.seen.length ? t.seen.join(", ") : "absent";
  switch (t.field) {
    case "event.code":
      return `event.code is ${t.seen.map((c) => (SYSMON_CODES[c] ? `${c} (${SYSMON_CODES[c]})` : c)).join(", ") || "absent"}: the rule reads only 21 (binding)`;
    case "event.dataset":
      return `event.dataset is ${seen}`;
    case "event.provider":
      return `event.provider is ${seen}`;
    case "winlog.event_data.Operation":
      return `Operation is ${seen}: the rule reads only Created`;
    case "winlog.event_data.Consumer": {
      if (t.seen.length === 0) return `Consumer is absent`;
      const namespaced = t.seen.some((v) => /subscription:/i.test(v));
      return `Consumer does not match ${CONSUMER_PATTERNS} (${namespaced ? "another consumer type" : "no `subscription:` namespace"})`;
    }
    case "process.Ext.api.parameters.consumer_type":
      return `consumer_type is ${seen}: not ActiveScriptEventConsumer or CommandLineEventConsumer`;
    default:
      return t.seen.length
        ? `${t.negated ? "not " : ""}${t.expected} does not hold`
        : `${t.field ?? t.expected} is absent`;
  }
}

function toFailed(t: PredicateTrace): FailedPredicate {
  return {
    field: t.field,
    expected: t.text,
    negated: t.negated,
    seen: t.values.map((v) => (typeof v === "string" ? v : JSON.stringify(v))),
  };
}

function firstText(doc: unknown, ...paths: string[]): string | null {
  for (const path of paths) {
    const v = getFieldValues(doc, path)[0];
    if (typeof v === "string" && v.trim() !== "") return v.trim();
    if (typeof v === "number") return String(v);
  }
  return null;
}

/** Why the rule did not alert on one document: its failed predicates and the reason they add up to. */
export function explainMiss(
  doc: Record<string, unknown>,
  rule: RuleDefinition = CURRENT_RULE,
): { failures: FailedPredicate[]; reason: string } {
  const result = evaluateQuery(ruleQuery(rule), doc, { explain: true });
  if (result.matched) return { failures: [], reason: MATCHED_WITHOUT_ALERT };
  const failures = describeFailure(result).map(toFailed);
  // Sysmon 19/20 carry no Consumer field: saying so again adds nothing to "it is not a binding"
  const codeFailed = failures.some((f) => f.field === "event.code");
  const shown = codeFailed
    ? failures.filter((f) => !(f.field === "winlog.event_data.Consumer" && f.seen.length === 0))
    : failures;
  const reasons = [...new Set(shown.map(describeReason))];
  return { failures, reason: reasons.length ? reasons.join(" · ") : "No predicate of the rule holds" };
}

interface CandidateRow {
  id: string;
  timestamp: Date;
  host_name: string | null;
  host_key: string | null;
  event_code: string | null;
  dataset: string | null;
  doc: Record<string, unknown>;
}

function toBlindSpot(row: CandidateRow): BlindSpot {
  const { failures, reason } = explainMiss(row.doc);
  return {
    eventId: row.id,
    timestamp: row.timestamp,
    host: row.host_name,
    hostKey: row.host_key,
    names: subscriptionNamesOf(row.doc as EcsDocument),
    eventCode: row.event_code,
    dataset: row.dataset,
    operation: firstText(row.doc, "winlog.event_data.Operation"),
    subject: firstText(
      row.doc,
      "winlog.event_data.Consumer",
      "winlog.event_data.Name",
      "winlog.event_data.Query",
      "process.Ext.api.parameters.consumer_name",
      "process.Ext.api.name",
      "message",
    ),
    failures,
    reason,
  };
}

const keyOf = (host: string | null, consumer?: string, filter?: string) =>
  JSON.stringify([host ?? "", consumer ?? null, filter ?? null]);

/**
 * The events grouped by subscription on each host. A binding names its consumer and filter; a
 * filter (19) or consumer (20) event joins the binding on its host that names it (exact names,
 * as rebuildSubscription joins them), else it stands as a subscription of its own. `alerted` are
 * the alerts' events on the same hosts: a subscription whose binding alerted is covered.
 */
export function groupBySubscription(
  spots: BlindSpot[],
  alerted: { alertId: string; hostKey: string | null; names: SubscriptionNames }[],
): BlindSpotSubscription[] {
  const byConsumer = new Map<string, string>();
  const byFilter = new Map<string, string>();
  const bindings = [
    ...alerted.map((a) => ({ hostKey: a.hostKey, names: a.names })),
    ...spots.map((s) => ({ hostKey: s.hostKey, names: s.names })),
  ];
  for (const b of bindings) {
    if (b.names.part !== "binding") continue;
    const key = keyOf(b.hostKey, b.names.consumer, b.names.filter);
    const host = JSON.stringify(b.hostKey ?? "");
    if (b.names.consumer !== undefined && !byConsumer.has(host + b.names.consumer))
      byConsumer.set(host + b.names.consumer, key);
    if (b.names.filter !== undefined && !byFilter.has(host + b.names.filter)) byFilter.set(host + b.names.filter, key);
  }
  const subscriptionKey = (hostKey: string | null, names: SubscriptionNames, eventId: string) => {
    const host = JSON.stringify(hostKey ?? "");
    if (names.part === "binding") return keyOf(hostKey, names.consumer, names.filter);
    if (names.part === "consumer" && names.consumer !== undefined)
      return byConsumer.get(host + names.consumer) ?? keyOf(hostKey, names.consumer);
    if (names.part === "filter" && names.filter !== undefined)
      return byFilter.get(host + names.filter) ?? keyOf(hostKey, undefined, names.filter);
    // no names (WMI-Activity, a damaged event): its own row
    return JSON.stringify([hostKey ?? "", "event", eventId]);
  };
  const alertIds = new Map<string, string[]>();
  for (const a of alerted) {
    const key = subscriptionKey(a.hostKey, a.names, a.alertId);
    alertIds.set(key, [...(alertIds.get(key) ?? []), a.alertId]);
  }
  const groups = new Map<string, BlindSpotSubscription>();
  for (const s of spots) {
    const key = subscriptionKey(s.hostKey, s.names, s.eventId);
    let g = groups.get(key);
    if (!g) {
      g = {
        key,
        host: s.host,
        consumer: null,
        consumerClass: null,
        filter: null,
        command: null,
        query: null,
        alertIds: alertIds.get(key) ?? [],
        events: [],
        reasons: [],
        latest: s.timestamp,
      };
      groups.set(key, g);
    }
    g.events.push(s);
    g.consumer ??= s.names.consumer ?? null;
    g.consumerClass ??= s.names.consumerClass ?? null;
    g.filter ??= s.names.filter ?? null;
    if (s.names.part === "consumer") g.command ??= s.names.detail ?? null;
    if (s.names.part === "filter") g.query ??= s.names.detail ?? null;
    if (!g.reasons.includes(s.reason)) g.reasons.push(s.reason);
    if (s.timestamp > g.latest) g.latest = s.timestamp;
  }
  return [...groups.values()].sort((a, b) => b.latest.getTime() - a.latest.getTime() || a.key.localeCompare(b.key));
}

/** The alerts' events on these hosts, with the subscription names they log. */
async function listAlertedSubscriptions(hostKeys: string[]) {
  if (hostKeys.length === 0) return [];
  const rows = await getDb().prisma.$queryRaw<{ id: string; host_key: string | null; doc: EcsDocument }[]>`
    SELECT a."id", e."host_key", e."doc" FROM "alert" a JOIN "event" e ON e."id" = a."event_id"
    WHERE e."host_key" = ANY(${hostKeys}::text[])
    ORDER BY a."created_at" DESC LIMIT ${MAX_EVALUATED}`;
  return rows.map((r) => ({ alertId: r.id, hostKey: r.host_key, names: subscriptionNamesOf(r.doc) }));
}

/**
 * The blind spots by subscription, real gaps first (newest activity first), covered ones apart;
 * optionally for one host and one reason. Reason counts cover every evaluated candidate of the
 * host filter (not only the page).
 */
export async function listBlindSpots(
  actor: Actor,
  opts: { page?: number; reason?: string; host?: string; pageSize?: number } = {},
): Promise<BlindSpotList> {
  assertCan(actor, "rule:read");
  const pageSize = opts.pageSize ?? BLIND_SPOTS_PAGE_SIZE;
  const params: unknown[] = [];
  let where = CANDIDATES_WHERE;
  if (opts.host) {
    params.push(opts.host);
    where += ` AND e."host_name" = $${params.length}`;
  }
  const client = await getDb().pool.connect();
  let rows: CandidateRow[];
  let candidates: number;
  try {
    const count = await client.query<{ n: string }>(`SELECT count(*) AS n FROM "event" e WHERE ${where}`, params);
    candidates = Number(count.rows[0].n);
    const result = await client.query<CandidateRow>(
      `SELECT e."id"::text AS id, e."timestamp", e."host_name", e."host_key", e."event_code", e."dataset", e."doc"
         FROM "event" e WHERE ${where}
        ORDER BY e."timestamp" DESC, e."id" DESC LIMIT ${MAX_EVALUATED}`,
      params,
    );
    rows = result.rows;
  } finally {
    client.release();
  }

  const spots = rows.map(toBlindSpot);
  const counts = new Map<string, number>();
  for (const s of spots) counts.set(s.reason, (counts.get(s.reason) ?? 0) + 1);
  const groups = [...counts.entries()]
    .map(([reason, count]) => ({ reason, count }))
    .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));

  const filtered = opts.reason ? spots.filter((s) => s.reason === opts.reason) : spots;
  const hostKeys = [...new Set(filtered.map((s) => s.hostKey).filter((k): k is string => k !== null))];
  const subscriptions = groupBySubscription(filtered, await listAlertedSubscriptions(hostKeys));
  const gaps = subscriptions.filter((g) => g.alertIds.length === 0);
  const covered = subscriptions.filter((g) => g.alertIds.length > 0);
  const pageCount = Math.max(1, Math.ceil(gaps.length / pageSize));
  const page = Math.min(Math.max(1, Math.floor(opts.page ?? 1)), pageCount);
  return {
    groups,
    subscriptions: gaps.slice((page - 1) * pageSize, page * pageSize),
    total: gaps.length,
    page,
    pageCount,
    covered: covered.slice(0, MAX_COVERED_LISTED),
    coveredTotal: covered.length,
    events: filtered.length,
    candidates,
    evaluated: spots.length,
  };
}

export interface BlindSpotEvent {
  id: string;
  timestamp: Date;
  host: string | null;
  eventCode: string | null;
  dataset: string | null;
  /** the stored document, pretty-printed (rendered as text) */
  json: string;
  failures: FailedPredicate[];
  reason: string;
  alertIds: string[];
}

/** One stored event with the rule's verdict on it; null when there is no such event. */
export async function getBlindSpotEvent(actor: Actor, id: string): Promise<BlindSpotEvent | null> {
  assertCan(actor, "rule:read");
  if (!/^\d{1,18}$/.test(id)) return null;
  const event = await getDb().prisma.event.findUnique({
    where: { id: BigInt(id) },
    select: {
      id: true,
      timestamp: true,
      hostName: true,
      eventCode: true,
      dataset: true,
      doc: true,
      alerts: { select: { id: true } },
    },
  });
  if (!event) return null;
  const doc = (event.doc ?? {}) as Record<string, unknown>;
  const alertIds = event.alerts.map((a) => a.id);
  const { failures, reason } = explainMiss(doc);
  return {
    id: event.id.toString(),
    timestamp: event.timestamp,
    host: event.hostName,
    eventCode: event.eventCode,
    dataset: event.dataset,
    json: JSON.stringify(doc, null, 2),
    failures,
    reason: alertIds.length && failures.length === 0 ? "The rule alerted on this event" : reason,
    alertIds,
  };
}
