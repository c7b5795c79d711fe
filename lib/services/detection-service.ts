import "server-only";
import { createHash } from "node:crypto";
import type pg from "pg";
import { loadExceptionFilter } from "@/lib/data/exception-filter";
import { loadHostSubscriptionEvents } from "@/lib/data/host-subscription-events";
import { getDb } from "@/lib/db/client";
import { evaluateQuery, type EvalResult } from "@/lib/eql/evaluate";
import { ruleQuery } from "@/lib/rule/query";
import { compileToSql } from "@/lib/eql/to-sql";
import { CURRENT_RULE, type RuleDefinition } from "@/lib/rule/rules";
import { buildAlertFields } from "@/lib/services/alert-fields";
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

function scopeSql(scope: RunScope, params: unknown[]): string {
  const parts: string[] = [];
  if (scope.window) {
    params.push(scope.window.start, scope.window.end);
    // Kibana's range on the timestamp override: gte from, lte to
    parts.push(`e."detect_time" >= $${params.length - 1} AND e."detect_time" <= $${params.length}`);
  }
  if (scope.ingestJobId) {
    params.push(scope.ingestJobId);
    parts.push(`e."ingest_job_id" = $${params.length}::uuid`);
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

/** Runs the detection for an already-recorded run row (the scheduler claims the row first). */
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
    const candidates = await withClient(async (client) => {
      const scanned = await client.query<{ n: string }>(
        `SELECT count(*) AS n FROM "event" e WHERE ${scope}`,
        scopeParams,
      );
      result.eventsScanned = Number(scanned.rows[0].n);
      const rows = await client.query<Candidate>(
        `SELECT e."id"::text AS id, e."fingerprint", e."timestamp", e."host_name", e."doc"
           FROM "event" e WHERE ${scope} AND (${compiled.sql})
          ORDER BY e."timestamp" DESC, e."id" DESC`,
        [...scopeParams, ...compiled.params],
      );
      return rows.rows;
    });

    // The SQL is exact or a superset; the evaluator has the last word and explains the match.
    const matched: { candidate: Candidate; evaluation: EvalResult }[] = [];
    for (const candidate of candidates) {
      const evaluation = evaluateQuery(query, candidate.doc, { explain: true });
      if (!evaluation.matched) continue;
      if (filters.some((f) => f.suppresses(candidate.doc))) {
        result.suppressed++;
        continue;
      }
      matched.push({ candidate, evaluation });
    }
    result.matches = matched.length;
    await exceptions?.recordHits();
    let kept = matched;
    if (opts.cap !== null && matched.length > opts.cap) {
      kept = matched.slice(0, opts.cap); // most recent first
      result.truncated = true;
      result.warnings.push(MAX_SIGNALS_WARNING);
    }

    for (const { candidate, evaluation } of kept) {
      const hostKey = hostIdentity(candidate.host_name);
      const hostEvents = hostKey ? await loadHostSubscriptionEvents(hostKey, candidate.doc as EcsDocument) : [];
      const fields = buildAlertFields(rule, candidate.doc, evaluation, hostEvents);
      const inserted = await prisma.alert.createMany({
        data: [
          {
            id: alertIdFor(rule.ruleId, candidate.fingerprint),
            ruleId: rule.ruleId,
            ruleVersion: rule.version,
            ruleName: rule.name,
            severity: rule.severity,
            riskScore: rule.riskScore,
            eventId: BigInt(candidate.id),
            eventTimestamp: candidate.timestamp,
            runId,
            ...fields,
          },
        ],
        skipDuplicates: true,
      });
      result.alertsCreated += inserted.count;
      if (opts.crashAfterAlerts !== undefined && result.alertsCreated >= opts.crashAfterAlerts) {
        throw new Error("simulated crash mid-run");
      }
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
    },
    select: { id: true },
  });
  const result = await finishRun(run.id, rule, { kind: "ingest", scope: { ingestJobId }, cap: null, requestedBy });
  if (result.status === "failed") throw new Error(result.error ?? "rule run failed");
  return result;
}
