import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/permissions";
import { FP_ALLOWLIST_KEY, getFpAllowlist, listAlertSteps, setAlertStep, setFpAllowlist } from "@/lib/data/alert-steps";
import { closeDb, getDb } from "@/lib/db/client";
import { ingestStream } from "@/lib/services/ingest/ingest-stream";
import { DEFAULT_ALLOWLIST } from "@/lib/triage/false-positive-checks";

// Alerts come from Sysmon 21 documents of this run (unique host names): other files share the database.
const run = `as-${process.pid}-${Date.now()}`;
let counter = 0;

async function freshAlert() {
  const host = `${run}-h${++counter}`;
  const doc = {
    "@timestamp": new Date(Date.UTC(2031, 0, 1, 9, counter)).toISOString(),
    event: { code: "21", dataset: "windows.sysmon_operational" },
    host: { name: host },
    user: { name: "tester" },
    winlog: {
      computer_name: host,
      event_data: {
        Operation: "Created",
        Consumer: ` "\\\\\\\\.\\\\ROOT\\\\subscription:CommandLineEventConsumer.Name=\\"c-${host}\\""`,
      },
    },
  };
  const summary = await ingestStream({
    source: "api",
    fileName: `${host}.ndjson`,
    stream: Readable.from([Buffer.from(JSON.stringify(doc))]),
  });
  expect(summary.alerts).toBe(1);
  return getDb().prisma.alert.findFirstOrThrow({ where: { hostName: host }, select: { id: true, version: true } });
}

const analyst: Actor = { id: `${run}-analyst`, role: "analyst", name: "Ana Steps" };
const analyst2: Actor = { id: `${run}-analyst2`, role: "analyst", name: "Bo Steps" };
const lead: Actor = { id: `${run}-lead`, role: "lead", name: "Lee Steps" };
const trainer: Actor = { id: `${run}-trainer`, role: "trainer", name: "Tia Steps" };
const auditOf = (id: string) =>
  getDb().prisma.auditLog.findMany({ where: { entityType: "alert", entityId: id }, orderBy: { id: "asc" } });

beforeAll(async () => {
  for (const u of [analyst, analyst2, lead, trainer]) {
    await getDb().prisma.user.create({ data: { id: u.id, name: u.name!, email: `${u.id}@test.local`, role: u.role } });
  }
});

afterAll(async () => {
  await closeDb();
});

describe("setAlertStep", () => {
  it("creates then updates a step, bumps the version each time and audits before/after", async () => {
    const a = await freshAlert();
    const first = await setAlertStep(analyst, {
      alertId: a.id,
      version: a.version,
      stepKey: "investigation.sysmon-21-fields",
      done: true,
    });
    expect(first.version).toBe(a.version + 1);
    expect(first.step).toMatchObject({
      stepKey: "investigation.sysmon-21-fields",
      done: true,
      note: null,
      updatedBy: analyst.id,
      updatedByName: "Ana Steps",
    });

    const second = await setAlertStep(analyst2, {
      alertId: a.id,
      version: first.version,
      stepKey: "investigation.sysmon-21-fields",
      note: "Consumer and filter both point at root\\subscription",
    });
    expect(second.version).toBe(a.version + 2);
    expect(second.step).toMatchObject({
      done: true,
      note: "Consumer and filter both point at root\\subscription",
      updatedByName: "Bo Steps",
    });

    const row = await getDb().prisma.alert.findUniqueOrThrow({ where: { id: a.id }, select: { version: true } });
    expect(row.version).toBe(a.version + 2);
    const audit = await auditOf(a.id);
    expect(audit.map((x) => [x.action, x.actorId])).toEqual([
      ["alert.step", analyst.id],
      ["alert.step", analyst2.id],
    ]);
    expect(audit[0].before).toEqual({
      stepKey: "investigation.sysmon-21-fields",
      done: false,
      note: null,
      answer: null,
    });
    expect(audit[0].after).toEqual({ stepKey: "investigation.sysmon-21-fields", done: true, note: null, answer: null });
    expect(audit[1].before).toMatchObject({ done: true, note: null });
    expect(audit[1].after).toMatchObject({ done: true, note: "Consumer and filter both point at root\\subscription" });

    const steps = await listAlertSteps(analyst, a.id);
    expect(steps).toHaveLength(1);
    expect(steps[0]).toMatchObject({ updatedByName: "Bo Steps", done: true });
  });

  it("records a false-positive answer and a response step's note", async () => {
    const a = await freshAlert();
    const r1 = await setAlertStep(analyst, {
      alertId: a.id,
      version: a.version,
      stepKey: "fp.admin-tools",
      answer: "no",
      note: "not a known tool",
    });
    expect(r1.step).toMatchObject({ answer: "no", note: "not a known tool", done: false });
    const response = (await import("@/lib/rule/rules")).CURRENT_RULE.guide.response[0].id;
    const r2 = await setAlertStep(analyst, {
      alertId: a.id,
      version: r1.version,
      stepKey: response,
      done: true,
      note: "host isolated",
    });
    expect(r2.step).toMatchObject({ stepKey: response, done: true, note: "host isolated", updatedBy: analyst.id });
    expect(r2.step.updatedAt).toBeInstanceOf(Date);
  });

  it("refuses a stale version with who changed the alert and when, and writes nothing", async () => {
    const a = await freshAlert();
    await setAlertStep(analyst, {
      alertId: a.id,
      version: a.version,
      stepKey: "investigation.consumer-command",
      done: true,
    });
    const stale = setAlertStep(analyst2, {
      alertId: a.id,
      version: a.version,
      stepKey: "investigation.consumer-command",
      done: false,
      note: "overwrite?",
    });
    await expect(stale).rejects.toMatchObject({ code: "conflict" });
    await expect(stale).rejects.toThrow(
      /^this alert was changed by Ana Steps at \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ; reload$/,
    );
    const step = await getDb().prisma.alertStep.findUniqueOrThrow({
      where: { alertId_stepKey: { alertId: a.id, stepKey: "investigation.consumer-command" } },
    });
    expect(step).toMatchObject({ done: true, note: null });
    expect(await auditOf(a.id)).toHaveLength(1);
  });

  it("two people editing different steps at the same time both save; the same field changed meanwhile conflicts", async () => {
    const a = await freshAlert();
    const unseen = { done: false, note: null, answer: null };
    // both loaded the page at the same version and tick different steps concurrently
    const [one, two] = await Promise.all([
      setAlertStep(analyst, {
        alertId: a.id,
        version: a.version,
        stepKey: "investigation.sysmon-21-fields",
        done: true,
        seen: unseen,
      }),
      setAlertStep(analyst2, {
        alertId: a.id,
        version: a.version,
        stepKey: "investigation.consumer-command",
        done: true,
        seen: unseen,
      }),
    ]);
    expect([one.version, two.version].sort()).toEqual([a.version + 1, a.version + 2]);
    const steps = await listAlertSteps(analyst, a.id);
    expect(steps.filter((s) => s.done).map((s) => s.stepKey)).toEqual([
      "investigation.consumer-command",
      "investigation.sysmon-21-fields",
    ]);
    // a note on a step whose done box someone else ticked: a different field, it saves
    const note = await setAlertStep(lead, {
      alertId: a.id,
      version: a.version,
      stepKey: "investigation.sysmon-21-fields",
      note: "User is IEUser",
      seen: unseen,
    });
    expect(note.step).toMatchObject({ done: true, note: "User is IEUser" });
    // unticking a box that was ticked since this page loaded: the same field, a conflict naming who
    const stale = setAlertStep(lead, {
      alertId: a.id,
      version: a.version,
      stepKey: "investigation.consumer-command",
      done: false,
      seen: unseen,
    });
    await expect(stale).rejects.toMatchObject({ code: "conflict" });
    await expect(stale).rejects.toThrow(
      /^this step's done box was changed by Bo Steps at \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ; reload$/,
    );
    // two notes on the same step at once: one saves, the other conflicts
    const notes = await Promise.allSettled(
      [analyst, analyst2].map((who) =>
        setAlertStep(who, {
          alertId: a.id,
          version: note.version,
          stepKey: "investigation.related-activity",
          note: `by ${who.name}`,
          seen: unseen,
        }),
      ),
    );
    expect(notes.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect(await auditOf(a.id)).toHaveLength(4);
  });

  it("a page whose version caught up by saving another step still conflicts on a field changed after it loaded", async () => {
    const b = await freshAlert();
    const unseen = { done: false, note: null, answer: null };
    // the other analyst writes the scan note after this page loaded
    await setAlertStep(analyst2, {
      alertId: b.id,
      version: b.version,
      stepKey: "response.scan-host",
      note: "scan started",
      seen: unseen,
    });
    // this page saves another step: it saves, and the page's version is now the alert's
    const other = await setAlertStep(analyst, {
      alertId: b.id,
      version: b.version,
      stepKey: "response.monitor-recreation",
      note: "watching",
      seen: unseen,
    });
    // then writes the scan note it never saw changed: a conflict, not a lost update
    await expect(
      setAlertStep(analyst, {
        alertId: b.id,
        version: other.version,
        stepKey: "response.scan-host",
        note: "stale write",
        seen: unseen,
      }),
    ).rejects.toThrow(/^this step's note was changed by Bo Steps at .*; reload$/);
    const steps = await listAlertSteps(analyst, b.id);
    expect(steps.find((s) => s.stepKey === "response.scan-host")?.note).toBe("scan started");
  });

  it("rejects unknown steps, answers on non-FP steps, missing alerts and roles that cannot triage", async () => {
    const a = await freshAlert();
    await expect(
      setAlertStep(analyst, { alertId: a.id, version: a.version, stepKey: "investigation.nope", done: true }),
    ).rejects.toMatchObject({ code: "bad_request" });
    await expect(
      setAlertStep(analyst, {
        alertId: a.id,
        version: a.version,
        stepKey: "investigation.consumer-command",
        answer: "yes",
      }),
    ).rejects.toMatchObject({ code: "bad_request" });
    await expect(
      setAlertStep(analyst, {
        alertId: `${run}-missing`,
        version: 1,
        stepKey: "investigation.consumer-command",
        done: true,
      }),
    ).rejects.toMatchObject({ code: "not_found" });
    await expect(
      setAlertStep(trainer, {
        alertId: a.id,
        version: a.version,
        stepKey: "investigation.consumer-command",
        done: true,
      }),
    ).rejects.toMatchObject({ code: "forbidden" });
    const row = await getDb().prisma.alert.findUniqueOrThrow({ where: { id: a.id }, select: { version: true } });
    expect(row.version).toBe(a.version);
  });
});

describe("false-positive allowlist setting", () => {
  it("defaults to the engine's list; a lead replaces it (audited, version-checked); analysts cannot", async () => {
    const saved = await getDb().prisma.setting.findUnique({ where: { key: FP_ALLOWLIST_KEY } });
    await getDb().prisma.setting.deleteMany({ where: { key: FP_ALLOWLIST_KEY } });
    try {
      const initial = await getFpAllowlist();
      expect(initial).toMatchObject({ isDefault: true, entries: DEFAULT_ALLOWLIST, updatedAt: null });
      await expect(setFpAllowlist(analyst, [], null)).rejects.toMatchObject({ code: "forbidden" });
      await expect(setFpAllowlist(lead, [{ category: "admin" }], null)).rejects.toThrow(
        /processName, processPath or consumerName/,
      );

      const entries = [{ category: "management", processName: "ccmexec.exe", note: "SCCM" }];
      expect(await setFpAllowlist(lead, entries, null)).toEqual({ count: 1 });
      const after = await getFpAllowlist();
      expect(after).toMatchObject({ isDefault: false, entries, updatedByName: "Lee Steps" });
      // a second lead who loaded the page before the first save
      await expect(setFpAllowlist(lead, [], null)).rejects.toThrow(
        /the allowlist was changed by Lee Steps at .*; reload/,
      );
      const audit = await getDb().prisma.auditLog.findFirstOrThrow({
        where: { entityType: "setting", entityId: FP_ALLOWLIST_KEY, actorId: lead.id },
      });
      expect(audit).toMatchObject({ action: "setting.update", after: entries });
    } finally {
      await getDb().prisma.setting.deleteMany({ where: { key: FP_ALLOWLIST_KEY } });
      if (saved)
        await getDb().prisma.setting.create({
          data: { key: saved.key, value: saved.value as object, updatedBy: saved.updatedBy },
        });
    }
  });
});
