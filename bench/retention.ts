/**
 * `npm run bench:retention [-- --events N]`: the retention purge (lib/services/retention-service.ts)
 * over N stored events (default BENCH_EVENTS, else 1,000,000) of the shapes of generate-events.ts,
 * stored through the ingest pipeline: 90 % stored "long ago", 10 % within the period, and one alert
 * per BENCH_ALERT_EVERY (10,000) events whose evidence must stay. Reports the purge's wall time,
 * events deleted per second, its batches, and — for scale — a sequential count(*) of the table and
 * a bare one-statement DELETE of the same expired rows without the evidence checks, in the same run.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { closeDb } from "@/lib/db/client";
import { ingestStream } from "@/lib/services/ingest/ingest-stream";
import { purgeExpiredEvents } from "@/lib/services/retention-service";
import { prepareBenchDatabase } from "./bench-db";
import { makeEvent, rng } from "./generate-events";

const ROOT = dirname(fileURLToPath(import.meta.url));
const RESULTS = join(ROOT, "results");
const argIndex = process.argv.indexOf("--events");
const EVENTS = Number(argIndex > 0 ? process.argv[argIndex + 1] : (process.env.BENCH_EVENTS ?? 1_000_000));
const ALERT_EVERY = Number(process.env.BENCH_ALERT_EVERY ?? 10_000);
const DAYS = 90;
if (!Number.isInteger(EVENTS) || EVENTS < 1000) throw new Error("--events must be a whole number >= 1000");

/** NDJSON of events [from, to) as a byte stream, generated on the fly. */
function eventStream(from: number, to: number, seed: number): Readable {
  const r = rng(seed);
  return Readable.from(
    (function* () {
      let chunk = "";
      for (let i = from; i < to; i++) {
        chunk += `${JSON.stringify(makeEvent(r, i))}\n`;
        if (chunk.length > 1 << 20) {
          yield Buffer.from(chunk);
          chunk = "";
        }
      }
      if (chunk) yield Buffer.from(chunk);
    })(),
  );
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const value = await fn();
  return [value, (performance.now() - t0) / 1000];
}

async function main() {
  const url = await prepareBenchDatabase("wmi_bench_retention", { fresh: true });
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  const oldCount = Math.round(EVENTS * 0.9);

  console.log(`storing ${oldCount.toLocaleString("en-US")} old events…`);
  const [oldJob, oldSeconds] = await timed(() =>
    ingestStream({ source: "cli", fileName: "old.ndjson", stream: eventStream(0, oldCount, 42), skipDetection: true }),
  );
  // everything stored so far is "long ago": the purge runs DAYS days after this instant
  const cutoff = new Date();
  await new Promise((resolve) => setTimeout(resolve, 20));
  console.log(`storing ${(EVENTS - oldCount).toLocaleString("en-US")} recent events…`);
  await ingestStream({
    source: "cli",
    fileName: "new.ndjson",
    stream: eventStream(oldCount, EVENTS, 43),
    skipDetection: true,
  });

  // alerts on every ALERT_EVERY-th old event (their host's neighbours within a day become evidence)
  const alerts = await db.query(
    `INSERT INTO alert (id, rule_id, rule_version, rule_name, severity, risk_score, reason, event_id, event_timestamp,
                        host_name, user_name, branch, explanation)
     SELECT 'bench-' || e.id, 'bench-rule', 307, 'Suspicious WMI Event Subscription Created', 'medium', 47,
            'bench', e.id, e.timestamp, e.host_name, e.user_name, 'sysmon', '{}'::jsonb
       FROM event e WHERE e.created_at < $1 AND e.id % $2 = 0`,
    [cutoff, ALERT_EVERY],
  );
  await db.query("VACUUM ANALYZE event");
  await db.query("VACUUM ANALYZE alert");
  const expected = await db.query<{ expired: string; evidence: string }>(
    `SELECT count(*) AS expired,
            count(*) FILTER (WHERE EXISTS (SELECT 1 FROM alert a WHERE a.event_id = e.id)
              OR EXISTS (SELECT 1 FROM alert a WHERE a.host_key = e.host_key
                           AND a.event_timestamp BETWEEN e.timestamp - interval '1 day' AND e.timestamp + interval '1 day')
              OR (e.event_code IN ('19','20','21') AND EXISTS (SELECT 1 FROM alert a WHERE a.host_key = e.host_key))) AS evidence
       FROM event e WHERE e.created_at < $1`,
    [cutoff],
  );
  const [countRows, countSeconds] = await timed(() => db.query<{ n: string }>("SELECT count(*) AS n FROM event"));
  await db.query("CHECKPOINT");

  const now = new Date(cutoff.getTime() + DAYS * 86_400_000);
  const [summary, purgeSeconds] = await timed(() => purgeExpiredEvents({ now, days: DAYS }));
  const remaining = await db.query<{ n: string; alerts_ok: boolean }>(
    `SELECT count(*) AS n, (SELECT count(*) FROM alert a JOIN event e ON e.id = a.event_id) = $1 AS alerts_ok FROM event`,
    [alerts.rowCount],
  );

  // the same rows again, deleted by one bare statement (no batches, no evidence kept): the floor
  await db.query("TRUNCATE alert, event RESTART IDENTITY CASCADE");
  await ingestStream({
    source: "cli",
    fileName: "old.ndjson",
    stream: eventStream(0, oldCount, 42),
    skipDetection: true,
  });
  await db.query("VACUUM ANALYZE event");
  await db.query("CHECKPOINT");
  const [bare, bareSeconds] = await timed(() => db.query("DELETE FROM event WHERE created_at < now()"));
  await db.end();
  await closeDb();

  const result = {
    benchmark: "retention",
    at: new Date().toISOString(),
    events: EVENTS,
    expiredEvents: Number(expected.rows[0].expired),
    alerts: alerts.rowCount,
    evidenceExpected: Number(expected.rows[0].evidence),
    storeOldSeconds: Number(oldSeconds.toFixed(1)),
    storedOld: oldJob.stored,
    purge: {
      seconds: Number(purgeSeconds.toFixed(2)),
      deleted: summary.deleted,
      kept: summary.kept,
      batches: summary.batches,
      msPerBatch: Math.round((purgeSeconds * 1000) / Math.max(1, summary.batches)),
      deletedPerSecond: Math.round(summary.deleted / purgeSeconds),
    },
    remainingEvents: Number(remaining.rows[0].n),
    everyAlertStillHasItsEvent: remaining.rows[0].alerts_ok,
    seqCountSeconds: Number(countSeconds.toFixed(2)),
    tableEvents: Number(countRows.rows[0].n),
    bareDelete: { seconds: Number(bareSeconds.toFixed(2)), deleted: bare.rowCount },
    ratioToBareDelete: Number((purgeSeconds / bareSeconds).toFixed(2)),
  };
  if (summary.kept !== result.evidenceExpected)
    throw new Error(`kept ${summary.kept}, expected ${result.evidenceExpected}`);
  if (!result.everyAlertStillHasItsEvent) throw new Error("an alert lost its event");

  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(join(RESULTS, "retention.json"), `${JSON.stringify(result, null, 2)}\n`);
  const md = `# bench:retention

${result.at}, ${EVENTS.toLocaleString("en-US")} events stored through the ingest pipeline (shapes of bench/generate-events.ts),
${result.expiredEvents.toLocaleString("en-US")} of them expired; ${result.alerts} alerts (one per ${ALERT_EVERY.toLocaleString("en-US")} events).

| measure | value |
|---|---|
| purge (\`purgeExpiredEvents\`, ${result.purge.batches} batches of 10,000 ids) | **${result.purge.seconds} s**, ${result.purge.deletedPerSecond.toLocaleString("en-US")} events deleted/s, ${result.purge.msPerBatch} ms per batch |
| deleted / kept as evidence | ${result.purge.deleted.toLocaleString("en-US")} / ${result.purge.kept.toLocaleString("en-US")} (expected evidence: ${result.evidenceExpected.toLocaleString("en-US")}) |
| one bare \`DELETE … WHERE created_at < …\` of the same ${result.bareDelete.deleted?.toLocaleString("en-US")} rows, nothing kept | ${result.bareDelete.seconds} s (purge = ${result.ratioToBareDelete}×) |
| sequential \`count(*)\` of the ${result.tableEvents.toLocaleString("en-US")}-event table | ${result.seqCountSeconds} s |
| every alert still has its event | ${result.everyAlertStillHasItsEvent ? "yes" : "NO"} |
`;
  writeFileSync(join(RESULTS, "retention.md"), md);
  console.log(md);
}

await main();
