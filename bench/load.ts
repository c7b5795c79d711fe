/**
 * `npm run bench:load`: pages under load. Signed-in clients (BENCH_CLIENTS, default 20) with no
 * think time alternate `/alerts` with filters and an alert page for BENCH_SECONDS (default 60),
 * first alone, then while a BENCH_UPLOAD_EVENTS-event file (default 100,000) is uploaded through
 * `/api/ingest`. Reports pages/s, p50, p95, max and errors of each phase, the upload's time and
 * counts, and the load average (other work on the machine shows there). Goal (issue 19):
 * >= 60 pages/s and p95 <= 300 ms on 2 cores; no error; the upload is not starved.
 *
 * Against BENCH_LOAD_URL when set (a running server whose demo accounts exist); else it prepares
 * its own database (wmi_bench_load: migrated, seeded with the demo accounts and recordings, plus
 * BENCH_LOAD_EVENTS generated events for alerts) and runs `next start` on BENCH_LOAD_PORT (3099)
 * from the current production build (`next build` first when there is none).
 * BENCH_UPLOAD_EVENTS=0 runs the first phase only and prints it without writing the results.
 * Bounded: every request has a 30 s timeout and the run ends after its phases.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { DEMO_ACCOUNTS } from "../lib/demo-accounts";
import { prepareBenchDatabase } from "./bench-db";
import { ensureEventFile } from "./generate-events";

const ROOT = dirname(fileURLToPath(import.meta.url));
const APP = resolve(ROOT, "..");
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 20);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const UPLOAD_EVENTS = Number(process.env.BENCH_UPLOAD_EVENTS ?? 100_000);
const DATA_EVENTS = Number(process.env.BENCH_LOAD_EVENTS ?? 20_000);
const PORT = Number(process.env.BENCH_LOAD_PORT ?? 3099);
const REQUEST_TIMEOUT_MS = 30_000;

const FILTERS = [
  "",
  "?status=open",
  "?status=open&status=acknowledged&sort=host&dir=asc",
  "?q=consumer",
  "?severity=medium&page=2",
  "?host=WS-1",
  "?sort=consumer&dir=desc&size=50",
];

interface PhaseResult {
  phase: string;
  seconds: number;
  pages: number;
  pagesPerSec: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  errors: number;
  firstErrors: string[];
  alertsPagesP95Ms: number;
  alertPageP95Ms: number;
  loadAverage: string;
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]);
}

async function signIn(base: string, email: string, password: string): Promise<string> {
  const response = await fetch(`${base}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: base },
    body: JSON.stringify({ email, password }),
    redirect: "manual",
  });
  if (!response.ok) throw new Error(`sign-in as ${email}: HTTP ${response.status} ${await response.text()}`);
  const cookies = response.headers.getSetCookie().map((c) => c.split(";")[0]);
  if (cookies.length === 0) throw new Error(`sign-in as ${email}: no session cookie`);
  return cookies.join("; ");
}

async function timedGet(url: string, cookie: string): Promise<{ ms: number; ok: boolean; status: number }> {
  const start = performance.now();
  try {
    const response = await fetch(url, {
      headers: { cookie },
      redirect: "manual",
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    await response.arrayBuffer();
    return { ms: performance.now() - start, ok: response.status === 200, status: response.status };
  } catch (error) {
    return { ms: performance.now() - start, ok: false, status: (error as Error).name === "TimeoutError" ? -1 : 0 };
  }
}

async function runPhase(
  phase: string,
  base: string,
  sessions: string[],
  alertIds: string[],
  until: () => boolean,
): Promise<PhaseResult> {
  const list: number[] = [];
  const detail: number[] = [];
  const errors: string[] = [];
  let errorCount = 0;
  const start = performance.now();
  const deadline = start + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, client) => {
      const cookie = sessions[client % sessions.length];
      for (let i = client; performance.now() < deadline && !until(); i++) {
        const isList = i % 2 === 0;
        const path = isList
          ? `/alerts${FILTERS[i % FILTERS.length]}`
          : `/alerts/${alertIds[(i * 7919) % alertIds.length]}`;
        const r = await timedGet(`${base}${path}`, cookie);
        (isList ? list : detail).push(r.ms);
        if (!r.ok) {
          errorCount++;
          if (errors.length < 5) errors.push(`${path}: ${r.status === -1 ? "timeout" : `HTTP ${r.status}`}`);
        }
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  const all = [...list, ...detail].sort((a, b) => a - b);
  return {
    phase,
    seconds: Number(seconds.toFixed(1)),
    pages: all.length,
    pagesPerSec: Number((all.length / seconds).toFixed(1)),
    p50Ms: percentile(all, 50),
    p95Ms: percentile(all, 95),
    maxMs: Math.round(all.at(-1) ?? 0),
    errors: errorCount,
    firstErrors: errors,
    alertsPagesP95Ms: percentile(
      list.sort((a, b) => a - b),
      95,
    ),
    alertPageP95Ms: percentile(
      detail.sort((a, b) => a - b),
      95,
    ),
    loadAverage: load(),
  };
}

async function upload(base: string, cookie: string, file: string) {
  const start = performance.now();
  const response = await fetch(`${base}/api/ingest?filename=${encodeURIComponent(`bench-load-${Date.now()}.ndjson`)}`, {
    method: "POST",
    headers: { cookie, origin: base, "content-type": "application/x-ndjson" },
    body: readFileSync(file),
  });
  const summary = (await response.json()) as { status: string; stored: number; alerts: number; message?: string };
  return { seconds: Number(((performance.now() - start) / 1000).toFixed(1)), httpStatus: response.status, ...summary };
}

function runNode(args: string[], env: NodeJS.ProcessEnv) {
  const r = spawnSync(process.execPath, args, { cwd: APP, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  if (r.status !== 0) throw new Error(`${args.join(" ")} failed: ${r.stderr || r.stdout}`);
}

async function startServer(): Promise<{ base: string; server: ChildProcess | null; dbUrl: string | null }> {
  if (process.env.BENCH_LOAD_URL) return { base: process.env.BENCH_LOAD_URL, server: null, dbUrl: null };
  const url = await prepareBenchDatabase("wmi_bench_load", { fresh: true });
  const env = {
    ...process.env,
    DATABASE_URL: url,
    NODE_ENV: "production" as const,
    NEXT_TELEMETRY_DISABLED: "1",
    BETTER_AUTH_SECRET: "bench-load-secret-bench-load-secret-0123456789",
    BETTER_AUTH_URL: `http://localhost:${PORT}`,
    WMI_SCHEDULER_DISABLED: "1",
    WMI_DATA_DIR: join(ROOT, "tmp", "load-data"),
  };
  runNode(["--conditions=react-server", "--import", "tsx", "scripts/seed.ts"], env);
  // alerts to browse: generated events through the real ingest and rule run
  runNode(
    [
      "--conditions=react-server",
      "--import",
      "tsx",
      join(ROOT, "ingest-child.ts"),
      "--detect",
      await ensureEventFile(DATA_EVENTS),
    ],
    env,
  );
  if (!existsSync(join(APP, ".next", "BUILD_ID")) || process.env.BENCH_LOAD_BUILD === "1") {
    process.stderr.write("bench:load: next build…\n");
    runNode(["node_modules/next/dist/bin/next", "build"], env);
  }
  const server = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", String(PORT)], {
    cwd: APP,
    env,
    stdio: ["ignore", "ignore", "inherit"],
  });
  const base = `http://localhost:${PORT}`;
  for (let i = 0; ; i++) {
    const up = await fetch(`${base}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (i > 240) throw new Error("the server did not start within 2 minutes");
    await new Promise((r) => setTimeout(r, 500));
  }
  return { base, server, dbUrl: url };
}

async function alertIdsOf(dbUrl: string | null, base: string, cookie: string): Promise<string[]> {
  if (dbUrl) {
    const client = new pg.Client({ connectionString: dbUrl });
    await client.connect();
    const { rows } = await client.query<{ id: string }>(
      `SELECT "id" FROM "alert" ORDER BY "event_timestamp" DESC LIMIT 500`,
    );
    await client.end();
    return rows.map((r) => r.id);
  }
  // a server of its own: read the ids off the alerts page
  const html = await (await fetch(`${base}/alerts?size=100`, { headers: { cookie } })).text();
  return [...new Set([...html.matchAll(/\/alerts\/([0-9a-f]{40})/g)].map((m) => m[1]))];
}

async function main() {
  const { base, server, dbUrl } = await startServer();
  try {
    // one session per demo account (the sign-in limiter allows a few sign-ins a minute per address); clients share them
    const sessions: string[] = [];
    for (const account of DEMO_ACCOUNTS) sessions.push(await signIn(base, account.email, account.password));
    const alertIds = await alertIdsOf(dbUrl, base, sessions[0]);
    if (alertIds.length === 0) throw new Error("no alerts to open");
    // warm-up: every page compiled and cached as the first users would find it
    await runPhase(
      "warm-up",
      base,
      sessions,
      alertIds,
      (() => {
        const end = Date.now() + 5000;
        return () => Date.now() > end;
      })(),
    );

    const alone = await runPhase("alone", base, sessions, alertIds, () => false);

    if (UPLOAD_EVENTS === 0) {
      // BENCH_UPLOAD_EVENTS=0: the phase alone (quick runs while profiling); results are not written
      process.stdout.write(`${JSON.stringify(alone)}\n`);
      return;
    }
    const file = await ensureEventFile(UPLOAD_EVENTS);
    let uploading = true;
    const uploadDone = upload(base, sessions[0], file).finally(() => (uploading = false));
    const during = await runPhase("during a 100k-event upload", base, sessions, alertIds, () => !uploading);
    const uploaded = await uploadDone;

    const metrics = {
      clients: CLIENTS,
      sessions: sessions.length,
      seconds: SECONDS,
      alertsInDatabase: alertIds.length,
      alone,
      during,
      upload: { events: UPLOAD_EVENTS, mb: Number((statSync(file).size / 1e6).toFixed(1)), ...uploaded },
      goal: { pagesPerSec: 60, p95Ms: 300 },
    };
    const row = (r: PhaseResult) =>
      `| ${r.phase} | ${r.seconds} | ${r.pages} | **${r.pagesPerSec}** | ${r.p50Ms} | **${r.p95Ms}** | ${r.maxMs} | ${r.alertsPagesP95Ms} / ${r.alertPageP95Ms} | ${r.errors} | ${r.loadAverage} |`;
    const lines = [
      "# bench:load",
      "",
      `Node ${process.version}, ${new Date().toISOString()}, ${CLIENTS} signed-in clients (${sessions.length} sessions), no think time, ` +
        `alternating /alerts (7 filter/sort/search variants) and alert pages (${alertIds.length} alerts to pick from), \`next start\`.`,
      "",
      "| phase | s | pages | pages/s | p50 ms | p95 ms | max ms | p95 ms /alerts / alert page | errors | load average (1, 5, 15 min) at the end |",
      "|---|---|---|---|---|---|---|---|---|---|",
      row(alone),
      row(during),
      "",
      `Upload during the second phase: ${UPLOAD_EVENTS.toLocaleString("en-US")} events (${metrics.upload.mb} MB) through /api/ingest, ` +
        `HTTP ${uploaded.httpStatus}, ${uploaded.status}, ${uploaded.stored} stored, ${uploaded.alerts} alerts, ${uploaded.seconds} s.`,
      "",
      `Goal: >= 60 pages/s and p95 <= 300 ms (alone: ${alone.pagesPerSec >= 60 && alone.p95Ms <= 300 ? "met" : "NOT met"}; ` +
        `during the upload: ${during.pagesPerSec >= 60 && during.p95Ms <= 300 ? "met" : "NOT met"}).`,
      ...(alone.firstErrors.length || during.firstErrors.length
        ? ["", `First errors: ${[...alone.firstErrors, ...during.firstErrors].join("; ")}`]
        : []),
    ];
    mkdirSync(join(ROOT, "results"), { recursive: true });
    writeFileSync(
      join(ROOT, "results", "load.json"),
      `${JSON.stringify({ date: new Date().toISOString(), node: process.version, ...metrics }, null, 2)}\n`,
    );
    writeFileSync(join(ROOT, "results", "load.md"), `${lines.join("\n")}\n`);
    process.stdout.write(`${lines.join("\n")}\n`);
  } finally {
    server?.kill("SIGTERM");
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:load: ${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
