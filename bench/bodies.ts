/**
 * `npm run bench:bodies`: what an oversized request costs the running server. Starts the built
 * app (`next start`; run `npm run build` first) on a benchmark database, then sends BENCH_BODY_MB
 * (default 400) MB as a chunked body (no Content-Length) to POST /api/es/_bulk (limit 100 MiB,
 * Elasticsearch's http.max_content_length) and to POST /api/ingest (limit set to 100 MiB here
 * with WMI_MAX_INGEST_BYTES), as fast as the socket takes it, and reports the answer, how much was
 * sent before it came, and the server's resident memory before, at peak (VmHWM of the server
 * process tree) and after. Goal: 413, and memory flat (peak growth well under the body size).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { prepareBenchDatabase } from "./bench-db";

const ROOT = dirname(fileURLToPath(import.meta.url));
const RESULTS = join(ROOT, "results");
const MB = 1024 * 1024;
const BODY_MB = Number(process.env.BENCH_BODY_MB ?? 400);
const PORT = Number(process.env.BENCH_PORT ?? 3399);
const LIMIT = 100 * MB;

/** Resident and peak memory (KiB) of a process and all its descendants, from /proc. */
function memoryOf(root: number): { rss: number; hwm: number } {
  const parents = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // gone meanwhile
    }
  }
  const tree = new Set([root]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, ppid] of parents)
      if (tree.has(ppid) && !tree.has(pid)) {
        tree.add(pid);
        grew = true;
      }
  }
  let rss = 0;
  let hwm = 0;
  for (const pid of tree) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, "utf8");
      rss += Number(status.match(/VmRSS:\s+(\d+)/)?.[1] ?? 0);
      hwm += Number(status.match(/VmHWM:\s+(\d+)/)?.[1] ?? 0);
    } catch {
      // gone meanwhile
    }
  }
  return { rss, hwm };
}

type Outcome = { status: number; sentMB: number; ms: number; body: string };

/** Sends `total` bytes chunked, stopping when the answer arrives. */
function sendChunked(path: string, token: string, total: number, line: string): Promise<Outcome> {
  const chunk = Buffer.from(line.repeat(Math.ceil(MB / line.length)).slice(0, MB));
  const started = Date.now();
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = request(
      { host: "127.0.0.1", port: PORT, path, method: "POST", headers: { authorization: `Bearer ${token}` } },
      (res) => {
        answered = true;
        let body = "";
        res.on("data", (d) => (body += d));
        res.on("end", () => {
          resolve({
            status: res.statusCode ?? 0,
            sentMB: sent / MB,
            ms: Date.now() - started,
            body: body.slice(0, 300),
          });
          req.destroy();
        });
      },
    );
    req.on("error", (e) => (answered ? undefined : reject(e)));
    const pump = () => {
      while (!answered && sent < total) {
        sent += chunk.byteLength;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      if (!answered) req.end();
    };
    pump();
  });
}

async function waitForServer(): Promise<void> {
  for (let i = 0; i < 120; i++) {
    try {
      const r = await fetch(`http://127.0.0.1:${PORT}/api/health`);
      if (r.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error("the app did not start");
}

async function main() {
  if (!existsSync(join(ROOT, "..", process.env.NEXT_DIST_DIR ?? ".next", "BUILD_ID")))
    throw new Error("no production build: run `npm run build` first");
  const url = await prepareBenchDatabase("wmi_bench_bodies", { fresh: true });
  const { getDb, closeDb } = await import("@/lib/db/client");
  const { createApiToken } = await import("@/lib/data/api-tokens");
  await getDb().prisma.user.create({
    data: { id: "bench-bodies", name: "Bench", email: "bench-bodies@bench.local", role: "admin" },
  });
  const { token } = await createApiToken("bench-bodies", "bench-bodies");
  await closeDb();

  const server: ChildProcess = spawn(
    process.execPath,
    ["node_modules/next/dist/bin/next", "start", "-p", String(PORT)],
    {
      env: {
        ...process.env,
        DATABASE_URL: url,
        NODE_ENV: "production",
        WMI_SCHEDULER_DISABLED: "1",
        WMI_MAX_INGEST_BYTES: String(LIMIT),
        BETTER_AUTH_SECRET: "bench-bodies-secret-0123456789abcdef0123456789",
        NEXT_TELEMETRY_DISABLED: "1",
      },
      stdio: "ignore",
    },
  );
  const rows: string[] = [];
  const json: Record<string, unknown>[] = [];
  try {
    await waitForServer();
    await fetch(`http://127.0.0.1:${PORT}/api/health`);
    const cases = [
      {
        name: "POST /api/es/_bulk",
        path: "/api/es/_bulk",
        line: '{"create":{"_index":"bench"}}\n{"@timestamp":"2024-01-01T00:00:00Z"}\n',
      },
      // valid JSON lines that are not events: each is rejected cheaply, nothing is stored
      {
        name: "POST /api/ingest",
        path: "/api/ingest?filename=bench-bodies.ndjson&format=ecs-ndjson",
        line: '{"a":1}\n',
      },
    ];
    for (const c of cases) {
      await new Promise((r) => setTimeout(r, 1000));
      const before = memoryOf(server.pid!);
      const outcome = await sendChunked(c.path, token, BODY_MB * MB, c.line);
      await new Promise((r) => setTimeout(r, 1000));
      const after = memoryOf(server.pid!);
      const row = {
        request: c.name,
        bodyMB: BODY_MB,
        status: outcome.status,
        sentBeforeAnswerMB: Math.round(outcome.sentMB),
        answerMs: outcome.ms,
        rssBeforeMB: Math.round(before.rss / 1024),
        peakMB: Math.round(after.hwm / 1024),
        peakGrowthMB: Math.round((after.hwm - Math.max(before.hwm, before.rss)) / 1024),
        rssAfterMB: Math.round(after.rss / 1024),
        answer: outcome.body,
      };
      console.log(row);
      json.push(row);
      rows.push(
        `| ${row.request} | ${row.status} | ${row.sentBeforeAnswerMB} MB | ${row.answerMs} ms | ${row.rssBeforeMB} MB | ${row.peakMB} MB (+${Math.max(0, row.peakGrowthMB)}) | ${row.rssAfterMB} MB |`,
      );
    }
  } finally {
    server.kill("SIGTERM");
  }
  mkdirSync(RESULTS, { recursive: true });
  const when = new Date().toISOString();
  writeFileSync(
    join(RESULTS, "bodies.json"),
    `${JSON.stringify({ when, node: process.version, results: json }, null, 2)}\n`,
  );
  writeFileSync(
    join(RESULTS, "bodies.md"),
    [
      "# bench:bodies",
      "",
      `A ${BODY_MB} MB chunked body (no Content-Length) sent as fast as the server reads it to the running app (\`next start\`); limits 100 MiB; Node ${process.version}, ${when}. Memory is the server's process tree (VmRSS; peak = VmHWM, which only grows, so each peak includes the runs before it).`,
      "",
      "| request | answer | sent before the answer | time to answer | RSS before | peak | RSS after |",
      "|---|---|---|---|---|---|---|",
      ...rows,
      "",
    ].join("\n"),
  );
}

await main();
