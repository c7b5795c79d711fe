import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/permissions";
import { assignAlerts, getMandatorySteps, setAlertsStatus } from "@/lib/data/alert-status";
import { setAlertStep } from "@/lib/data/alert-steps";
import { closeDb, getDb } from "@/lib/db/client";
import { CURRENT_RULE } from "@/lib/rule/rules";
import { ingestStream } from "@/lib/services/ingest/ingest-stream";

// Every alert here comes from a Sysmon 21 document of this run (unique host names), so the tests
// share the database with other files without seeing their data.
const run = `st-${process.pid}-${Date.now()}`;
let counter = 0;

function sysmon21(host: string, consumer: string, minute: number) {
  return {
    "@timestamp": new Date(Date.UTC(2030, 5, 1, 10, minute)).toISOString(),
    event: { code: "21", dataset: "windows.sysmon_operational", kind: "event" },
    host: { name: host },
    user: { name: "tester" },
    winlog: {
      computer_name: host,
      event_data: {
        Operation: "Created",
        Consumer: ` "\\\\\\\\.\\\\ROOT\\\\subscription:CommandLineEventConsumer.Name=\\"${consumer}\\""`,
        Filter: ` "\\\\\\\\.\\\\ROOT\\\\subscription:__EventFilter.Name=\\"f-${consumer}\\""`,
      },
    },
    message: `${host}-${consumer}`,
  };
}

/** Ingests `n` fresh alerts and returns them as { id, version } items. */
async function freshAlerts(n: number) {
  const hosts = Array.from({ length: n }, () => `${run}-h${++counter}`);
  const text = hosts.map((h, i) => JSON.stringify(sysmon21(h, `c-${h}`, i))).join("\n");
  const summary = await ingestStream({
    source: "api",
    fileName: `${run}.ndjson`,
    stream: Readable.from([Buffer.from(text)]),
  });
  expect(summary.alerts).toBe(n);
  const alerts = await getDb().prisma.alert.findMany({
    where: { hostName: { in: hosts } },
    select: { id: true, version: true, hostName: true },
  });
  return hosts.map((h) => alerts.find((a) => a.hostName === h)!).map(({ id, version }) => ({ id, version }));
}

const analyst: Actor = { id: `${run}-analyst`, role: "analyst", name: "Ana Test" };
const analyst2: Actor = { id: `${run}-analyst2`, role: "analyst", name: "Bo Test" };
const lead: Actor = { id: `${run}-lead`, role: "lead", name: "Lee Test" };
const disabledId = `${run}-disabled`;

const alertRow = (id: string) => getDb().prisma.alert.findUniqueOrThrow({ where: { id } });
const auditOf = (id: string) =>
  getDb().prisma.auditLog.findMany({ where: { entityType: "alert", entityId: id }, orderBy: { id: "asc" } });

async function markSteps(alertId: string, keys: string[]) {
  for (const stepKey of keys) {
    await getDb().prisma.alertStep.upsert({
      where: { alertId_stepKey: { alertId, stepKey } },
      create: { alertId, stepKey, done: true },
      update: { done: true },
    });
  }
}

beforeAll(async () => {
  // other test files may have changed the shared setting: these tests are about the default
  await getDb().prisma.setting.deleteMany({ where: { key: "mandatorySteps" } });
  const { prisma } = getDb();
  for (const [u, disabled] of [
    [analyst, false],
    [analyst2, false],
    [lead, false],
    [{ id: disabledId, role: "analyst", name: "Gone" }, true],
  ] as const) {
    await prisma.user.create({
      data: { id: u.id, name: u.name!, email: `${u.id}@test.local`, role: u.role, disabled },
    });
  }
});

afterAll(async () => {
  await closeDb();
});

describe("status changes", () => {
  it("acknowledges, records who and when, bumps the version and audits", async () => {
    const [a] = await freshAlerts(1);
    const result = await setAlertsStatus(analyst, [a], "acknowledged");
    expect(result).toEqual({ updated: [a.id], unchanged: [], conflicts: [], blocked: [] });
    const row = await alertRow(a.id);
    expect(row).toMatchObject({ status: "acknowledged", statusChangedBy: analyst.id, version: a.version + 1 });
    expect(row.statusChangedAt).toBeInstanceOf(Date);
    const audit = await auditOf(a.id);
    expect(audit.at(-1)).toMatchObject({
      actorId: analyst.id,
      action: "alert.acknowledge",
      before: { status: "open" },
      after: { status: "acknowledged" },
    });
  });

  it("refuses a stale version and names who changed the alert", async () => {
    const [a] = await freshAlerts(1);
    await setAlertsStatus(analyst, [a], "acknowledged");
    const stale = await setAlertsStatus(analyst2, [a], "open");
    expect(stale.updated).toEqual([]);
    expect(stale.conflicts).toHaveLength(1);
    expect(stale.conflicts[0].message).toMatch(
      /^this alert was changed by Ana Test at \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ; reload$/,
    );
    expect((await alertRow(a.id)).status).toBe("acknowledged");
  });

  it("a step ticked by someone else meanwhile does not block acknowledging; a status changed meanwhile does", async () => {
    const [a, b] = await freshAlerts(2);
    // another analyst ticks a step on each: the versions move on, status and assignee stay
    for (const x of [a, b])
      await setAlertStep(analyst2, {
        alertId: x.id,
        version: x.version,
        stepKey: "investigation.sysmon-21-fields",
        done: true,
      });
    const seen = { status: "open" as const, assigneeId: null };
    const ack = await setAlertsStatus(analyst, [{ ...a, seen }], "acknowledged");
    expect(ack.updated).toEqual([a.id]);
    expect((await alertRow(a.id)).status).toBe("acknowledged");
    // without saying what it saw, a stale version still conflicts
    expect((await setAlertsStatus(analyst, [b], "acknowledged")).conflicts.map((c) => c.id)).toEqual([b.id]);
    // the status itself changed since the page loaded: a conflict
    const again = await setAlertsStatus(lead, [{ ...a, seen }], "open");
    expect(again.conflicts.map((c) => c.id)).toEqual([a.id]);
    expect((await alertRow(a.id)).status).toBe("acknowledged");
  });

  it("a page whose version caught up by saving a step still conflicts on a status changed after it loaded, naming who changed it", async () => {
    const [a] = await freshAlerts(1);
    const seen = { status: "open" as const, assigneeId: null };
    // someone acknowledges after this page loaded
    expect((await setAlertsStatus(analyst2, [{ ...a, seen }], "acknowledged")).updated).toEqual([a.id]);
    // this page saves a step: its version is now the alert's
    const step = await setAlertStep(lead, {
      alertId: a.id,
      version: (await alertRow(a.id)).version,
      stepKey: "investigation.sysmon-21-fields",
      note: "looked",
      seen: { done: false, note: null, answer: null },
    });
    // then acknowledges from what it saw (open): a conflict naming the one who acknowledged, not itself
    const stale = await setAlertsStatus(lead, [{ id: a.id, version: step.version, seen }], "acknowledged");
    expect(stale.updated).toEqual([]);
    expect(stale.conflicts.map((c) => c.id)).toEqual([a.id]);
    expect(stale.conflicts[0].message).toMatch(new RegExp(`^this alert was changed by ${analyst2.name} at `));
    expect((await alertRow(a.id)).status).toBe("acknowledged");
  });

  it("blocks closing until the mandatory steps are done, naming the missing ones", async () => {
    const [a] = await freshAlerts(1);
    const mandatory = await getMandatorySteps();
    expect(mandatory.length).toBeGreaterThan(0);
    await markSteps(a.id, mandatory.slice(1));
    const blocked = await setAlertsStatus(analyst, [a], "closed", { closeReason: "false_positive" });
    expect(blocked.updated).toEqual([]);
    const missingLabel = [
      ...CURRENT_RULE.guide.investigation,
      ...CURRENT_RULE.guide.falsePositives,
      ...CURRENT_RULE.guide.response,
    ].find((s) => s.id === mandatory[0])!.label;
    expect(blocked.blocked).toEqual([
      {
        id: a.id,
        label: expect.stringMatching(/^st-.*-h\d+ · c-st-.* · \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/),
        message: `complete the mandatory steps first: ${missingLabel}`,
      },
    ]);
    expect((await alertRow(a.id)).status).toBe("open");

    await markSteps(a.id, [mandatory[0]]);
    const closed = await setAlertsStatus(analyst, [a], "closed", {
      closeReason: "false_positive",
      verdictNote: "admin tool",
    });
    expect(closed.updated).toEqual([a.id]);
    expect(await alertRow(a.id)).toMatchObject({
      status: "closed",
      closeReason: "false_positive",
      verdict: "false_positive",
      verdictNote: "admin tool",
      version: a.version + 1,
    });
  });

  it("a Sysmon alert never needs the Elastic Defend API step; bulk close names what cannot close", async () => {
    await getDb().prisma.setting.upsert({
      where: { key: "mandatorySteps" },
      create: { key: "mandatorySteps", value: CURRENT_RULE.guide.investigation.map((s) => s.id) },
      update: { value: CURRENT_RULE.guide.investigation.map((s) => s.id) },
    });
    try {
      const [ready, lacking] = await freshAlerts(2);
      const applicable = CURRENT_RULE.guide.investigation
        .map((s) => s.id)
        .filter((id) => id !== "investigation.api-consumer-type");
      await markSteps(ready.id, applicable);
      await markSteps(lacking.id, applicable.slice(1));
      const result = await setAlertsStatus(analyst, [ready, lacking], "closed", {
        closeReason: "benign_positive",
        verdictNote: "SCCM inventory",
      });
      expect(result.updated).toEqual([ready.id]);
      const row = await getDb().prisma.alert.findUniqueOrThrow({ where: { id: lacking.id } });
      expect(result.blocked).toEqual([
        {
          id: lacking.id,
          label: `${row.hostName} · ${row.consumerName} · ${row.eventTimestamp
            .toISOString()
            .replace("T", " ")
            .replace(/\.\d{3}Z$/, "Z")}`,
          message: expect.stringMatching(/^complete the mandatory steps first: /),
        },
      ]);
      expect(result.blocked[0].message).not.toMatch(/Elastic Defend|API/i);
      expect(await alertRow(ready.id)).toMatchObject({ status: "closed", verdictNote: "SCCM inventory" });
    } finally {
      await getDb().prisma.setting.deleteMany({ where: { key: "mandatorySteps" } });
    }
  });

  it("requires a close reason", async () => {
    const [a] = await freshAlerts(1);
    await expect(setAlertsStatus(analyst, [a], "closed", {})).rejects.toThrow();
  });

  it("reopening clears the verdict and keeps it in the audit log", async () => {
    const [a] = await freshAlerts(1);
    await markSteps(a.id, await getMandatorySteps());
    await setAlertsStatus(analyst, [a], "closed", {
      closeReason: "true_positive",
      verdict: "true_positive",
      verdictNote: "real",
    });
    const reopened = await setAlertsStatus(analyst, [{ id: a.id, version: a.version + 1 }], "open");
    expect(reopened.updated).toEqual([a.id]);
    expect(await alertRow(a.id)).toMatchObject({
      status: "open",
      closeReason: null,
      verdict: null,
      verdictNote: null,
      version: a.version + 2,
    });
    const audit = await auditOf(a.id);
    expect(audit.map((e) => e.action)).toEqual(["alert.close", "alert.reopen"]);
    expect(audit[1].before).toMatchObject({
      status: "closed",
      closeReason: "true_positive",
      verdict: "true_positive",
      verdictNote: "real",
    });
  });

  it("bulk: updates what it can and reports conflicts, blocked and missing alerts per alert", async () => {
    const [ok, stale, closedAlready, blocked] = await freshAlerts(4);
    await setAlertsStatus(analyst2, [stale], "acknowledged");
    await markSteps(ok.id, await getMandatorySteps());
    await markSteps(closedAlready.id, await getMandatorySteps());
    await setAlertsStatus(analyst, [closedAlready], "closed", { closeReason: "duplicate" });
    await markSteps(stale.id, await getMandatorySteps());
    const result = await setAlertsStatus(
      analyst,
      [
        ok,
        stale,
        { id: closedAlready.id, version: closedAlready.version + 1 },
        blocked,
        { id: `${run}-nope`, version: 1 },
      ],
      "closed",
      { closeReason: "benign_positive" },
    );
    expect(result.updated).toEqual([ok.id]);
    expect(result.unchanged).toEqual([closedAlready.id]);
    expect(result.conflicts.map((c) => c.id)).toEqual([stale.id]);
    expect(result.conflicts[0].message).toContain("Bo Test");
    expect(result.blocked).toHaveLength(2);
    expect(result.blocked.find((b) => b.id === blocked.id)?.message).toMatch(/^complete the mandatory steps first: /);
    expect(result.blocked.find((b) => b.id === `${run}-nope`)?.message).toBe("no such alert");
    expect((await auditOf(ok.id)).map((e) => e.action)).toEqual(["alert.close"]);
    expect(await auditOf(blocked.id)).toEqual([]);
    expect((await alertRow(closedAlready.id)).closeReason).toBe("duplicate");
  });

  it("refuses a role that may not triage", async () => {
    const [a] = await freshAlerts(1);
    await expect(setAlertsStatus({ id: `${run}-trainer`, role: "trainer" }, [a], "acknowledged")).rejects.toMatchObject(
      { code: "forbidden" },
    );
  });
});

describe("assignment", () => {
  it("a lead assigns two alerts to an analyst, who gets a notification for each", async () => {
    const [a, b] = await freshAlerts(2);
    const result = await assignAlerts(lead, [a, b], analyst.id);
    expect(result.updated).toEqual([a.id, b.id]);
    expect(await alertRow(a.id)).toMatchObject({ assigneeId: analyst.id, version: a.version + 1 });
    const notes = await getDb().prisma.notification.findMany({
      where: { userId: analyst.id, link: { in: [`/alerts/${a.id}`, `/alerts/${b.id}`] } },
    });
    expect(notes).toHaveLength(2);
    expect(notes[0].text).toMatch(/^Lee Test assigned you alert /);
    expect((await auditOf(a.id)).at(-1)).toMatchObject({
      action: "alert.assign",
      actorId: lead.id,
      before: { assigneeId: null },
      after: { assigneeId: analyst.id },
    });
  });

  it("taking an alert yourself sends no notification; an analyst cannot assign others or take someone's alert", async () => {
    const [a, b] = await freshAlerts(2);
    const mine = await assignAlerts(analyst, [a], analyst.id);
    expect(mine.updated).toEqual([a.id]);
    expect(await getDb().prisma.notification.count({ where: { link: `/alerts/${a.id}` } })).toBe(0);
    await expect(assignAlerts(analyst, [b], analyst2.id)).rejects.toMatchObject({ code: "forbidden" });
    const taken = await assignAlerts(analyst2, [{ id: a.id, version: a.version + 1 }], analyst2.id);
    expect(taken.blocked).toEqual([
      {
        id: a.id,
        label: expect.stringContaining(" · "),
        message: "this alert is assigned to someone else; only a lead can reassign it",
      },
    ]);
    const unassign = await assignAlerts(analyst, [{ id: a.id, version: a.version + 1 }], null);
    expect(unassign.updated).toEqual([a.id]);
    expect((await alertRow(a.id)).assigneeId).toBeNull();
  });

  it("refuses a disabled or unknown assignee and changes nothing", async () => {
    const [a] = await freshAlerts(1);
    await expect(assignAlerts(lead, [a], disabledId)).rejects.toMatchObject({ code: "bad_request" });
    await expect(assignAlerts(lead, [a], `${run}-ghost`)).rejects.toMatchObject({ code: "bad_request" });
    expect(await alertRow(a.id)).toMatchObject({ assigneeId: null, version: a.version });
  });

  it("bulk assign with a stale alert assigns the rest", async () => {
    const [a, b] = await freshAlerts(2);
    await setAlertsStatus(analyst2, [b], "acknowledged");
    const result = await assignAlerts(lead, [a, b], analyst2.id);
    expect(result.updated).toEqual([a.id]);
    expect(result.conflicts.map((c) => c.id)).toEqual([b.id]);
    expect((await alertRow(b.id)).assigneeId).toBeNull();
  });
});
