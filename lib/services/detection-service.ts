import "server-only";
import { createHash } from "node:crypto";
import type pg from "pg";
import { loadExceptionFilter } from "@/lib/data/exception-filter";
import { loadSubscriptionEventsForAlerts, type SubscriptionEventsRequest } from "@/lib/data/host-subscription-events";
import { getDb } from "@/lib/db/client";
import { evaluateQuery, type EvalResult } from "@/lib/eql/evaluate";
import { ruleQuery } from "@/lib/rule/query";
import { compileToSql } from "@/lib/eql/to-sql";
import { CURRENT_RULE, type RuleDefinition } from "@/lib/rule/rules";
import { buildAlertFields, type AlertFields } from "@/lib/services/alert-fields";
import { isRuleEnabled } from "@/lib/data/rule-state";
import {
  MAX_SIGNALS_WARNING,
  type EventFilterStep,
  type RunKind,
  type RunResult,
  type RunScope,
} from "@/lib/detection/run";
import type { EcsDocument } from "@/lib/ecs/document";
import { hostIdentity } from "@/lib/ecs/host-identity";
import { usesHostEvents } from "@/lib/triage/wmi-subscription";
import { jsonbSafe } from "@/lib/services/event-record";

/**
 * One rule run, whatever started it (schedule, Run now, backfill window, ingest): select the
 * events in scope with the rule compiled to SQL, confirm each with the evaluator (which also
 * explains the match), apply the filter steps (exceptions plug in here), keep the most recent
 * `maxSignals`, and insert alerts whose ids derive from rule + event so re-runs never duplicate.
 */

export interface RunOptions {
  kind: RunKind;
  scope: RunScope;
  /** null = uncapped (explicit choice for backfills; ingest runs over a whole upload) */
  cap: number | null;
  requestedBy?: string | null;
  rule?: RuleDefinition;
  filters?: EventFilterStep[];
  backfillId?: string;
  /** for tests: fail after this many alerts were inserted */
  crashAfterAlerts?: number;
}

export function alertIdFor(ruleId: string, fingerprint: string): string {
  return createHash("sha256").update(`${ruleId}\u0000${fingerprint}`).digest("hex").slice(0, 40);
}

/** An alert's own columns for the alert `ruleId` raises on `event`: the run's jsonb_to_recordset record. */
export function alertRowOf<Id, Time>(
  ruleId: string,
  event: { id: Id; fingerprint: string; timestamp: Time },
  fields: AlertFields,
) {
  return {
    id: alertIdFor(ruleId, event.fingerprint),
    event_id: event.id,
    event_timestamp: event.timestamp,
    reason: fields.reason,
    host_name: fields.hostName,
    user_name: fields.userName,
    consumer_name: fields.consumerName,
    consumer_type: fields.consumerType,
    command: fields.command,
    payload_text: fields.payloadText,
    branch: fields.branch,
    explanation: fields.explanation,
  };
}

/** alertRowOf's columns in one order (the scale bench's COPY). */
export const ALERT_ROW_COLUMNS = [
  "id",
  "event_id",
  "event_timestamp",
  "reason",
  "host_name",
  "user_name",
  "consumer_name",
  "consumer_type",
  "command",
  "payload_text",
  "branch",
  "explanation",
] as const satisfies readonly (keyof ReturnType<typeof alertRowOf>)[];

/** The current rule's query as SQL over `column` (for look-ups outside a run, e.g. an ingest's repeated events). */
export function ruleSql(column: string, paramOffset: number): { sql: string; params: unknown[] } {
  return compileToSql(ruleQuery(CURRENT_RULE), { column, paramOffset });
}

function scopeSql(scope: RunScope, params: unknown[]): string {
  const parts: string[] = [];
  if (scope.window) {
    params.push(scope.window.start, scope.window.end);
    // Kibana's range on the timestamp override: gte from, lte to
    parts.push(`e."detect_time" >= $${params.length - 1} AND e."detect_time" <= $${params.length}`);
  }
  if (scope.ingestJobId) {
    params.push(scope.ingestJobId);
    const job = `$${params.length}::uuid`;
    // the events this ingest stored, and those of its input stored before (see recordRepeatedCandidates)
    parts.push(
      `(e."ingest_job_id" = ${job} OR e."id" IN (SELECT "event_id" FROM "ingest_job_duplicate" WHERE "job_id" = ${job}))`,
    );
  }
  return parts.length ? parts.join(" AND ") : "TRUE";
}

interface Candidate {
  id: string;
  fingerprint: string;
  timestamp: Date;
  host_name: string | null;
  doc: Record<string, unknown>;
}

/**
 * Candidates read per FETCH: alerts are built and inserted per batch, so memory stays flat in the number of matches.
 */
const FETCH_SIZE = 2000;
/** Hosts whose alerts are inserted in one statement. */
const HOSTS_PER_LOOKUP = 100;

let cursorCount = 0;

async function withClient<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await getDb().pool.connect();
  try {
    return await fn(client);
  } finally {
    client.release();
  }
}

export async function executeRun(opts: RunOptions): Promise<RunResult> {
  const rule = opts.rule ?? CURRENT_RULE;
  const { prisma } = getDb();
  const window = opts.scope.window;
  const run = await prisma.ruleRun.create({
    data: {
      ruleId: rule.ruleId,
      ruleVersion: rule.version,
      kind: opts.kind,
      windowStart: window?.start ?? new Date(0),
      windowEnd: window?.end ?? new Date(),
      requestedBy: opts.requestedBy ?? null,
      backfillId: opts.backfillId ?? null,
    },
    select: { id: true },
  });
  return finishRun(run.id, rule, opts);
}

/**
 * Runs the detection for an already-recorded run row (the scheduler claims the row first).
 *
 * Set-based: the candidates the rule's SQL selects are read through a server-side cursor in
 * batches; per batch the evaluator confirms and explains each, the host subscription events of
 * the batch's hosts are loaded once (uncapped runs read candidates host by host, so a host is
 * loaded about once per run), and the batch's alerts go in with one INSERT … ON CONFLICT DO
 * NOTHING. A capped run reads the most recent first and stops inserting at the cap.
 */
export async function finishRun(runId: string, rule: RuleDefinition, opts: RunOptions): Promise<RunResult> {
  const { prisma } = getDb();
  const result: RunResult = {
    runId,
    status: "succeeded",
    eventsScanned: 0,
    matches: 0,
    alertsCreated: 0,
    suppressed: 0,
    truncated: false,
    warnings: [],
    error: null,
  };
  try {
    const query = ruleQuery(rule);
    // without explicit filters: the rule's exceptions active now (enabled, not expired)
    const exceptions = opts.filters ? null : await loadExceptionFilter(rule.ruleId, new Date());
    const filters = opts.filters ?? (exceptions?.count ? [exceptions.step] : []);
    const scopeParams: unknown[] = [];
    const scope = scopeSql(opts.scope, scopeParams);
    const compiled = compileToSql(query, { column: `e."doc"`, paramOffset: scopeParams.length });
    // uncapped: grouped by host for the subscription look-ups, by an expression no index has, so the
    // planner sorts the few candidates instead of walking the host index over every event in scope
    // (random reads of the whole table: 18 s instead of 5 s for a 300,000-event upload)
    const order =
      opts.cap === null ? `(e."host_name" || ''), e."timestamp" DESC, e."id" DESC` : `e."timestamp" DESC, e."id" DESC`;
    let kept = 0;
    await withClient(async (client) => {
      // the rule's many jsonpath sub-plans cost seconds of JIT compilation for a query that runs once
      await client.query(`SET jit = off`);
      try {
        await scanInBatches(client);
      } finally {
        await client.query(`RESET jit`).catch(() => {});
      }
    });
    async function scanInBatches(client: pg.PoolClient) {
      const scanned = await client.query<{ n: string }>(
        `SELECT count(*) AS n FROM "event" e WHERE ${scope}`,
        scopeParams,
      );
      result.eventsScanned = Number(scanned.rows[0].n);
      // WITH HOLD: the cursor outlives its statement's transaction, so each batch's alerts are
      // committed as they are made (a run that fails midway keeps them) on this one connection
      // (the embedded database serves one)
      const cursor = `wmi_detect_${process.pid}_${++cursorCount}`;
      await client.query(
        `DECLARE "${cursor}" NO SCROLL CURSOR WITH HOLD FOR
         SELECT e."id"::text AS id, e."fingerprint", e."timestamp", e."host_name", e."doc"
           FROM "event" e WHERE ${scope} AND (${compiled.sql})
          ORDER BY ${order}`,
        [...scopeParams, ...compiled.params],
      );
      try {
        for (;;) {
          const { rows } = await client.query<Candidate>(`FETCH ${FETCH_SIZE} FROM "${cursor}"`);
          if (rows.length === 0) break;
          // The SQL is exact or a superset; the evaluator has the last word and explains the match.
          const matched: Match[] = [];
          for (const candidate of rows) {
            const evaluation = evaluateQuery(query, candidate.doc, { explain: true });
            if (!evaluation.matched) continue;
            if (filters.some((f) => f.suppresses(candidate.doc))) {
              result.suppressed++;
              continue;
            }
            result.matches++;
            if (opts.cap !== null && kept >= opts.cap) continue;
            kept++;
            matched.push({ candidate, evaluation });
          }
          for (let from = 0; from < matched.length;) {
            const part = hostChunk(matched, from);
            from += part.length;
            await insertAlerts(client, rule, runId, part, result, opts.crashAfterAlerts);
          }
        }
      } finally {
        await client.query(`CLOSE "${cursor}"`).catch(() => {});
      }
    }
    await exceptions?.recordHits();
    if (opts.cap !== null && result.matches > opts.cap) {
      result.truncated = true;
      result.warnings.push(MAX_SIGNALS_WARNING);
    }
  } catch (error) {
    result.status = "failed";
    result.error = error instanceof Error ? error.message : String(error);
  }
  await prisma.ruleRun.update({
    where: { id: runId },
    data: {
      status: result.status,
      finishedAt: new Date(),
      eventsScanned: result.eventsScanned,
      matches: result.matches,
      alertsCreated: result.alertsCreated,
      suppressed: result.suppressed,
      truncated: result.truncated,
      warnings: result.warnings,
      error: result.error,
    },
  });
  return result;
}

interface Match {
  candidate: Candidate;
  evaluation: EvalResult;
}

/** The matches from `from` on that fall on at most HOSTS_PER_LOOKUP hosts. */
function hostChunk(matched: Match[], from: number): Match[] {
  const hosts = new Set<string | null>();
  let to = from;
  for (; to < matched.length; to++) {
    const host = matched[to].candidate.host_name;
    if (!hosts.has(host)) {
      if (hosts.size === HOSTS_PER_LOOKUP) break;
      hosts.add(host);
    }
  }
  return matched.slice(from, to);
}

// The alert's own columns; the rest take their defaults (status open, version 1, times now). The batch's rows go in
// as one jsonb array (JSON.stringify is native; twelve array literals escaped element by element in JavaScript cost
// the run more than building the alerts did; jsonb, not json: parsed once, where json_to_recordset re-parses each
// object and the explanation again, ~1 CPU-s more in PostgreSQL per 9,000 alerts).
const INSERT_ALERTS = `
INSERT INTO "alert" ("id", "rule_id", "rule_version", "rule_name", "severity", "risk_score", "run_id",
                     "event_id", "event_timestamp", "reason", "host_name", "user_name", "consumer_name",
                     "consumer_type", "command", "payload_text", "branch", "explanation")
SELECT a.id, $1, $2, $3, $4, $5, $6::uuid, a.event_id, a.event_timestamp, a.reason, a.host_name, a.user_name,
       a.consumer_name, a.consumer_type, a.command, a.payload_text, a.branch, a.explanation
  FROM jsonb_to_recordset($7::jsonb)
       AS a(id text, event_id bigint, event_timestamp timestamptz, reason text, host_name text, user_name text,
            consumer_name text, consumer_type text, command text, payload_text text, branch text, explanation jsonb)
ON CONFLICT ("id") DO NOTHING`;

/**
 * Builds the alerts of `matches` (each with its host's subscription events, by the one loader) and inserts them in
 * one statement.
 */
async function insertAlerts(
  client: pg.PoolClient,
  rule: RuleDefinition,
  runId: string,
  matches: Match[],
  result: RunResult,
  crashAfterAlerts: number | undefined,
): Promise<void> {
  if (crashAfterAlerts !== undefined) matches = matches.slice(0, Math.max(0, crashAfterAlerts - result.alertsCreated));
  const rows: object[] = [];
  // the host subscription events of every alert in the batch, each host read once
  const requests: SubscriptionEventsRequest[] = [];
  const requestOf = matches.map(({ candidate }) => {
    const hostKey = hostIdentity(candidate.host_name);
    // an alert that names no consumer or filter is built the same whatever its host's events are
    if (!hostKey || !usesHostEvents(candidate.doc as EcsDocument)) return -1;
    return requests.push({ hostKey, alertDoc: candidate.doc as EcsDocument }) - 1;
  });
  // on the run's own connection: with one connection (the embedded database) the pool has no other
  const loaded = await loadSubscriptionEventsForAlerts(requests, client);
  for (const [m, { candidate, evaluation }] of matches.entries()) {
    const hostEvents = requestOf[m] < 0 ? [] : loaded[requestOf[m]];
    const fields = buildAlertFields(rule, candidate.doc, evaluation, hostEvents);
    rows.push(alertRowOf(rule.ruleId, candidate, fields));
  }
  if (matches.length) {
    const inserted = await client.query(INSERT_ALERTS, [
      rule.ruleId,
      rule.version,
      rule.name,
      rule.severity,
      rule.riskScore,
      runId,
      // U+0000 and lone surrogates, which neither jsonb nor text can hold, as U+FFFD
      jsonbSafe(JSON.stringify(rows)),
    ]);
    result.alertsCreated += inserted.rowCount ?? 0;
  }
  if (crashAfterAlerts !== undefined && result.alertsCreated >= crashAfterAlerts) {
    throw new Error("simulated crash mid-run");
  }
}

/** The rule over one ingest job's events; null when the rule is disabled (the events stay stored, unchecked). */
export async function detectForIngestJob(ingestJobId: string, requestedBy: string | null): Promise<RunResult | null> {
  if (!(await isRuleEnabled())) return null;
  const { prisma } = getDb();
  const span = await prisma.event.aggregate({
    where: { ingestJobId },
    _min: { detectTime: true },
    _max: { detectTime: true },
  });
  const rule = CURRENT_RULE;
  const run = await prisma.ruleRun.create({
    data: {
      ruleId: rule.ruleId,
      ruleVersion: rule.version,
      kind: "ingest",
      windowStart: span._min.detectTime ?? new Date(),
      windowEnd: span._max.detectTime ?? new Date(),
      requestedBy,
      ingestJobId,
    },
    select: { id: true },
  });
  const result = await finishRun(run.id, rule, { kind: "ingest", scope: { ingestJobId }, cap: null, requestedBy });
  if (result.status === "failed") throw new Error(result.error ?? "rule run failed");
  return result;
}
