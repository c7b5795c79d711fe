/**
 * `npm run bench:scale [-- --events N]`: the database at scale. Generates N stored events (default
 * 10,000,000; shapes of bench/generate-events.ts, i.e. of the real datasets) and an alert for every
 * 10th (each such event is a rule match, the others are not; 1,000,000 alerts at the default size), written by bulk
 * COPY with the secondary indexes built afterwards (not through the app's ingest: that is
 * `bench:ingest`'s subject). Then reports, each with its median time and the EXPLAIN (ANALYZE, BUFFERS)
 * plan of every query it ran:
 * - the rule over a 9-minute window (goal <= 50 ms) and a backfill over all events (goal <= 1.5x a
 *   sequential count(*) of the table);
 * - the alerts page scenarios of bench:alerts (listAlerts; goal: worst median <= 250 ms);
 * - an alert page's loaders (getAlertDetail), the host timeline and the blind spots (each <= 300 ms).
 * Results in bench/results/scale.{json,md}. Its own database (wmi_bench_scale, or
 * BENCH_DATABASE_URL), dropped at the end unless BENCH_KEEP=1.
 */
import { createReadStream, createWriteStream, mkdirSync, rmSync, writeFileSync, type WriteStream } from "node:fs";
import { once } from "node:events";
import { dirname, join } from "node:path";
import { loadavg } from "node:os";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { Actor } from "@/lib/auth/permissions";
import { getAlertDetail } from "@/lib/data/alert-detail";
import { listAlerts, parseAlertFilter } from "@/lib/data/alert-list";
import { loadHostTimeline } from "@/lib/data/alert-timeline";
import { listBlindSpots } from "@/lib/data/blind-spots";
import { closeDb } from "@/lib/db/client";
import type { EcsDocument } from "@/lib/ecs/document";
import { evaluateQuery } from "@/lib/eql/evaluate";
import { CURRENT_RULE } from "@/lib/rule/rules";
import { ruleQuery } from "@/lib/rule/query";
import { buildAlertFields } from "@/lib/services/alert-fields";
import { ALERT_ROW_COLUMNS, alertRowOf, ruleSql } from "@/lib/services/detection-service";
import { toEventRow } from "@/lib/services/event-record";
import { prepareBenchDatabase } from "./bench-db";
import { BENCH_TMP, makeEvent, rng } from "./generate-events";

const ROOT = dirname(fileURLToPath(import.meta.url));
const RESULTS = join(ROOT, "results");
const argIndex = process.argv.indexOf("--events");
const EVENTS = Number(argIndex > 0 ? process.argv[argIndex + 1] : (process.env.BENCH_EVENTS ?? 10_000_000));
if (!Number.isInteger(EVENTS) || EVENTS < 10_000) throw new Error("--events must be a whole number >= 10000");
const ALERT_EVERY = 10;
const REPEAT = Number(process.env.BENCH_REPEAT ?? 5);
const USERS = 12;
const STATUSES = ["open", "open", "acknowledged", "closed", "closed"];

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");

/** COPY text format: backslash, tab, newline and carriage return escaped; null as \N. */
function copyValue(v: string | number | null): string {
  if (v === null) return "\\N";
  return String(v).replace(/[\\\t\n\r]/g, (c) =>
    c === "\\" ? "\\\\" : c === "\t" ? "\\t" : c === "\n" ? "\\n" : "\\r",
  );
}
const copyLine = (values: (string | number | null)[]) => `${values.map(copyValue).join("\t")}\n`;

/** The event and alert rows, generated in chunks of text for two COPY streams. */
async function* generate(events: number, alerts: WriteStream, counter: { alerts: number }): AsyncGenerator<string> {
  const r = rng(7);
  const query = ruleQuery(CURRENT_RULE);
  let chunk = "";
  let alertChunk = "";
  for (let i = 0; i < events; i++) {
    const id = i + 1;
    const isAlert = i % ALERT_EVERY === 0;
    const document = makeEvent(r, i, isAlert) as EcsDocument;
    const row = toEventRow({ ok: true, position: { index: i }, document, original: document });
    const time = row.timestamp.toISOString();
    chunk += copyLine([
      id,
      row.fingerprint,
      time,
      time,
      row.detectTime.toISOString(),
      row.hostName,
      row.userName,
      row.eventCode,
      row.dataset,
      row.provider,
      row.docJson,
      time,
    ]);
    if (isAlert) {
      const evaluation = evaluateQuery(query, row.doc, { explain: true });
      const fields = buildAlertFields(CURRENT_RULE, row.doc, evaluation, []);
      const n = i / ALERT_EVERY;
      counter.alerts++;
      const alert = alertRowOf(CURRENT_RULE.ruleId, { id, fingerprint: row.fingerprint, timestamp: time }, fields);
      const copyRow = { ...alert, explanation: JSON.stringify(alert.explanation) };
      alertChunk += copyLine([
        CURRENT_RULE.ruleId,
        CURRENT_RULE.version,
        CURRENT_RULE.name,
        CURRENT_RULE.severity,
        CURRENT_RULE.riskScore,
        ...ALERT_ROW_COLUMNS.map((column) => copyRow[column]),
        STATUSES[n % STATUSES.length],
        n % 3 === 0 ? null : `bench-${1 + (Math.floor(n / 3) % USERS)}`,
        time,
      ]);
    }
    if (chunk.length > 1 << 20) {
      if (!alerts.write(alertChunk)) await once(alerts, "drain");
      alertChunk = "";
      yield chunk;
      chunk = "";
    }
  }
  alerts.end(alertChunk);
  await once(alerts, "finish");
  yield chunk;
}

/** Secondary indexes of a table (not those behind constraints): dropped for the load, rebuilt after. */
async function secondaryIndexes(db: pg.Client, table: string): Promise<{ name: string; def: string }[]> {
  const { rows } = await db.query<{ name: string; def: string }>(
    `SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i
      WHERE i.schemaname = 'public' AND i.tablename = $1
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
    [table],
  );
  return rows;
}

async function fill(db: pg.Client): Promise<{ seconds: number; alerts: number }> {
  const start = performance.now();
  await db.query('TRUNCATE alert, event, "case" RESTART IDENTITY CASCADE');
  await db.query("DELETE FROM \"user\" WHERE id LIKE 'bench-%'");
  await db.query(
    `INSERT INTO "user" (id, name, email, role) SELECT 'bench-' || i, 'Analyst ' || i, 'bench' || i || '@bench.local', 'analyst' FROM generate_series(1, $1) i`,
    [USERS],
  );
  const indexes = [...(await secondaryIndexes(db, "event")), ...(await secondaryIndexes(db, "alert"))];
  for (const ix of indexes) await db.query(`DROP INDEX "${ix.name}"`);
  // the alert rows wait in a file until their events are stored (the foreign key)
  mkdirSync(BENCH_TMP, { recursive: true });
  const alertFile = join(BENCH_TMP, "scale-alerts.copy");
  const counter = { alerts: 0 };
  await pipeline(
    Readable.from(generate(EVENTS, createWriteStream(alertFile), counter)),
    db.query(
      copyFrom(
        `COPY event (id, fingerprint, timestamp, ingested, detect_time, host_name, user_name, event_code, dataset, provider, doc, created_at) FROM STDIN`,
      ),
    ),
  );
  await db.query(`SELECT setval(pg_get_serial_sequence('event', 'id'), $1)`, [EVENTS]);
  await pipeline(
    createReadStream(alertFile),
    db.query(
      copyFrom(
        `COPY alert (rule_id, rule_version, rule_name, severity, risk_score, ${ALERT_ROW_COLUMNS.join(", ")}, status, assignee_id, created_at) FROM STDIN`,
      ),
    ),
  );
  rmSync(alertFile);
  process.stderr.write(`bench:scale: rows stored in ${((performance.now() - start) / 1000).toFixed(0)} s, indexing…\n`);
  await db.query("SET maintenance_work_mem = '256MB'");
  for (const ix of indexes) await db.query(ix.def);
  // what autovacuum does on a live database: statistics and the visibility map
  await db.query("VACUUM ANALYZE event");
  await db.query("VACUUM ANALYZE alert");
  return { seconds: Number(((performance.now() - start) / 1000).toFixed(1)), alerts: counter.alerts };
}

interface CapturedQuery {
  text: string;
  values: unknown[];
}

/** Every query the app's modules send through `pg` while `fn` runs (Prisma's adapter and the pool alike). */
async function capture<T>(fn: () => Promise<T>): Promise<{ result: T; queries: CapturedQuery[] }> {
  const queries: CapturedQuery[] = [];
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function (this: unknown, ...args: unknown[]) {
    const [first, second] = args;
    if (typeof first === "string") queries.push({ text: first, values: Array.isArray(second) ? second : [] });
    else if (first && typeof first === "object" && "text" in first) {
      const q = first as { text: string; values?: unknown[] };
      queries.push({ text: q.text, values: q.values ?? (Array.isArray(second) ? second : []) });
    }
    return original.apply(this, args);
  };
  try {
    return { result: await fn(), queries };
  } finally {
    proto.query = original;
  }
}

interface Measured {
  name: string;
  medianMs: number;
  maxMs: number;
  goalMs: number | null;
  note: string;
  plans: { sql: string; executionMs: number | null; plan: string }[];
}

async function explainAll(db: pg.Client, queries: CapturedQuery[]): Promise<Measured["plans"]> {
  const plans: Measured["plans"] = [];
  for (const q of queries) {
    if (!/^\s*(SELECT|WITH)\b/i.test(q.text)) continue;
    try {
      const { rows } = await db.query(`EXPLAIN (ANALYZE, BUFFERS) ${q.text}`, q.values);
      const plan = rows.map((r: Record<string, string>) => r["QUERY PLAN"]).join("\n");
      const m = /Execution Time: ([\d.]+) ms/.exec(plan);
      plans.push({ sql: q.text.replace(/\s+/g, " ").trim(), executionMs: m ? Number(m[1]) : null, plan });
    } catch (error) {
      plans.push({ sql: q.text.replace(/\s+/g, " ").trim(), executionMs: null, plan: `(EXPLAIN failed: ${error})` });
    }
  }
  return plans;
}

/**
 * One warm-up, `repeat` timed runs (median, max), then the plans: of `explain` when given (SQL the
 * bench sends itself), else of every query one more captured run sends.
 */
async function measure<T>(
  db: pg.Client,
  name: string,
  goalMs: number | null,
  fn: () => Promise<T>,
  note: (result: T) => string,
  opts: { repeat?: number; warmUp?: boolean; explain?: CapturedQuery[] } = {},
): Promise<Measured> {
  let result: Awaited<T> | undefined = opts.warmUp === false ? undefined : await fn();
  const times: number[] = [];
  for (let i = 0; i < (opts.repeat ?? REPEAT); i++) {
    const t = performance.now();
    result = await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  let queries = opts.explain;
  if (!queries) {
    const captured = await capture(fn);
    result = captured.result as Awaited<T>;
    queries = captured.queries;
  }
  const measured: Measured = {
    name,
    medianMs: Number(times[Math.floor(times.length / 2)].toFixed(1)),
    maxMs: Number(times[times.length - 1].toFixed(1)),
    goalMs,
    note: note(result as T),
    plans: await explainAll(db, queries),
  };
  process.stderr.write(`bench:scale: ${name}: median ${measured.medianMs} ms (${measured.note})\n`);
  return measured;
}

const ALERT_SCENARIOS: { name: string; params: Record<string, string> }[] = [
  { name: "default: newest first, page 1 of 50", params: {} },
  { name: "status open, by severity", params: { status: "open", sort: "severity" } },
  { name: "one host, newest first", params: { host: "WS-17" } },
  { name: "one user, by risk", params: { user: "alice", sort: "risk" } },
  { name: "assigned to me, open+acknowledged", params: { assignee: "me", status: "open,acknowledged" } },
  {
    name: "1-day range, by host, grouped by host",
    params: { from: "2024-01-02T00:00:00Z", to: "2024-01-03T00:00:00Z", sort: "host", group: "host" },
  },
  { name: "full-text search, one consumer", params: { q: "c1230", status: "open,acknowledged,closed" } },
  { name: "full-text search 'ws-1' (a fifth of all alerts), by assignee", params: { q: "ws-1", sort: "assignee" } },
  { name: "full-text search, no hit", params: { q: "no-such-text-anywhere" } },
  { name: "deep page 1,000 (size 100), oldest first", params: { page: "1000", size: "100", dir: "asc" } },
];

async function main(): Promise<void> {
  const url = await prepareBenchDatabase("wmi_bench_scale", { fresh: true });
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  const results: Measured[] = [];
  let filled: { seconds: number; alerts: number } | undefined;
  try {
    filled = await fill(db);
    const size = (
      await db.query<{ event: string; alert: string }>(
        `SELECT pg_size_pretty(pg_total_relation_size('event')) AS event, pg_size_pretty(pg_total_relation_size('alert')) AS alert`,
      )
    ).rows[0];
    process.stderr.write(`bench:scale: ${EVENTS} events, ${filled.alerts} alerts in ${filled.seconds} s\n`);
    const actor: Actor = { id: "bench-1", role: "admin" };

    // the rule, as the scheduler runs it: a 9-minute window in the middle, then every event
    const compiled = ruleSql(`e."doc"`, 2);
    const ruleText = `SELECT e.id FROM "event" e WHERE e."detect_time" >= $1 AND e."detect_time" <= $2 AND (${compiled.sql})`;
    const span = (await db.query("SELECT min(detect_time) AS lo, max(detect_time) AS hi FROM event")).rows[0];
    const lo = new Date(span.lo);
    const hi = new Date(span.hi);
    const mid = new Date((lo.getTime() + hi.getTime()) / 2);
    // a whole-table scan runs once (and once more under EXPLAIN ANALYZE): minutes at 10M events
    const sql = (name: string, goalMs: number | null, text: string, values: unknown[], whole = false) =>
      measure(
        db,
        name,
        goalMs,
        async () => (await db.query(text, values)).rowCount ?? 0,
        (n) => `${n.toLocaleString("en-US")} rows`,
        { explain: [{ text, values }], ...(whole && { repeat: 1, warmUp: false }) },
      );
    const window = [mid, new Date(mid.getTime() + 540_000), ...compiled.params];
    results.push(await sql("rule over a 9-minute window", 50, ruleText, window));
    const countAll = await sql(
      "sequential count(*) of the event table",
      null,
      `SELECT count(*) FROM "event"`,
      [],
      true,
    );
    const backfill = await sql(
      "backfill: the rule over every event",
      null,
      ruleText,
      [lo, hi, ...compiled.params],
      true,
    );
    backfill.goalMs = Number((countAll.medianMs * 1.5).toFixed(1));
    backfill.note += `; ${(backfill.medianMs / countAll.medianMs).toFixed(2)}x count(*) (goal <= 1.5x)`;
    results.push(countAll, backfill);

    for (const s of ALERT_SCENARIOS) {
      const filter = parseAlertFilter(s.params);
      results.push(
        await measure(
          db,
          `alerts page: ${s.name}`,
          250,
          () => listAlerts(actor, filter),
          (r) => `${r.total.toLocaleString("en-US")} matching, ${r.rows.length} rows`,
        ),
      );
    }

    const { rows: picked } = await db.query<{ id: string; event_id: string; event_timestamp: Date; host_key: string }>(
      `SELECT id, event_id::text, event_timestamp, host_key FROM alert ORDER BY event_timestamp LIMIT 1 OFFSET $1`,
      [Math.floor(filled.alerts / 2)],
    );
    const alert = picked[0];
    results.push(
      await measure(
        db,
        "alert page: getAlertDetail (every loader)",
        300,
        () => getAlertDetail(actor, alert.id),
        (d) =>
          `${d.timeline.length} timeline events, ${d.related.length} related, ${d.life.events.length} subscription events`,
      ),
      await measure(
        db,
        "host timeline (15 minutes around the alert)",
        300,
        () =>
          loadHostTimeline(
            actor,
            alert.host_key,
            { eventId: BigInt(alert.event_id), eventTimestamp: alert.event_timestamp },
            15,
          ),
        (t) => `${t.timeline.length} events${t.truncated ? ", truncated" : ""}`,
      ),
      await measure(
        db,
        "blind spots (first page)",
        300,
        () => listBlindSpots(actor, {}),
        (b) => `${b.candidates.toLocaleString("en-US")} candidates, ${b.evaluated} evaluated`,
      ),
    );

    const meta = {
      node: process.version,
      date: new Date().toISOString(),
      events: EVENTS,
      alerts: filled.alerts,
      fillSeconds: filled.seconds,
      tableSize: size,
      repeat: REPEAT,
      loadAverage: load(),
    };
    mkdirSync(RESULTS, { recursive: true });
    writeFileSync(join(RESULTS, "scale.json"), `${JSON.stringify({ ...meta, results }, null, 2)}\n`);
    const met = (m: Measured) => (m.goalMs === null ? "—" : m.medianMs <= m.goalMs ? "met" : "**NOT met**");
    const md = [
      "# bench:scale",
      "",
      `${EVENTS.toLocaleString("en-US")} generated events (shapes of the real datasets) and ${filled.alerts.toLocaleString("en-US")} alerts ` +
        `(every 10th event a rule match), stored by COPY in ${filled.seconds} s (event table ${size.event}, alert table ${size.alert}); ` +
        `Node ${meta.node}, ${meta.date}; load average at the end ${meta.loadAverage} (2 cores shared with other work). ` +
        `One warm-up, then ${REPEAT} runs each (the whole-table scans: one run, then EXPLAIN ANALYZE).`,
      "",
      "| what | median | max | goal | | result |",
      "|---|---|---|---|---|---|",
      ...results.map(
        (m) =>
          `| ${m.name} | ${m.medianMs} ms | ${m.maxMs} ms | ${m.goalMs === null ? "" : `<= ${m.goalMs} ms`} | ${met(m)} | ${m.note} |`,
      ),
      "",
      "## Plans (EXPLAIN (ANALYZE, BUFFERS); for the app's loaders the slowest of the queries they send)",
      "",
      ...results.flatMap((m) => {
        const slowest = [...m.plans].sort((a, b) => (b.executionMs ?? 0) - (a.executionMs ?? 0))[0];
        if (!slowest) return [];
        return [
          `### ${m.name}`,
          "",
          `${m.plans.length} quer${m.plans.length === 1 ? "y" : "ies"}, executions ${m.plans.map((p) => `${p.executionMs ?? "?"} ms`).join(", ")}; the slowest:`,
          "",
          "```sql",
          slowest.sql.length > 1500 ? `${slowest.sql.slice(0, 1500)} …` : slowest.sql,
          "```",
          "",
          "```",
          slowest.plan,
          "```",
          "",
        ];
      }),
    ].join("\n");
    writeFileSync(join(RESULTS, "scale.md"), md);
    process.stdout.write(`${md}\n`);
  } finally {
    await closeDb();
    await db.end();
    if (process.env.BENCH_KEEP !== "1") {
      const target = new URL(url);
      const admin = new pg.Client({
        connectionString: `${target.protocol}//${target.username || "postgres"}@${target.host}/postgres`,
      });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS "${target.pathname.slice(1)}" WITH (FORCE)`);
      await admin.end();
    }
  }
}

main().catch(async (err) => {
  console.error(err);
  await closeDb().catch(() => {});
  process.exit(1);
});
