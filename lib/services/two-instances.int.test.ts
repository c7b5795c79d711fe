import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { closeDb, getDb } from "@/lib/db/client";
import { CURRENT_RULE } from "@/lib/rule/rules";
import { ingestStream } from "@/lib/services/ingest/ingest-stream";
import { sysmon21Doc } from "@/lib/triage/testing/sysmon-docs";

/**
 * Two app instances' workers are two processes on one database: each scheduled window is run by
 * exactly one of them (the run row's unique window key), and no alert is created twice. The
 * uploads and status changes through two HTTP servers are in e2e/scale/two-instances.spec.ts.
 */
const CHILD = "lib/services/testing/scheduled-run-process.ts";
const ruleId = `two-instances-${process.pid}-${Date.now()}`;
const base = Date.UTC(2033, 0, 1) + (Date.now() % 1_000_000) * 60_000;
const at = (minutes: number) => new Date(base + minutes * 60_000);

const sysmon21 = (host: string, timestamp: Date) =>
  sysmon21Doc({
    host,
    consumer: `c-${host}`,
    filter: `f-${host}`,
    at: timestamp.toISOString(),
    user: { name: "tester" },
  });

/** Starts an instance's worker process and resolves once it is connected. */
async function startInstance(tick: Date) {
  const child = spawn(
    process.execPath,
    ["--conditions=react-server", "--import", "tsx", CHILD, tick.toISOString(), ruleId],
    {
      env: { ...process.env, DATABASE_POOL_MAX: "2" },
      stdio: ["pipe", "pipe", "inherit"],
    },
  );
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  expect((await lines.next()).value).toBe("ready");
  return {
    go: async () => {
      child.stdin!.write("go\n");
      const out = (await lines.next()).value as string;
      child.stdin!.end();
      return JSON.parse(out) as { status: string; alertsCreated: number };
    },
  };
}

afterAll(async () => {
  await closeDb();
});

describe("two instances on one database", () => {
  it("run each scheduled window once, whichever process claims it, with no duplicate alert", async () => {
    const hosts = [1, 2, 3].map((i) => `${ruleId}-h${i}`);
    const text = hosts.map((h, i) => JSON.stringify(sysmon21(h, at(-1 - i)))).join("\n");
    const stored = await ingestStream({
      source: "api",
      fileName: `${ruleId}.ndjson`,
      stream: Readable.from([Buffer.from(text)]),
      skipDetection: true,
    });
    expect(stored.stored).toBe(3);

    const [a, b] = await Promise.all([startInstance(at(0)), startInstance(at(0))]);
    const outcomes = await Promise.all([a.go(), b.go()]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(["ran", "skipped-claimed"]);
    expect(outcomes.reduce((n, o) => n + o.alertsCreated, 0)).toBe(3);

    const { prisma } = getDb();
    expect(await prisma.ruleRun.count({ where: { ruleId, kind: "scheduled" } })).toBe(1);
    const alerts = await prisma.alert.findMany({ where: { ruleId }, select: { hostName: true } });
    expect(alerts.map((x) => x.hostName).sort()).toEqual(hosts);

    // the next tick, again on both: the next window, again run once, nothing created twice
    const [c, d] = await Promise.all([startInstance(at(5)), startInstance(at(5))]);
    const next = await Promise.all([c.go(), d.go()]);
    expect(next.map((o) => o.status).sort()).toEqual(["ran", "skipped-claimed"]);
    expect(await prisma.ruleRun.count({ where: { ruleId, kind: "scheduled" } })).toBe(2);
    expect(await prisma.alert.count({ where: { ruleId } })).toBe(3);
    expect(CURRENT_RULE.ruleId).not.toBe(ruleId);
  });
});
