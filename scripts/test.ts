// npm test — typecheck, lint, unit tests, integration tests against a real Postgres
// (DATABASE_URL when set, else a fresh embedded one), and Playwright e2e in Chromium.
// Ends with one "N passed, N failed" line summing every runner.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { migrateDatabase, openDatabase } from "@/lib/db/bootstrap";

const only = process.argv.slice(2); // e.g. `npm test -- unit integration`
const wants = (stage: string) => only.length === 0 || only.includes(stage);
const totals = { passed: 0, failed: 0, skipped: 0 };
const failures: string[] = [];

function run(stage: string, cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  console.log(`\n=== ${stage}: ${cmd} ${args.join(" ")}`);
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: "inherit", env: { ...env, NEXT_TELEMETRY_DISABLED: "1" } });
    child.on("exit", (code) => {
      if (code !== 0) failures.push(`${stage} (exit ${code})`);
      resolve(code === 0);
    });
  });
}

async function countVitest(file: string) {
  if (!existsSync(file)) return;
  const report = JSON.parse(await readFile(file, "utf8"));
  totals.passed += report.numPassedTests ?? 0;
  totals.failed += report.numFailedTests ?? 0;
  totals.skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
}

async function countPlaywright(file: string) {
  if (!existsSync(file)) return;
  const report = JSON.parse(await readFile(file, "utf8"));
  totals.passed += report.stats?.expected ?? 0;
  totals.failed += (report.stats?.unexpected ?? 0) + (report.stats?.flaky ?? 0);
  totals.skipped += report.stats?.skipped ?? 0;
}

const bin = (name: string) => path.resolve("node_modules/.bin", name);
await rm("test-results", { recursive: true, force: true });

if (wants("typecheck")) {
  await run("prisma generate", bin("prisma"), ["generate"]);
  await run("typecheck", bin("tsc"), ["--noEmit", "-p", "."]);
}
if (wants("lint")) {
  await run("lint", bin("eslint"), [".", "--max-warnings=0"]);
  // the whole import graph: no cycles, layers pointing down (.dependency-cruiser.mjs)
  await run("lint:imports", bin("depcruise"), [
    "app",
    "components",
    "lib",
    "scripts",
    "bench",
    "instrumentation.ts",
    "--config",
    ".dependency-cruiser.mjs",
  ]);
}
if (wants("format")) await run("format", bin("prettier"), ["--check", "."]);
if (wants("unit")) {
  await run("unit", bin("vitest"), [
    "run",
    "--project",
    "unit",
    "--reporter=default",
    "--reporter=json",
    "--outputFile=test-results/unit.json",
  ]);
  await countVitest("test-results/unit.json");
}

/**
 * A migrated database for one stage. Integration uses DATABASE_URL itself; e2e gets a sibling
 * database `<name>_e2e` on the same server (dropped afterwards; when the role may not create
 * databases it falls back to DATABASE_URL, with a warning). Without DATABASE_URL each stage gets a
 * new embedded Postgres in a temp folder. So one stage's leftovers never shape the other's results.
 */
async function withFreshDatabase(stage: string, fn: (env: NodeJS.ProcessEnv) => Promise<void>): Promise<void> {
  const log = (l: string) => console.log(`[test] ${l}`);
  let url = process.env.DATABASE_URL;
  let dropSibling: (() => Promise<void>) | null = null;
  if (url && stage === "e2e") {
    const base = new URL(url);
    const name = `${base.pathname.slice(1)}_${stage}`.slice(0, 63);
    const admin = new URL(url);
    admin.pathname = "/postgres";
    const exec = async (sql: string) => {
      const client = new pg.Client({ connectionString: admin.toString() });
      await client.connect();
      try {
        await client.query(sql);
      } finally {
        await client.end();
      }
    };
    const quoted = `"${name.replaceAll('"', '""')}"`;
    try {
      await exec(`DROP DATABASE IF EXISTS ${quoted} WITH (FORCE)`);
      await exec(`CREATE DATABASE ${quoted}`);
      dropSibling = () => exec(`DROP DATABASE IF EXISTS ${quoted} WITH (FORCE)`);
      base.pathname = `/${name}`;
      url = base.toString();
    } catch (error) {
      log(
        `WARNING: could not create database ${name} (${error instanceof Error ? error.message : String(error)}); e2e runs on DATABASE_URL after the integration tests`,
      );
    }
  }
  const dataDir = url ? "" : await mkdtemp(path.join(tmpdir(), `wmi-test-${stage}-`));
  const port = 55000 + Math.floor(Math.random() * 5000);
  const db = await openDatabase({ databaseUrl: url, dataDir, embeddedPort: port, log });
  try {
    await migrateDatabase(db.url, log);
    await fn({
      ...process.env,
      DATABASE_URL: db.url,
      DATABASE_POOL_MAX: String(db.poolMax),
      WMI_SCHEDULER_DISABLED: "1",
      WMI_EMBEDDED: db.embedded ? "1" : "0",
      // e2e tests create the data they need; the demo recordings would only get in their way
      WMI_DEMO_EVENTS: "0",
      BETTER_AUTH_SECRET: process.env.BETTER_AUTH_SECRET ?? randomBytes(32).toString("hex"),
      BETTER_AUTH_URL: `http://localhost:${process.env.E2E_PORT ?? 3210}`,
    });
  } finally {
    await db.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    await dropSibling?.().catch((error: unknown) => log(`could not drop the ${stage} database: ${String(error)}`));
  }
}

if (wants("integration")) {
  await withFreshDatabase("integration", async (env) => {
    await run(
      "integration",
      bin("vitest"),
      [
        "run",
        "--project",
        "integration",
        "--reporter=default",
        "--reporter=json",
        "--outputFile=test-results/integration.json",
      ],
      env,
    );
    await countVitest("test-results/integration.json");
  });
}
if (wants("e2e")) {
  await withFreshDatabase("e2e", async (env) => {
    const built = await run("build", process.execPath, ["node_modules/next/dist/bin/next", "build"], {
      ...env,
      NODE_ENV: "production",
    });
    const seeded = await run(
      "seed",
      process.execPath,
      ["--conditions=react-server", "--import", "tsx", "scripts/seed.ts"],
      env,
    );
    if (built && seeded) {
      // E2E_SPECS="e2e/alerts e2e/cases/x.spec.ts" runs only those specs (for working on one journey)
      const specs = (process.env.E2E_SPECS ?? "").split(/\s+/).filter(Boolean);
      // the webhooks spec's receiver listens on 127.0.0.1 (lib/webhooks/webhook-target.ts)
      await run("e2e", bin("playwright"), ["test", ...specs], { ...env, WEBHOOK_ALLOW_PRIVATE: "1" });
      await countPlaywright("test-results/e2e.json");
    }
  });
}

console.log("");
if (failures.length) console.log(`failed stages: ${failures.join(", ")}`);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exitCode = failures.length || totals.failed ? 1 : 0;
