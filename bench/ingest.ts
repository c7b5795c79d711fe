/**
 * `npm run bench:ingest`: events/s and peak RSS ingesting a generated >= 1M-event NDJSON through
 * the real pipeline (stream parse, normalise, fingerprint, batched INSERT … ON CONFLICT), compared
 * in the same run with `psql \copy` of the same lines into a one-column jsonb table (goal: ratio
 * >= 0.5), plus — with BENCH_BIG=1 — the peak RSS of a >= 1 GB file (goal < 300 MB).
 * Each measured ingest runs in its own process so its peak RSS is its own.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { prepareBenchDatabase } from "./bench-db";
import { ensureEventFile } from "./generate-events";

const ROOT = dirname(fileURLToPath(import.meta.url));
const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const BIG_EVENTS = Number(process.env.BENCH_BIG_EVENTS ?? 2_200_000);

interface ChildResult {
  received: number;
  stored: number;
  seconds: number;
  maxRssMb: number;
}

function ingestInChild(file: string, url: string): ChildResult {
  const child = spawnSync(process.execPath, ["--conditions=react-server", "--import", "tsx", join(ROOT, "ingest-child.ts"), file], {
    env: { ...process.env, DATABASE_URL: url, DATABASE_POOL_MAX: "2" },
    encoding: "utf8",
    maxBuffer: 1 << 20,
  });
  if (child.status !== 0) throw new Error(`ingest child failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split("\n").at(-1)!);
}

function copyWithPsql(file: string, url: string): number {
  const setup = spawnSync("psql", [url, "-qc", "DROP TABLE IF EXISTS bench_copy; CREATE TABLE bench_copy (doc jsonb)"], { encoding: "utf8" });
  if (setup.status !== 0) throw new Error(setup.stderr);
  const start = process.hrtime.bigint();
  // CSV with control characters as quote/delimiter so the JSON text arrives untouched
  const copy = spawnSync("psql", [url, "-qc", `\\copy bench_copy(doc) FROM '${file}' WITH (FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02')`], { encoding: "utf8" });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (copy.status !== 0) throw new Error(copy.stderr);
  spawnSync("psql", [url, "-qc", "DROP TABLE bench_copy"]);
  return seconds;
}

async function main() {
  const file = await ensureEventFile(EVENTS);
  const bytes = statSync(file).size;
  const url = await prepareBenchDatabase("wmi_bench_ingest", { fresh: true });
  process.stderr.write(`bench:ingest: ${EVENTS} events, ${(bytes / 1e6).toFixed(0)} MB\n`);
  const ours = ingestInChild(file, url);
  const copySeconds = copyWithPsql(file, url);
  const oursRate = ours.received / ours.seconds;
  const copyRate = EVENTS / copySeconds;
  const metrics: Record<string, number | boolean | string> = {
    events: EVENTS,
    fileMb: Number((bytes / 1e6).toFixed(1)),
    ingestEventsPerSec: Math.round(oursRate),
    ingestSeconds: Number(ours.seconds.toFixed(1)),
    ingestPeakRssMb: ours.maxRssMb,
    copyEventsPerSec: Math.round(copyRate),
    copySeconds: Number(copySeconds.toFixed(1)),
    ratio: Number((oursRate / copyRate).toFixed(3)),
    ratioGoal: 0.5,
    ratioGoalMet: oursRate / copyRate >= 0.5,
  };
  const lines = [
    "# bench:ingest",
    "",
    `Node ${process.version}, ${new Date().toISOString()}, PostgreSQL at ${new URL(url).host}`,
    "",
    `${EVENTS.toLocaleString("en-US")} generated ECS events, ${metrics.fileMb} MB NDJSON.`,
    "",
    "| path | seconds | events/s | peak RSS |",
    "|---|---|---|---|",
    `| wmi-triage ingest (parse, normalise, fingerprint, batched insert, dedupe) | ${metrics.ingestSeconds} | ${metrics.ingestEventsPerSec.toLocaleString("en-US")} | ${ours.maxRssMb} MB |`,
    `| psql \\copy into a one-column jsonb table | ${metrics.copySeconds} | ${metrics.copyEventsPerSec.toLocaleString("en-US")} | (psql) |`,
    "",
    `Ratio: **${metrics.ratio}** of COPY (goal >= 0.5: ${metrics.ratioGoalMet ? "met" : "NOT met"}).`,
  ];
  if (process.env.BENCH_BIG === "1") {
    const big = await ensureEventFile(BIG_EVENTS);
    const bigBytes = statSync(big).size;
    await prepareBenchDatabase("wmi_bench_ingest", { fresh: true });
    const result = ingestInChild(big, url);
    metrics.bigFileMb = Number((bigBytes / 1e6).toFixed(0));
    metrics.bigPeakRssMb = result.maxRssMb;
    metrics.bigGoalMet = result.maxRssMb < 300;
    lines.push("", `${(bigBytes / 1e9).toFixed(2)} GB file (${BIG_EVENTS.toLocaleString("en-US")} events): peak RSS **${result.maxRssMb} MB** (goal < 300 MB: ${result.maxRssMb < 300 ? "met" : "NOT met"}), ${Math.round(result.received / result.seconds).toLocaleString("en-US")} events/s.`);
  } else {
    lines.push("", "The 1 GB peak-RSS run is opt-in: `BENCH_BIG=1 npm run bench:ingest`.");
  }
  mkdirSync(join(ROOT, "results"), { recursive: true });
  writeFileSync(join(ROOT, "results", "ingest.json"), `${JSON.stringify({ date: new Date().toISOString(), node: process.version, ...metrics }, null, 2)}\n`);
  writeFileSync(join(ROOT, "results", "ingest.md"), `${lines.join("\n")}\n`);
  process.stdout.write(`${lines.join("\n")}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:ingest: ${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
