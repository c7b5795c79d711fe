/**
 * `npm run bench:detect-alerts`: the rule run after an ingest, as after an upload — alerts
 * created per second (goal >= 5,000/s) and peak RSS, on a generated file (BENCH_EVENTS, default
 * 300,000 events, ~3 % matching, 500 hosts whose Sysmon 19/20/21 events the run loads). The
 * ingest runs first in the same process (skipDetection), then detectForIngestJob is timed alone.
 * Two sizes show whether memory grows with the number of matches.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { prepareBenchDatabase } from "./bench-db";
import { ensureEventFile } from "./generate-events";

const ROOT = dirname(fileURLToPath(import.meta.url));
const EVENTS = Number(process.env.BENCH_EVENTS ?? 300_000);

interface Measured {
  received: number;
  stored: number;
  storeSeconds: number;
  storeMaxRssMb: number;
  detectSeconds: number;
  detectCpuSeconds: number;
  detectDbCpuSeconds: number | null;
  alerts: number;
  maxRssMb: number;
}

async function measure(events: number): Promise<Measured & { events: number; load: string }> {
  const file = await ensureEventFile(events);
  const url = await prepareBenchDatabase("wmi_bench_detect_alerts", { fresh: true });
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
  const child = spawnSync(
    process.execPath,
    ["--conditions=react-server", "--import", "tsx", join(ROOT, "ingest-child.ts"), "--detect", file],
    { env: { ...process.env, DATABASE_URL: url, DATABASE_POOL_MAX: "2" }, encoding: "utf8", maxBuffer: 1 << 20 },
  );
  if (child.status !== 0) throw new Error(`ingest child failed: ${child.stderr}`);
  return { events, load, ...(JSON.parse(child.stdout.trim().split("\n").at(-1)!) as Measured) };
}

async function main() {
  const small = await measure(Math.round(EVENTS / 3));
  const full = await measure(EVENTS);
  const rate = (m: Measured) => Math.round(m.alerts / m.detectSeconds);
  // CPU-seconds of the run (this process + its PostgreSQL connections): the host's load does not inflate them
  const cpu = (m: Measured) => m.detectCpuSeconds + (m.detectDbCpuSeconds ?? 0);
  const metrics = {
    events: EVENTS,
    alerts: full.alerts,
    detectSeconds: Number(full.detectSeconds.toFixed(2)),
    alertsPerSec: rate(full),
    nodeCpuSeconds: Number(full.detectCpuSeconds.toFixed(2)),
    dbCpuSeconds: full.detectDbCpuSeconds === null ? null : Number(full.detectDbCpuSeconds.toFixed(2)),
    alertsPerCpuSecond: Math.round(full.alerts / cpu(full)),
    goal: 5000,
    goalMet: rate(full) >= 5000,
    storeSeconds: Number(full.storeSeconds.toFixed(1)),
    peakRssMbAfterStore: full.storeMaxRssMb,
    peakRssMb: full.maxRssMb,
    smallEvents: small.events,
    smallAlerts: small.alerts,
    smallAlertsPerSec: rate(small),
    smallPeakRssMb: small.maxRssMb,
    loadAverage: full.load,
  };
  const row = (m: Measured & { events: number; load: string }) =>
    `| ${m.events.toLocaleString("en-US")} | ${m.alerts.toLocaleString("en-US")} | ${m.detectSeconds.toFixed(2)} | **${rate(m).toLocaleString("en-US")}** | ${m.detectCpuSeconds.toFixed(1)} + ${m.detectDbCpuSeconds?.toFixed(1) ?? "?"} | ${Math.round(m.alerts / cpu(m)).toLocaleString("en-US")} | ${m.storeMaxRssMb} MB | ${m.maxRssMb} MB | ${m.load} |`;
  const lines = [
    "# bench:detect-alerts",
    "",
    `Node ${process.version}, ${new Date().toISOString()}, PostgreSQL at ${new URL(process.env.DATABASE_URL!).host}`,
    "",
    "The rule run after an ingest (detectForIngestJob, uncapped) over generated ECS events (~3 % matching, 500 hosts,",
    "a quarter of the events Sysmon 19/20/21), timed alone after the ingest in the same process. CPU: seconds the run",
    "used in Node.js + in its PostgreSQL connections (the wall time on these shared 2 cores depends on the host's load;",
    "alerts per CPU-second is what the run would reach with a core to itself for each).",
    "",
    "| events | alerts created | rule run, s | alerts/s | CPU Node + PostgreSQL, s | alerts per CPU-second | peak RSS after the ingest | peak RSS after the run | load average (1, 5, 15 min) |",
    "|---|---|---|---|---|---|---|---|---|",
    row(small),
    row(full),
    "",
    `Goal >= 5,000 alerts/s: ${metrics.goalMet ? "met" : "NOT met"}.`,
  ];
  mkdirSync(join(ROOT, "results"), { recursive: true });
  writeFileSync(
    join(ROOT, "results", "detect-alerts.json"),
    `${JSON.stringify({ date: new Date().toISOString(), node: process.version, ...metrics }, null, 2)}\n`,
  );
  writeFileSync(join(ROOT, "results", "detect-alerts.md"), `${lines.join("\n")}\n`);
  process.stdout.write(`${lines.join("\n")}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:detect-alerts: ${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
