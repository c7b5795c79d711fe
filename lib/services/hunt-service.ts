import "server-only";
import { getDb } from "@/lib/db/client";
import { isSequence, type EqlQuery, type EqlStatement } from "@/lib/eql/ast";
import { evaluateQuery } from "@/lib/eql/evaluate";
import { parseEqlStatement } from "@/lib/eql/parser";
import { matchSequences, type SequenceEvent } from "@/lib/eql/sequence";
import { compileToSql } from "@/lib/eql/to-sql";
import type { HuntHit, HuntResult } from "@/lib/hunt/result";

/**
 * Runs a hunt (a row of hunt_run) in the worker: the query is pushed to SQL (the EQL compiler,
 * the timestamp and host_key indexes), candidates are read in keyset-paged batches and confirmed
 * and explained by the evaluator; sequences are matched over the candidates of all their stages.
 * Between batches it records progress and stops at the row limit, at the time limit, or when
 * the hunter cancels (status 'cancelling'); what was found so far is kept. A batch's query itself
 * runs with the time left as its statement_timeout and is cancelled in PostgreSQL when the hunter
 * cancels, so one slow scan (a selective filter over many events) cannot outlast either.
 */

const BATCH = 1000;
/** events a sequence hunt may hold in memory before it stops with a partial answer */
export const MAX_SEQUENCE_EVENTS = 50_000;

interface Row {
  id: string;
  timestamp: Date;
  doc: Record<string, unknown>;
}

/** The WHERE of the candidates: time range, host identity, and the query (OR of the stages for a sequence). */
function candidateFilter(q: EqlStatement, paramOffset: number): { sql: string; params: unknown[] } {
  const queries: EqlQuery[] = isSequence(q)
    ? [...q.stages.map((s) => s.query), ...(q.until ? [q.until.query] : [])]
    : [q];
  const params: unknown[] = [];
  const parts = queries.map((query) => {
    const c = compileToSql(query, {
      column: `e."doc"`,
      timestampColumn: `e."timestamp"`,
      paramOffset: paramOffset + params.length,
    });
    params.push(...c.params);
    return `(${c.sql})`;
  });
  return { sql: parts.join(" OR "), params };
}

async function currentStatus(runId: string): Promise<string | null> {
  const row = await getDb().prisma.huntRun.findUnique({ where: { id: runId }, select: { status: true } });
  return row?.status ?? null;
}

const limitText = (ms: number) => (ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`);

const QUERY_CANCELED = "57014"; // PostgreSQL: statement_timeout or pg_cancel_backend
const CANCEL_POLL_MS = 500;

/**
 * One query bounded by the hunt's limits: it gets `budgetMs` (PostgreSQL's statement_timeout) and
 * is cancelled in the server as soon as `isCancelled` says so (polled every half second).
 */
export async function queryWithinLimits<R extends object>(
  sql: string,
  params: unknown[],
  budgetMs: number,
  isCancelled: () => Promise<boolean>,
): Promise<{ rows: R[] } | { stopped: "timed_out" | "cancelled" }> {
  if (budgetMs <= 0) return { stopped: "timed_out" };
  const { pool } = getDb();
  const client = await pool.connect();
  let cancelled = false;
  let polling: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    polling = polling.then(async () => {
      if (cancelled || !(await isCancelled())) return;
      cancelled = true;
      const pid = (client as unknown as { processID: number }).processID;
      await pool.query("SELECT pg_cancel_backend($1)", [pid]);
    });
  }, CANCEL_POLL_MS);
  try {
    await client.query("BEGIN READ ONLY");
    await client.query(`SET LOCAL statement_timeout = ${Math.ceil(budgetMs)}`);
    const res = await client.query<R>(sql, params);
    await client.query("COMMIT");
    return { rows: res.rows };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    if ((error as { code?: string }).code === QUERY_CANCELED) return { stopped: cancelled ? "cancelled" : "timed_out" };
    throw error;
  } finally {
    clearInterval(timer);
    await polling.catch(() => undefined);
    client.release();
  }
}

export async function executeHuntRun(runId: string, batchSize = BATCH): Promise<void> {
  const { prisma } = getDb();
  const claimed = await prisma.huntRun.updateMany({
    where: { id: runId, status: "queued" },
    data: { status: "running" },
  });
  if (claimed.count === 0) return;
  const run = await prisma.huntRun.findUniqueOrThrow({ where: { id: runId } });
  const started = Date.now();
  let scanned = 0;
  let truncated = false;
  let stop: "cancelled" | "timed_out" | null = null;
  const hits: HuntHit[] = [];
  const seqEvents: (SequenceEvent & { row: Row })[] = [];
  try {
    const q = parseEqlStatement(run.query);
    const scope: unknown[] = [run.rangeStart, run.rangeEnd];
    let scopeSql = `e."timestamp" >= $1 AND e."timestamp" < $2`;
    if (run.hostKey) {
      scope.push(run.hostKey);
      scopeSql += ` AND e."host_key" = $3`;
    }
    const filter = candidateFilter(q, scope.length + 2);
    const afterTs = `$${scope.length + 1}`;
    const afterId = `$${scope.length + 2}`;
    let cursor: { ts: Date; id: string } = { ts: new Date(0), id: "0" };
    for (;;) {
      const res = await queryWithinLimits<Row>(
        `SELECT e."id"::text AS id, e."timestamp", e."doc" FROM "event" e
          WHERE ${scopeSql} AND (e."timestamp", e."id") > (${afterTs}::timestamptz, ${afterId}::bigint) AND (${filter.sql})
          ORDER BY e."timestamp", e."id" LIMIT ${batchSize}`,
        [...scope, cursor.ts, cursor.id, ...filter.params],
        run.timeLimitMs - (Date.now() - started),
        async () => (await currentStatus(runId)) === "cancelling",
      );
      if ("stopped" in res) {
        stop = res.stopped;
        break;
      }
      for (const row of res.rows) {
        if (isSequence(q)) {
          if (seqEvents.length >= MAX_SEQUENCE_EVENTS) {
            truncated = true;
            break;
          }
          seqEvents.push({ doc: row.doc, time: row.timestamp.getTime(), row });
        } else {
          const r = evaluateQuery(q, row.doc);
          if (!r.matched) continue;
          hits.push({
            eventId: row.id,
            timestamp: row.timestamp.toISOString(),
            branch: r.branch?.text ?? null,
            trace: r.trace,
          });
          if (hits.length >= run.rowLimit) {
            truncated = true;
            break;
          }
        }
      }
      scanned += res.rows.length;
      if (truncated || res.rows.length < batchSize) break;
      const last = res.rows[res.rows.length - 1];
      cursor = { ts: last.timestamp, id: last.id };
      await prisma.huntRun.update({ where: { id: runId }, data: { scanned, hitCount: hits.length } });
      if ((await currentStatus(runId)) === "cancelling") {
        stop = "cancelled";
        break;
      }
      if (Date.now() - started > run.timeLimitMs) {
        stop = "timed_out";
        break;
      }
    }
    let result: HuntResult;
    if (isSequence(q)) {
      const matches = matchSequences(q, seqEvents);
      const kept = matches.slice(0, run.rowLimit);
      if (matches.length > kept.length) truncated = true;
      result = {
        kind: "sequence",
        sequences: kept.map((m) => ({
          keys: m.keys,
          events: m.events.map((i, stage) => {
            if (i === null) return null;
            const e = seqEvents[i];
            return {
              eventId: e.row.id,
              timestamp: e.row.timestamp.toISOString(),
              trace: evaluateQuery(q.stages[stage].query, e.doc).trace,
            };
          }),
        })),
      };
    } else {
      result = { kind: "events", hits };
    }
    const hitCount = result.kind === "events" ? result.hits.length : result.sequences.length;
    await prisma.huntRun.update({
      where: { id: runId },
      data: {
        status: stop ?? "succeeded",
        scanned,
        hitCount,
        truncated,
        result: result as object,
        error:
          stop === "timed_out"
            ? `stopped at the time limit (${limitText(run.timeLimitMs)}) after checking ${scanned} events; the hits so far are shown`
            : null,
        finishedAt: new Date(),
      },
    });
  } catch (error) {
    await prisma.huntRun.update({
      where: { id: runId },
      data: {
        status: "failed",
        scanned,
        error: error instanceof Error ? error.message : String(error),
        finishedAt: new Date(),
      },
    });
  }
}
