// npm start — the one command that runs the product: database (embedded when DATABASE_URL is
// unset), migrations, idempotent demo seed, production build when sources changed, then Next.js.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { migrateDatabase, openDatabase } from "@/lib/db/bootstrap";
import { describeDemoAccounts } from "@/lib/demo-accounts";
import { getEnv } from "@/lib/env";

const dev = process.argv.includes("--dev");
const env = getEnv();
const nextBin = path.resolve("node_modules/next/dist/bin/next");

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "generated" || entry.name.startsWith(".")) continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

function buildIsStale(): boolean {
  const buildId = path.resolve(env.NEXT_DIST_DIR, "BUILD_ID");
  if (!existsSync(buildId)) return true;
  const built = statSync(buildId).mtimeMs;
  return ["app", "components", "lib", "public"].some((d) => existsSync(d) && newestMtime(d) > built);
}

/** The session-signing secret: BETTER_AUTH_SECRET, else one generated once and kept in the data folder. */
function authSecret(): string {
  if (env.BETTER_AUTH_SECRET) return env.BETTER_AUTH_SECRET;
  const file = path.resolve(env.WMI_DATA_DIR, "auth-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(path.dirname(file), { recursive: true });
  const secret = randomBytes(32).toString("hex");
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

function run(args: string[], childEnv: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: "inherit", env: childEnv });
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function main(): Promise<number> {
  const db = await openDatabase({
    databaseUrl: env.DATABASE_URL,
    dataDir: env.WMI_DATA_DIR,
    embeddedPort: env.EMBEDDED_PG_PORT,
    log: (l) => console.log(`[wmi-triage] ${l}`),
  });
  const stopDb = async () => db.stop().catch(() => {});
  try {
    await migrateDatabase(db.url, (l) => console.log(`[wmi-triage] ${l}`));
  } catch (error) {
    console.error(`[wmi-triage] ${error instanceof Error ? error.message : error}`);
    console.error("[wmi-triage] start-up stopped: the database is as it was before this migration.");
    await stopDb();
    return 1;
  }

  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: db.url,
    DATABASE_POOL_MAX: String(Math.min(db.poolMax, env.DATABASE_POOL_MAX)),
    NEXT_TELEMETRY_DISABLED: "1",
    BETTER_AUTH_SECRET: authSecret(),
    WMI_EMBEDDED: db.embedded ? "1" : "0",
    BETTER_AUTH_URL: env.BETTER_AUTH_URL ?? `http://localhost:${env.PORT}`,
  };

  const seedCode = await run(["--conditions=react-server", "--import", "tsx", "scripts/seed.ts"], childEnv);
  if (seedCode !== 0) {
    console.error("[wmi-triage] seeding the demo content failed (see above)");
    await stopDb();
    return seedCode;
  }

  if (!dev && buildIsStale()) {
    console.log("[wmi-triage] building the app (next build)…");
    const code = await run([nextBin, "build"], { ...childEnv, NODE_ENV: "production" });
    if (code !== 0) {
      await stopDb();
      return code;
    }
  }

  const args = [nextBin, dev ? "dev" : "start", "-p", String(env.PORT)];
  const child = spawn(process.execPath, args, { stdio: ["inherit", "pipe", "inherit"], env: childEnv });
  let announced = false;
  child.stdout.on("data", (chunk: Buffer) => {
    process.stdout.write(chunk);
    if (!announced && /ready|Local:/i.test(chunk.toString())) {
      announced = true;
      console.log(`\n[wmi-triage] open http://localhost:${env.PORT}`);
      console.log("[wmi-triage] demo accounts (demo only — change or remove them for real use):");
      for (const line of describeDemoAccounts()) console.log(`[wmi-triage]   ${line}`);
    }
  });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on("SIGINT", forward);
  process.on("SIGTERM", forward);
  const code: number = await new Promise((resolve) => child.on("exit", (c, s) => resolve(c ?? (s ? 0 : 1))));
  await stopDb();
  return code;
}

process.exitCode = await main().catch(async (error) => {
  console.error(`[wmi-triage] ${error instanceof Error ? error.message : error}`);
  return 1;
});
