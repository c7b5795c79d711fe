import "server-only";
import { assertCan, type Actor } from "@/lib/auth/permissions";
import { getDb } from "@/lib/db/client";
import { describeFailure, evaluateQuery, type PredicateTrace } from "@/lib/eql/evaluate";
import { getFieldValues } from "@/lib/eql/fields";
import { ruleQuery } from "@/lib/rule/query";
import { CURRENT_RULE, type RuleDefinition } from "@/lib/rule/rules";

/**
 * Blind spots: WMI subscription activity in the stored events that the rule did not alert on —
 * Sysmon 19/20/21 and WMI API telemetry without an alert — each with the predicates of the rule
 * that kept it out (the closest `or` branch, lib/eql/evaluate.ts `describeFailure`), grouped by
 * that reason. Read-only: it never creates alerts.
 */

export const BLIND_SPOTS_PAGE_SIZE = 50;
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

export interface BlindSpotList {
  groups: BlindSpotGroup[];
  rows: BlindSpot[];
  /** rows after the reason filter */
  total: number;
  page: number;
  pageCount: number;
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

/**
 * The blind spots, newest first, optionally for one host and one reason. Groups count every
 * evaluated candidate of the host filter (not only the page).
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
      `SELECT e."id"::text AS id, e."timestamp", e."host_name", e."event_code", e."dataset", e."doc"
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
  const pageCount = Math.max(1, Math.ceil(filtered.length / pageSize));
  const page = Math.min(Math.max(1, Math.floor(opts.page ?? 1)), pageCount);
  return {
    groups,
    rows: filtered.slice((page - 1) * pageSize, page * pageSize),
    total: filtered.length,
    page,
    pageCount,
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
