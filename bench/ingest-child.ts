// One measured ingest (spawned by bench/ingest.ts and bench/detect-alerts.ts): prints {received,
// stored, seconds, maxRssMb, cpuSeconds, dbCpuSeconds}. With --detect the rule runs after the
// ingest, as after an upload, and is timed on its own (detectSeconds, alerts); seconds is then
// the whole. With --parse-only it reads and normalises the file without storing anything (the JS
// half of the work), and prints {received, seconds, maxRssMb, cpuSeconds}.
import { execFileSync } from "node:child_process";
import { createReadStream, readFileSync } from "node:fs";
import { closeDb, getDb } from "@/lib/db/client";
import { readEventStream } from "@/lib/ingest/read-file";
import { detectForIngestJob } from "@/lib/services/detection-service";
import { toEventRow } from "@/lib/services/event-record";
import { ingestStream } from "@/lib/services/ingest/ingest-stream";

const parseOnly = process.argv.includes("--parse-only");
const detect = process.argv.includes("--detect");
const file = process.argv.filter((a) => !a.startsWith("--")).at(-1)!;
const open = () => createReadStream(file, { highWaterMark: 1 << 16 });
const cpuSeconds = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
};
const maxRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

/**
 * CPU seconds of each of the pool's server processes (by pid), when the server runs on this machine (else null). By
 * pid: the pool may replace an idle connection during a long run, and a sum over whichever processes are connected
 * then would subtract one process's seconds from another's (it once gave -1.4 s).
 */
async function serverCpuByPid(): Promise<Map<number, number> | null> {
  const { pool } = getDb();
  const clients = await Promise.all(Array.from({ length: pool.options.max ?? 1 }, () => pool.connect()));
  try {
    const ticks = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }));
    const byPid = new Map<number, number>();
    for (const client of clients) {
      const { rows } = await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
      // /proc/<pid>/stat: utime and stime are fields 14 and 15, after the parenthesised command name
      const fields = readFileSync(`/proc/${rows[0].pid}/stat`, "utf8").split(") ")[1].split(" ");
      byPid.set(rows[0].pid, (Number(fields[11]) + Number(fields[12])) / ticks);
    }
    return byPid;
  } catch {
    return null;
  } finally {
    for (const client of clients) client.release();
  }
}

/** CPU seconds the pool's server processes used since `start` (a process connected since then: all of its own). */
async function serverCpuSeconds(start?: Map<number, number> | null): Promise<number | null> {
  const now = await serverCpuByPid();
  if (now === null || start === null) return null;
  let total = 0;
  for (const [pid, seconds] of now) total += seconds - (start?.get(pid) ?? 0);
  return total;
}

const start = process.hrtime.bigint();
const cpuAtStart = cpuSeconds();
if (parseOnly) {
  let received = 0;
  for await (const result of readEventStream(open(), { fileName: file })) {
    received++;
    if (result.ok) toEventRow(result);
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  process.stdout.write(
    `${JSON.stringify({ received, seconds, maxRssMb: maxRssMb(), cpuSeconds: cpuSeconds() - cpuAtStart })}\n`,
  );
} else {
  const summary = await ingestStream({ source: "cli", fileName: file, stream: open(), skipDetection: true });
  const storeSeconds = Number(process.hrtime.bigint() - start) / 1e9;
  let detected: {
    detectSeconds: number;
    alerts: number;
    storeSeconds: number;
    storeMaxRssMb: number;
    detectCpuSeconds: number;
    detectDbCpuSeconds: number | null;
  } | null = null;
  if (detect && summary.status === "succeeded") {
    const storeMaxRssMb = maxRssMb();
    // CPU of this process and of the pool's server processes during the run alone: what the run
    // costs whatever else the host is doing (the wall time depends on the host's load)
    const dbCpuAtStart = await serverCpuByPid();
    const cpuAtDetect = cpuSeconds();
    const detectStart = process.hrtime.bigint();
    const run = await detectForIngestJob(summary.jobId, null);
    const detectSeconds = Number(process.hrtime.bigint() - detectStart) / 1e9;
    const detectCpuSeconds = cpuSeconds() - cpuAtDetect;
    const dbCpuSinceStart = await serverCpuSeconds(dbCpuAtStart);
    detected = {
      detectSeconds,
      alerts: run?.alertsCreated ?? 0,
      storeSeconds,
      storeMaxRssMb,
      detectCpuSeconds,
      detectDbCpuSeconds: dbCpuSinceStart,
    };
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const dbCpuSeconds = await serverCpuSeconds();
  await closeDb();
  if (summary.status !== "succeeded") {
    process.stderr.write(`${summary.message}\n`);
    process.exit(1);
  }
  process.stdout.write(
    `${JSON.stringify({ received: summary.received, stored: summary.stored, seconds, maxRssMb: maxRssMb(), cpuSeconds: cpuSeconds() - cpuAtStart, dbCpuSeconds, ...detected })}\n`,
  );
}
