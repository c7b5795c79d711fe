import "server-only";
import type { Actor } from "@/lib/auth/permissions";
import { getDb } from "@/lib/db/client";
import { evaluateQuery } from "@/lib/eql/evaluate";
import { ruleQuery } from "@/lib/rule/query";
import { compileToSql } from "@/lib/eql/to-sql";
import { compileConditions, type ExceptionCondition } from "@/lib/exceptions/conditions";
import { CURRENT_RULE } from "@/lib/rule/rules";

export const WHAT_IF_EVENT_LIMIT = 20_000;
export const WHAT_IF_ALERT_LIMIT = 5_000;
const WHAT_IF_LIST_LIMIT = 50;

export interface WhatIfAlert {
  id: string;
  status: string;
  verdict: string | null;
  closeReason: string | null;
  hostName: string | null;
  consumerName: string | null;
  eventTimestamp: Date;
  truePositive: boolean;
}

export interface WhatIfResult {
  eventsScanned: number;
  eventsMatched: number;
  eventsTruncated: boolean;
  alertsScanned: number;
  alertsMatched: number;
  alertsTruncated: boolean;
  truePositives: number;
  byStatus: Record<string, number>;
  /** closed alerts by "closeReason / verdict" */
  byOutcome: Record<string, number>;
  alerts: WhatIfAlert[];
}

const TRUE_POSITIVE = "true_positive";
const isTruePositive = (a: { verdict: string | null; closeReason: string | null }) =>
  a.verdict === TRUE_POSITIVE || a.closeReason === TRUE_POSITIVE;

/**
 * SQL pre-filter for positive, case-sensitive conditions: a lax jsonpath unwraps arrays on the
 * way like Elasticsearch flattens them, and non-string leaves are let through for the matcher
 * (it compares numbers by their text). Always a superset of what the matcher accepts.
 */
function conditionPrefilter(conditions: ExceptionCondition[], params: unknown[]): string[] {
  const parts: string[] = [];
  for (const c of conditions) {
    if (!c.caseSensitive && c.operator !== "exists") continue;
    const path = `lax $${c.field
      .split(".")
      .map((k) => `."${k}"`)
      .join("")}`;
    if (c.operator === "exists") {
      params.push(`${path} ? (@ != null)`);
      parts.push(`jsonb_path_exists(e."doc", ($${params.length})::jsonpath)`);
    } else if (c.operator === "is" || c.operator === "is_one_of") {
      const values = c.operator === "is" ? [c.value ?? ""] : (c.values ?? []);
      params.push(`${path} ? (@.type() != "string" || ${values.map((_, i) => `@ == $v${i}`).join(" || ")})`);
      params.push(JSON.stringify(Object.fromEntries(values.map((v, i) => [`v${i}`, v]))));
      parts.push(`jsonb_path_exists(e."doc", ($${params.length - 1})::jsonpath, ($${params.length})::jsonb)`);
    }
  }
  return parts;
}

/** What the draft would have hidden among stored events and alerts (bounded scans, newest first). */
export async function whatIfException(_user: Actor, conditions: ExceptionCondition[]): Promise<WhatIfResult> {
  const matcher = compileConditions(conditions);
  const rule = CURRENT_RULE;
  const query = ruleQuery(rule);
  const { pool } = getDb();
  const client = await pool.connect();
  try {
    // events the rule matches (the SQL is exact or a superset; the evaluator decides)
    const params: unknown[] = [];
    const pre = conditionPrefilter(conditions, params);
    const compiled = compileToSql(query, { column: `e."doc"`, paramOffset: params.length });
    const where = [`(${compiled.sql})`, ...pre].join(" AND ");
    const events = await client.query<{ id: string; doc: Record<string, unknown> }>(
      `SELECT e."id"::text AS id, e."doc" FROM "event" e WHERE ${where} ORDER BY e."timestamp" DESC, e."id" DESC LIMIT ${WHAT_IF_EVENT_LIMIT + 1}`,
      [...params, ...compiled.params],
    );
    const eventsTruncated = events.rows.length > WHAT_IF_EVENT_LIMIT;
    let eventsScanned = 0;
    let eventsMatched = 0;
    for (const row of events.rows.slice(0, WHAT_IF_EVENT_LIMIT)) {
      if (!evaluateQuery(query, row.doc).matched) continue;
      eventsScanned++;
      if (matcher(row.doc)) eventsMatched++;
    }

    const alertParams: unknown[] = [rule.ruleId];
    const alertPre = conditionPrefilter(conditions, alertParams);
    const alerts = await client.query<{
      id: string;
      status: string;
      verdict: string | null;
      close_reason: string | null;
      host_name: string | null;
      consumer_name: string | null;
      event_timestamp: Date;
      doc: Record<string, unknown>;
    }>(
      `SELECT a."id", a."status", a."verdict", a."close_reason", a."host_name", a."consumer_name", a."event_timestamp", e."doc"
         FROM "alert" a JOIN "event" e ON e."id" = a."event_id"
        WHERE a."rule_id" = $1 ${alertPre.map((p) => `AND ${p}`).join(" ")}
        ORDER BY a."event_timestamp" DESC, a."id" LIMIT ${WHAT_IF_ALERT_LIMIT + 1}`,
      alertParams,
    );
    const alertsTruncated = alerts.rows.length > WHAT_IF_ALERT_LIMIT;
    const totalAlerts = await client.query<{ n: string }>(`SELECT count(*) AS n FROM "alert" WHERE "rule_id" = $1`, [
      rule.ruleId,
    ]);
    const result: WhatIfResult = {
      eventsScanned,
      eventsMatched,
      eventsTruncated,
      alertsScanned: Number(totalAlerts.rows[0].n),
      alertsMatched: 0,
      alertsTruncated,
      truePositives: 0,
      byStatus: {},
      byOutcome: {},
      alerts: [],
    };
    const matched: WhatIfAlert[] = [];
    for (const row of alerts.rows.slice(0, WHAT_IF_ALERT_LIMIT)) {
      if (!matcher(row.doc)) continue;
      const a: WhatIfAlert = {
        id: row.id,
        status: row.status,
        verdict: row.verdict,
        closeReason: row.close_reason,
        hostName: row.host_name,
        consumerName: row.consumer_name,
        eventTimestamp: row.event_timestamp,
        truePositive: isTruePositive({ verdict: row.verdict, closeReason: row.close_reason }),
      };
      matched.push(a);
      result.byStatus[a.status] = (result.byStatus[a.status] ?? 0) + 1;
      if (a.status === "closed") {
        const key = `${a.closeReason ?? "no reason"} / ${a.verdict ?? "no verdict"}`;
        result.byOutcome[key] = (result.byOutcome[key] ?? 0) + 1;
      }
      if (a.truePositive) result.truePositives++;
    }
    result.alertsMatched = matched.length;
    // true positives first: they are what an analyst must not hide
    result.alerts = [...matched.filter((a) => a.truePositive), ...matched.filter((a) => !a.truePositive)].slice(
      0,
      WHAT_IF_LIST_LIMIT,
    );
    return result;
  } finally {
    client.release();
  }
}
