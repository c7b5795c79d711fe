import "server-only";
import { createReadStream, existsSync } from "node:fs";
import path from "node:path";
import { hashPassword } from "@/lib/auth/auth";
import { getDb } from "@/lib/db/client";
import { installShippedPacks } from "@/lib/data/training-packs";
import { DEMO_ACCOUNTS } from "@/lib/demo-accounts";
import { getEnv } from "@/lib/env";
import { ingestStream } from "@/lib/services/ingest/ingest-stream";

/** Real recordings from ../shared/datasets (GPL-3.0, EVTX-ATTACK-SAMPLES), read in place, never copied. */
const DEMO_FILES = [
  "evtx-attack-samples/derived-xml/PanacheSysmon_vs_AtomicRedTeam01.evtx.xml",
  "evtx-attack-samples/derived-xml/wmighost_sysmon_20_21_1.evtx.xml",
  "evtx-attack-samples/derived-xml/sysmon_20_21_1_CommandLineEventConsumer.evtx.xml",
];

/**
 * Idempotent: running it twice changes nothing the second time. Demo users get a better-auth
 * credential account (providerId "credential", bcrypt hash), exactly what sign-in checks.
 */
export async function seedDemoContent(opts: { datasetsDir?: string } = {}): Promise<string[]> {
  const { prisma } = getDb();
  const lines: string[] = [];
  let created = 0;
  for (const account of DEMO_ACCOUNTS) {
    const existing = await prisma.user.findUnique({
      where: { email: account.email },
      select: { id: true, accounts: { select: { id: true } } },
    });
    if (existing && existing.accounts.length) continue;
    const passwordHash = await hashPassword(account.password);
    await prisma.$transaction(async (tx) => {
      const user =
        existing ??
        (await tx.user.create({
          data: { id: account.id, email: account.email, name: account.name, role: account.role, emailVerified: true },
          select: { id: true, accounts: { select: { id: true } } },
        }));
      await tx.account.create({
        data: {
          id: `${user.id}-credential`,
          accountId: user.id,
          providerId: "credential",
          userId: user.id,
          password: passwordHash,
        },
      });
    });
    created++;
  }
  lines.push(`${created} demo user(s) created, ${DEMO_ACCOUNTS.length - created} already present`);
  if (getEnv().WMI_DEMO_EVENTS === "0") lines.push("demo events not loaded (WMI_DEMO_EVENTS=0)");
  else {
    lines.push(await seedDemoEvents(opts.datasetsDir ?? path.resolve(getEnv().WMI_DATASETS_DIR)));
    lines.push(await seedTrainingPacks());
  }
  return lines;
}

/** Training packs are built from the same real recordings; a missing file is reported, never fatal. */
async function seedTrainingPacks(): Promise<string> {
  const results = await installShippedPacks();
  const installed = results.filter((r) => r.status === "installed").length;
  const present = results.filter((r) => r.status === "already-installed").length;
  const failed = results.filter((r) => r.status !== "installed" && r.status !== "already-installed");
  const tail = failed.length ? `; not installed: ${failed.map((r) => `${r.packId} (${r.message})`).join(", ")}` : "";
  return `${installed} training pack(s) installed, ${present} already present${tail}`;
}

async function seedDemoEvents(datasetsDir: string): Promise<string> {
  const { prisma } = getDb();
  if (await prisma.ingestJob.count({ where: { source: "demo", status: "succeeded" } }))
    return "demo events already loaded";
  const files = DEMO_FILES.map((f) => path.join(datasetsDir, f)).filter((f) => existsSync(f));
  if (files.length === 0) return `demo events skipped: no dataset files under ${datasetsDir}`;
  let stored = 0;
  let alerts = 0;
  for (const file of files) {
    const summary = await ingestStream({
      source: "demo",
      fileName: path.basename(file),
      stream: createReadStream(file),
      userId: "demo-lead",
    });
    stored += summary.stored;
    alerts += summary.alerts;
  }
  return `demo events loaded from ${files.length} real recording(s): ${stored} events, ${alerts} alert(s)`;
}
