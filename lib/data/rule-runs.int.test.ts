import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alreadyAlertedOf, getBackfill, getRuleOverview, listRuleRuns, type RuleRunView } from "@/lib/data/rule-runs";
import { closeDb, getDb } from "@/lib/db/client";
import { CURRENT_RULE } from "@/lib/rule/rules";
import { MAX_SIGNALS_WARNING } from "@/lib/detection/run";
import { executeRun } from "@/lib/services/detection-service";
import { ingestStream } from "@/lib/services/ingest/ingest-stream";
import { runRuleNow, startBackfill, updateRuleEnabled } from "@/lib/services/rule-service";
import { ingestBulk } from "@/lib/services/es-bulk";
import { createBackfill, processBackfill, runScheduledDetection } from "@/lib/services/scheduler-service";

const unique = `${process.pid}-${Date.now()}`;
const lead = { id: `rr-lead-${unique}`, name: `Run lead ${unique}`, role: "lead" };
const analyst = { id: `rr-analyst-${unique}`, name: `Run analyst ${unique}`, role: "analyst" };
const host = `RR-${unique}`;

function sysmon21(consumer: string) {
  return {
    "@timestamp": new Date().toISOString(),
    event: { code: "21", dataset: "windows.sysmon_operational", provider: "Microsoft-Windows-Sysmon", kind: "event" },
    winlog: {
      computer_name: host,
      channel: "Microsoft-Windows-Sysmon/Operational",
      record_id: `${unique}-${consumer}`,
      event_data: {
        Operation: "Created",
        Consumer: `"\\\\.\\ROOT\\subscription:CommandLineEventConsumer.Name=\\"${consumer}\\""`,
        Filter: `"\\\\.\\ROOT\\subscription:__EventFilter.Name=\\"${consumer}-filter\\""`,
      },
    },
    host: { name: host },
    user: { name: "svc" },
  };
}

const lastNineMinutes = () => ({ start: new Date(Date.now() - 9 * 60_000), end: new Date(Date.now() + 1000) });

beforeAll(async () => {
  const { prisma } = getDb();
  for (const u of [lead, analyst])
    await prisma.user.create({ data: { id: u.id, name: u.name, email: `${u.id}@example.test`, role: u.role } });
  const text = ["a", "b"].map((c) => JSON.stringify(sysmon21(`${unique}-${c}`))).join("\n");
  const summary = await ingestStream({
    source: "api",
    fileName: `runs-${unique}.ndjson`,
    stream: Readable.from([Buffer.from(text)]),
  });
  expect(summary).toMatchObject({ status: "succeeded", stored: 2, alerts: 2 });
});

afterAll(async () => {
  await getDb().prisma.ruleState.upsert({
    where: { ruleId: CURRENT_RULE.ruleId },
    create: { ruleId: CURRENT_RULE.ruleId, enabled: true },
    update: { enabled: true },
  });
  await closeDb();
});

describe("run history", () => {
  it("lists Run now with its numbers and who asked, newest first", async () => {
    const result = await runRuleNow(lead);
    expect(result.status).toBe("succeeded");
    expect(result.eventsScanned).toBeGreaterThanOrEqual(2);
    expect(result.matches).toBeGreaterThanOrEqual(2);
    // the ingest run already created both alerts: a re-run never duplicates them
    const history = await listRuleRuns(analyst, { pageSize: 50 });
    const row = history.rows[0];
    expect(row).toMatchObject({
      id: result.runId,
      kind: "manual",
      status: "succeeded",
      eventsScanned: result.eventsScanned,
      matches: result.matches,
      alertsCreated: result.alertsCreated,
      requestedBy: lead.name,
      error: null,
      truncated: false,
    });
    expect(row.durationMs).toBeGreaterThanOrEqual(0);
    expect(row.windowEnd.getTime() - row.windowStart.getTime()).toBe(9 * 60_000);
  });

  it("shows a truncated run with Kibana's max-signals warning", async () => {
    const result = await executeRun({
      kind: "manual",
      scope: { window: lastNineMinutes() },
      cap: 1,
      requestedBy: lead.id,
    });
    expect(result.truncated).toBe(true);
    const row = (await listRuleRuns(lead, { pageSize: 50 })).rows.find((r) => r.id === result.runId);
    expect(row).toMatchObject({ truncated: true, warnings: [MAX_SIGNALS_WARNING] });
  });

  it("shows a failed run with its error (nothing fails silently)", async () => {
    const result = await executeRun({
      kind: "manual",
      scope: { window: lastNineMinutes() },
      cap: 100,
      requestedBy: lead.id,
      filters: [
        {
          name: "broken",
          suppresses: () => {
            throw new Error("exception filter exploded");
          },
        },
      ],
    });
    expect(result.status).toBe("failed");
    const row = (await listRuleRuns(lead, { pageSize: 50 })).rows.find((r) => r.id === result.runId);
    expect(row).toMatchObject({ status: "failed", error: "exception filter exploded" });
  });

  it("paginates newest first and clamps the page", async () => {
    const first = await listRuleRuns(lead, { page: 1, pageSize: 2 });
    expect(first.rows).toHaveLength(2);
    expect(first.rows[0].startedAt.getTime()).toBeGreaterThanOrEqual(first.rows[1].startedAt.getTime());
    expect(first.pageCount).toBe(Math.ceil(first.total / 2));
    const beyond = await listRuleRuns(lead, { page: 10_000, pageSize: 2 });
    expect(beyond.page).toBe(first.pageCount);
  });
});

describe("Run now, enable/disable and backfill", () => {
  it("refuses an analyst", async () => {
    await expect(runRuleNow(analyst)).rejects.toMatchObject({ code: "forbidden" });
    await expect(updateRuleEnabled(analyst, false)).rejects.toMatchObject({ code: "forbidden" });
    await expect(
      startBackfill(analyst, { start: new Date(Date.now() - 600_000), end: new Date(), capped: true }),
    ).rejects.toMatchObject({ code: "forbidden" });
    const overview = await getRuleOverview(analyst);
    expect(overview.canRun).toBe(false);
    expect(overview.rule.additionalLookBack).toBe("4m");
  });

  it("disables and enables the rule, audited; a disabled rule is not run now", async () => {
    const { prisma } = getDb();
    await updateRuleEnabled(lead, false);
    expect((await getRuleOverview(lead)).enabled).toBe(false);
    await expect(runRuleNow(lead)).rejects.toMatchObject({ code: "conflict" });
    await updateRuleEnabled(lead, true);
    expect((await getRuleOverview(lead)).enabled).toBe(true);
    const audit = await prisma.auditLog.findMany({
      where: { actorId: lead.id, entityType: "rule" },
      orderBy: { at: "asc" },
      select: { action: true },
    });
    expect(audit.map((a) => a.action)).toEqual(["rule.disable", "rule.enable"]);
  });

  it("disabled, no path creates alerts and events are stored; enabled again, a backfill over them is offered and finds them", async () => {
    const { prisma } = getDb();
    const tag = `${unique}-off`;
    const alertsOf = (consumer: string) => prisma.alert.count({ where: { consumerName: { contains: consumer } } });
    // a backfill queued before the rule is disabled
    const queued = await createBackfill(lead.id, { ...lastNineMinutes(), capped: true });
    await updateRuleEnabled(lead, false);
    try {
      // upload and API (the CLI and polling go through the same ingest: scripts/ingest.int.test.ts, poller.int.test.ts)
      for (const source of ["upload", "api"] as const) {
        const summary = await ingestStream({
          source,
          fileName: `${tag}-${source}.ndjson`,
          stream: Readable.from([Buffer.from(JSON.stringify(sysmon21(`${tag}-${source}`)))]),
        });
        expect(summary).toMatchObject({ status: "succeeded", stored: 1, alerts: 0, ruleDisabled: true });
        expect(await alertsOf(`${tag}-${source}`)).toBe(0);
      }
      // _bulk
      const bulk = await ingestBulk(
        [{ create: { _index: "winlogbeat-x" } }, sysmon21(`${tag}-bulk`)].map((l) => JSON.stringify(l)).join("\n"),
        null,
        "test",
      );
      expect(bulk).toMatchObject({ errors: false });
      expect(
        await prisma.event.count({
          where: { doc: { path: ["winlog", "record_id"], equals: `${unique}-${tag}-bulk` } },
        }),
      ).toBe(1);
      expect(await alertsOf(`${tag}-bulk`)).toBe(0);
      // schedule, Run now, a new backfill, and the one queued before
      expect(await runScheduledDetection(new Date())).toEqual({ status: "skipped-disabled" });
      await expect(runRuleNow(lead)).rejects.toMatchObject({ code: "conflict", message: /disabled/ });
      await expect(startBackfill(lead, { ...lastNineMinutes(), capped: true })).rejects.toMatchObject({
        code: "conflict",
      });
      await processBackfill(queued);
      expect(await getBackfill(lead, queued)).toMatchObject({ status: "failed", windowsDone: 0 });
      expect((await getBackfill(lead, queued))?.error).toMatch(
        /^stopped: the rule was disabled after 0 of \d+ windows/,
      );
      expect(await prisma.ruleRun.count({ where: { backfillId: queued } })).toBe(0);

      const overview = await getRuleOverview(lead);
      expect(overview.enabled).toBe(false);
      expect(overview.disabledPeriod).toMatchObject({ to: null });
      expect(overview.disabledPeriod!.events).toBeGreaterThanOrEqual(3);
    } finally {
      await updateRuleEnabled(lead, true);
    }
    for (const kind of ["upload", "api", "bulk"]) expect(await alertsOf(`${tag}-${kind}`)).toBe(0);

    const { disabledPeriod } = await getRuleOverview(lead);
    expect(disabledPeriod).toMatchObject({ backfilled: false });
    expect(disabledPeriod!.to).not.toBeNull();
    expect(disabledPeriod!.events).toBeGreaterThanOrEqual(3);
    const previous = process.env.WMI_SCHEDULER_DISABLED;
    process.env.WMI_SCHEDULER_DISABLED = "1";
    try {
      const { id } = await startBackfill(lead, {
        start: disabledPeriod!.eventsFrom!,
        end: new Date(disabledPeriod!.eventsTo!.getTime() + 1),
        capped: false,
      });
      await expect.poll(async () => (await getBackfill(lead, id))?.status, { timeout: 30_000 }).toBe("succeeded");
    } finally {
      if (previous === undefined) delete process.env.WMI_SCHEDULER_DISABLED;
      else process.env.WMI_SCHEDULER_DISABLED = previous;
    }
    for (const kind of ["upload", "api", "bulk"]) expect(await alertsOf(`${tag}-${kind}`)).toBe(1);
    expect((await getRuleOverview(lead)).disabledPeriod).toMatchObject({ backfilled: true });
  });

  it("validates the range", async () => {
    const now = Date.now();
    await expect(
      startBackfill(lead, { start: new Date(now), end: new Date(now - 1), capped: true }),
    ).rejects.toMatchObject({ code: "bad_request" });
    await expect(
      startBackfill(lead, { start: new Date(now - 31 * 86_400_000), end: new Date(now), capped: true }),
    ).rejects.toMatchObject({ code: "bad_request" });
  });

  it("runs a backfill window by window to completion without a worker (scheduler disabled)", async () => {
    const previous = process.env.WMI_SCHEDULER_DISABLED;
    process.env.WMI_SCHEDULER_DISABLED = "1";
    try {
      const end = new Date(Date.now() + 1000);
      const start = new Date(end.getTime() - 12 * 60_000);
      const { id, windowsTotal } = await startBackfill(lead, { start, end, capped: false });
      expect(windowsTotal).toBe(3);
      let backfill = await getBackfill(lead, id);
      for (let i = 0; i < 100 && backfill && !["succeeded", "failed"].includes(backfill.status); i++) {
        await new Promise((r) => setTimeout(r, 100));
        backfill = await getBackfill(lead, id);
      }
      expect(backfill).toMatchObject({
        status: "succeeded",
        windowsDone: 3,
        windowsTotal: 3,
        capped: false,
        error: null,
        requestedBy: lead.name,
      });
      const runs = await getDb().prisma.ruleRun.findMany({
        where: { backfillId: id },
        select: { kind: true, status: true },
      });
      expect(runs).toHaveLength(3);
      expect(runs.every((r) => r.kind === "backfill" && r.status === "succeeded")).toBe(true);
      expect((await getRuleOverview(lead)).backfills[0].id).toBe(id);

      // the history holds the backfill as one row, its three windows folded inside
      const history = await listRuleRuns(lead, { pageSize: 100 });
      const rows = history.rows.filter((r) => r.backfillId === id);
      expect(rows).toHaveLength(1);
      const [row] = rows;
      expect(row.windows).toHaveLength(3);
      expect(row).toMatchObject({ kind: "backfill", status: "succeeded", requestedBy: lead.name });
      expect(row.windowStart.getTime()).toBe(Math.min(...row.windows!.map((w) => w.windowStart.getTime())));
      expect(row.windowEnd.getTime()).toBe(Math.max(...row.windows!.map((w) => w.windowEnd.getTime())));
      const sum = (f: (w: RuleRunView) => number) => row.windows!.reduce((n, w) => n + f(w), 0);
      expect(row.matches).toBe(sum((w) => w.matches));
      expect(row.alertsCreated).toBe(sum((w) => w.alertsCreated));
      // this file's two alerts existed before the backfill: the window holding them re-matched them
      expect(row.alreadyAlerted).toBe(row.matches - row.alertsCreated);
      expect(row.alreadyAlerted).toBeGreaterThanOrEqual(2);
      expect(row.windows!.some((w) => w.alreadyAlerted >= 2)).toBe(true);
      // no window is listed again on its own, and every row of the page is distinct
      expect(history.rows.some((r) => r.id !== row.id && r.backfillId === id)).toBe(false);
      expect(history.total).toBe(
        (await getDb().prisma.ruleRun.count({ where: { ruleId: CURRENT_RULE.ruleId, backfillId: null } })) +
          (
            await getDb().prisma.ruleRun.groupBy({
              by: ["backfillId"],
              where: { ruleId: CURRENT_RULE.ruleId, backfillId: { not: null } },
            })
          ).length,
      );
    } finally {
      if (previous === undefined) delete process.env.WMI_SCHEDULER_DISABLED;
      else process.env.WMI_SCHEDULER_DISABLED = previous;
    }
  });
});

describe("alreadyAlertedOf", () => {
  it("counts the kept matches that made no alert; a capped run kept only max_signals", () => {
    expect(alreadyAlertedOf({ status: "succeeded", matches: 5, alertsCreated: 2, truncated: false })).toBe(3);
    expect(alreadyAlertedOf({ status: "succeeded", matches: 250, alertsCreated: 60, truncated: true }, 100)).toBe(40);
    expect(alreadyAlertedOf({ status: "failed", matches: 5, alertsCreated: 0, truncated: false })).toBe(0);
  });
});
