/**
 * `npm run bench:alerts`: server time of the alerts page's query (lib/data/alert-list.ts
 * `listAlerts`: status counts + histogram + one sorted page, and the grouping when asked) over
 * BENCH_ALERTS (default 100,000) alerts in PostgreSQL. Each scenario runs once to warm up, then
 * BENCH_REPEAT (default 15) times; median and max are reported. Goal: median <= 250 ms per page.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { closeDb } from "@/lib/db/client";
import { listAlerts, parseAlertFilter } from "@/lib/data/alert-list";
import type { Actor } from "@/lib/auth/permissions";
import { prepareBenchDatabase } from "./bench-db";

const ROOT = dirname(fileURLToPath(import.meta.url));
const RESULTS = join(ROOT, "results");
const ALERTS = Number(process.env.BENCH_ALERTS ?? 100_000);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 15);
const GOAL_MS = 250;
const USERS = 12;

/** Alerts spread over 90 days, 800 hosts, 3,000 consumer names; statuses, assignees and cases mixed. */
async function fill(url: string): Promise<void> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  const { rows } = await db.query<{ n: string }>("SELECT count(*) AS n FROM alert");
  if (Number(rows[0].n) === ALERTS) {
    await db.end();
    return;
  }
  await db.query('TRUNCATE alert, event, "case" RESTART IDENTITY CASCADE');
  await db.query("DELETE FROM \"user\" WHERE id LIKE 'bench-%'");
  await db.query(
    `INSERT INTO "user" (id, name, email, role) SELECT 'bench-' || i, 'Analyst ' || i, 'bench' || i || '@bench.local', 'analyst' FROM generate_series(1, $1) i`,
    [USERS],
  );
  await db.query(
    `INSERT INTO "case" (id, title) SELECT gen_random_uuid(), 'Case ' || i FROM generate_series(1, 200) i`,
  );
  const start = Date.UTC(2026, 7, 1);
  await db.query(
    `INSERT INTO event (fingerprint, timestamp, ingested, detect_time, host_name, user_name, event_code, dataset, provider, doc)
     SELECT 'bench-' || i, t, t, t, 'HOST-' || (i % 800), 'user' || (i % 300), '21', 'windows.sysmon_operational',
            'Microsoft-Windows-Sysmon', '{}'::jsonb
     FROM (SELECT i, to_timestamp($2 / 1000.0 + (i::float8 / $1) * 90 * 86400) AS t FROM generate_series(1, $1) i) s`,
    [ALERTS, start],
  );
  await db.query(
    `INSERT INTO alert (id, rule_id, rule_version, rule_name, severity, risk_score, reason, event_id, event_timestamp,
                        host_name, user_name, consumer_name, consumer_type, command, branch, explanation, status,
                        assignee_id, case_id)
     SELECT 'bench-' || e.id, 'bench-rule', 307, 'Suspicious WMI Event Subscription Created',
            (ARRAY['low','medium','high','critical'])[1 + e.id % 4], 21 + (e.id % 4) * 25,
            'WMI binding on ' || e.host_name, e.id, e.timestamp, e.host_name, e.user_name,
            'Consumer' || (e.id % 3000), (ARRAY['CommandLineEventConsumer','ActiveScriptEventConsumer'])[1 + e.id % 2],
            CASE WHEN e.id % 2 = 0 THEN 'powershell.exe -NoP -W Hidden -enc ' || md5(e.id::text) || repeat('A', 120)
                 ELSE 'var s = new ActiveXObject("WScript.Shell"); s.Run("cmd /c ' || md5(e.id::text) || '");' END,
            'sysmon', '{}'::jsonb,
            (ARRAY['open','open','acknowledged','closed','closed'])[1 + e.id % 5],
            CASE WHEN e.id % 3 = 0 THEN NULL ELSE 'bench-' || (1 + (e.id / 3) % $1) END,
            CASE WHEN e.id % 10 = 0 THEN (SELECT c.id FROM "case" c WHERE c.number = 1 + e.id % 200) END
     FROM event e`,
    [USERS],
  );
  // what autovacuum does on a live database: statistics, and the visibility map that lets the
  // status/time aggregate run as an index-only scan
  await db.query("VACUUM ANALYZE alert");
  await db.query("ANALYZE");
  await db.end();
}

interface Scenario {
  name: string;
  params: Record<string, string>;
}

const SCENARIOS: Scenario[] = [
  { name: "default: newest first, page 1 of 50", params: {} },
  { name: "status open, by severity", params: { status: "open", sort: "severity" } },
  { name: "one host, newest first", params: { host: "HOST-17" } },
  { name: "one consumer, by risk", params: { consumer: "Consumer42", sort: "risk" } },
  { name: "assigned to me, open+acknowledged", params: { assignee: "me", status: "open,acknowledged" } },
  {
    name: "7-day range, by host, grouped by host",
    params: { from: "2026-08-20T00:00:00Z", to: "2026-08-27T00:00:00Z", sort: "host", group: "host" },
  },
  {
    name: "full-text search, one command (md5 fragment)",
    params: { q: "c4ca4238a0b9", status: "open,acknowledged,closed" },
  },
  { name: "full-text search 'hidden' (half of all alerts), by assignee", params: { q: "hidden", sort: "assignee" } },
  { name: "full-text search, no hit", params: { q: "no-such-text-anywhere" } },
  { name: "deep page 1,000 (size 100), oldest first", params: { page: "1000", size: "100", dir: "asc" } },
  { name: "by case number, unassigned", params: { sort: "case", assignee: "unassigned" } },
];

async function main(): Promise<void> {
  const url = await prepareBenchDatabase("wmi_bench_alerts", { fresh: process.env.BENCH_FRESH === "1" });
  const t0 = Date.now();
  await fill(url);
  const fillSeconds = (Date.now() - t0) / 1000;
  const actor: Actor = { id: "bench-1", role: "analyst" };
  const results: { name: string; query: string; medianMs: number; maxMs: number; total: number; rows: number }[] = [];
  for (const s of SCENARIOS) {
    const filter = parseAlertFilter(s.params);
    let last = await listAlerts(actor, filter);
    const times: number[] = [];
    for (let i = 0; i < REPEAT; i++) {
      const start = process.hrtime.bigint();
      last = await listAlerts(actor, filter);
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    times.sort((a, b) => a - b);
    results.push({
      name: s.name,
      query: new URLSearchParams(s.params).toString() || "(none)",
      medianMs: Number(times[Math.floor(times.length / 2)].toFixed(1)),
      maxMs: Number(times[times.length - 1].toFixed(1)),
      total: last.total,
      rows: last.rows.length,
    });
    console.log(`${s.name}: median ${results.at(-1)!.medianMs} ms (${last.total} matching, ${last.rows.length} rows)`);
  }
  await closeDb();
  const worst = Math.max(...results.map((r) => r.medianMs));
  const meta = {
    node: process.version,
    date: new Date().toISOString(),
    alerts: ALERTS,
    repeat: REPEAT,
    fillSeconds,
    goalMs: GOAL_MS,
    worstMedianMs: worst,
    goalMet: worst <= GOAL_MS,
  };
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(join(RESULTS, "alerts.json"), `${JSON.stringify({ ...meta, scenarios: results }, null, 2)}\n`);
  const md = [
    "# bench:alerts",
    "",
    `Alerts page server time (listAlerts: status counts, histogram, one sorted page, grouping when asked) over ${ALERTS.toLocaleString("en-US")} alerts in PostgreSQL; Node ${meta.node}, ${meta.date}. One warm-up, then ${REPEAT} runs each.`,
    "",
    "| scenario | URL query | median | max | matching | rows |",
    "|---|---|---|---|---|---|",
    ...results.map(
      (r) =>
        `| ${r.name} | \`${r.query}\` | ${r.medianMs} ms | ${r.maxMs} ms | ${r.total.toLocaleString("en-US")} | ${r.rows} |`,
    ),
    "",
    `Worst median: **${worst} ms** (goal <= ${GOAL_MS} ms: ${meta.goalMet ? "met" : "NOT met"}).`,
    "",
  ].join("\n");
  writeFileSync(join(RESULTS, "alerts.md"), md);
  console.log(md);
}

main().catch(async (err) => {
  console.error(err);
  await closeDb().catch(() => {});
  process.exit(1);
});
