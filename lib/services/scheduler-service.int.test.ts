import { Readable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { closeDb, getDb } from "@/lib/db/client";
import { CURRENT_RULE, type RuleDefinition } from "@/lib/rule/rules";
import { MAX_SIGNALS_WARNING } from "@/lib/detection/run";
import { executeRun } from "@/lib/services/detection-service";
import { ingestStream } from "@/lib/services/ingest/ingest-stream";
import { failStaleRuns, runScheduledDetection } from "@/lib/services/scheduler-service";

// Every test gets its own rule id (so alerts and runs are its own) and its own stretch of time in
// 2031+ (so no other test's events fall into its windows). The clock is always an argument.
let counter = 0;
function scenario() {
  counter++;
  const rule: RuleDefinition = { ...CURRENT_RULE, ruleId: `test-${process.pid}-${Date.now()}-${counter}` };
  const base = Date.UTC(2031, 0, 1) + (Date.now() % 1_000_000) * 60_000 + counter * 86_400_000;
  const at = (minutes: number) => new Date(base + minutes * 60_000);
  return { rule, at };
}

function sysmon21(id: string, timestamp: Date, ingested?: Date) {
  return {
    "@timestamp": timestamp.toISOString(),
    event: {
      code: "21",
      dataset: "windows.sysmon_operational",
      kind: "event",
      ...(ingested ? { ingested: ingested.toISOString() } : {}),
    },
    host: { name: `sched-${id}` },
    user: { name: "tester" },
    winlog: {
      computer_name: `sched-${id}`,
      event_data: {
        Operation: "Created",
        Consumer: ` "\\\\\\\\.\\\\ROOT\\\\subscription:CommandLineEventConsumer.Name=\\"c-${id}\\""`,
        Filter: ` "\\\\\\\\.\\\\ROOT\\\\subscription:__EventFilter.Name=\\"f-${id}\\""`,
      },
    },
    message: id,
  };
}

async function store(docs: object[]) {
  const text = docs.map((d) => JSON.stringify(d)).join("\n");
  const summary = await ingestStream({
    source: "api",
    fileName: "sched.ndjson",
    stream: Readable.from([Buffer.from(text)]),
    skipDetection: true,
  });
  expect(summary.stored).toBe(docs.length);
}

const alertsOf = (rule: RuleDefinition) =>
  getDb().prisma.alert.findMany({ where: { ruleId: rule.ruleId }, orderBy: { eventTimestamp: "asc" } });

afterAll(async () => {
  await closeDb();
});

describe("scheduled detection runs", () => {
  it("never creates a second alert for an event seen by two overlapping windows", async () => {
    const { rule, at } = scenario();
    await store([sysmon21(`${rule.ruleId}-a`, at(-2))]);
    const first = await runScheduledDetection(at(0), rule);
    expect(first.status).toBe("ran");
    expect(first.result).toMatchObject({ matches: 1, alertsCreated: 1, truncated: false });
    const second = await runScheduledDetection(at(5), rule); // window at(-4)..at(5) overlaps
    expect(second.result).toMatchObject({ matches: 1, alertsCreated: 0 });
    expect(await alertsOf(rule)).toHaveLength(1);
  });

  it("creates at most 100 alerts per run, keeps the most recent, and records Kibana's warning", async () => {
    const { rule, at } = scenario();
    await store(
      Array.from({ length: 150 }, (_, i) => sysmon21(`${rule.ruleId}-${i}`, new Date(at(-8).getTime() + i * 2000))),
    );
    const outcome = await runScheduledDetection(at(0), rule);
    expect(outcome.result).toMatchObject({ matches: 150, alertsCreated: 100, truncated: true });
    expect(outcome.result!.warnings).toContain(MAX_SIGNALS_WARNING);
    const run = await getDb().prisma.ruleRun.findUniqueOrThrow({ where: { id: outcome.result!.runId } });
    expect(run).toMatchObject({ truncated: true, alertsCreated: 100, matches: 150 });
    const alerts = await alertsOf(rule);
    expect(alerts).toHaveLength(100);
    // the 50 oldest were left out
    expect(alerts[0].eventTimestamp.getTime()).toBe(at(-8).getTime() + 50 * 2000);
  });

  it("filters the window on event.ingested when the event has it, else @timestamp (late events are caught)", async () => {
    const { rule, at } = scenario();
    await store([
      sysmon21(`${rule.ruleId}-late`, at(-60), at(-1)), // happened an hour ago, arrived a minute ago
      sysmon21(`${rule.ruleId}-early`, at(-1), at(-60)), // @timestamp in the window, but ingested long before
      sysmon21(`${rule.ruleId}-plain`, at(-3)), // no event.ingested: @timestamp decides
    ]);
    const outcome = await runScheduledDetection(at(0), rule);
    expect(outcome.result).toMatchObject({ matches: 2, alertsCreated: 2 });
    const hosts = (await alertsOf(rule)).map((a) => a.hostName).sort();
    expect(hosts).toEqual([`sched-${rule.ruleId}-late`, `sched-${rule.ruleId}-plain`]);
  });

  it("marks a run that crashes midway failed, and the next run covers what it missed without duplicates", async () => {
    const { rule, at } = scenario();
    await store(Array.from({ length: 5 }, (_, i) => sysmon21(`${rule.ruleId}-${i}`, at(-2 - i / 10))));
    const window = { start: at(-9), end: at(0) };
    const crashed = await executeRun({ kind: "scheduled", scope: { window }, cap: 100, rule, crashAfterAlerts: 2 });
    expect(crashed).toMatchObject({ status: "failed", alertsCreated: 2, error: "simulated crash mid-run" });
    const row = await getDb().prisma.ruleRun.findUniqueOrThrow({ where: { id: crashed.runId } });
    expect(row.status).toBe("failed");
    expect(row.error).toBe("simulated crash mid-run");
    const next = await runScheduledDetection(at(5), rule);
    expect(next.result).toMatchObject({ status: "succeeded", alertsCreated: 3 });
    expect(await alertsOf(rule)).toHaveLength(5);
  });

  it("widens the window over a gap after the last successful run", async () => {
    const { rule, at } = scenario();
    await runScheduledDetection(at(0), rule);
    await store([sysmon21(`${rule.ruleId}-in-gap`, at(15))]); // no run saw 0..21 except the first up to 0
    const outcome = await runScheduledDetection(at(30), rule); // own look-back starts at 21
    expect(outcome.result!.alertsCreated).toBe(1);
    expect(outcome.result!.warnings.join(" ")).toMatch(/widened to cover the gap/);
  });

  it("lets only one of two workers racing for the same window run it", async () => {
    const { rule, at } = scenario();
    await store([sysmon21(`${rule.ruleId}-race`, at(-1))]);
    const outcomes = await Promise.all([runScheduledDetection(at(0), rule), runScheduledDetection(at(0), rule)]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(["ran", "skipped-claimed"]);
    expect(await getDb().prisma.ruleRun.count({ where: { ruleId: rule.ruleId } })).toBe(1);
    expect(await alertsOf(rule)).toHaveLength(1);
  });

  it("marks runs abandoned by a dead process as failed", async () => {
    const { rule, at } = scenario();
    const stale = await getDb().prisma.ruleRun.create({
      data: {
        ruleId: rule.ruleId,
        ruleVersion: 307,
        kind: "scheduled",
        windowStart: at(-9),
        windowEnd: at(0),
        startedAt: at(0),
      },
    });
    await failStaleRuns(at(30));
    const row = await getDb().prisma.ruleRun.findUniqueOrThrow({ where: { id: stale.id } });
    expect(row.status).toBe("failed");
    expect(row.error).toMatch(/interrupted/);
  });
});
