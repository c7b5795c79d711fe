import { readFileSync } from "node:fs";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/permissions";
import { getAlertDetail } from "@/lib/data/alert-detail";
import { buildCaseReport } from "@/lib/data/case-report";
import { createCase } from "@/lib/data/cases";
import { listHuntPins, pinHuntHit, pinSchema } from "@/lib/data/hunts";
import { getLastPurge, getRetentionSetting, setRetentionDays } from "@/lib/data/retention";
import { assignScenario, getAssignmentReplay } from "@/lib/data/training-assignments";
import { createScenarioFromPack } from "@/lib/data/training-scenarios";
import { getTraineeWorkspace, recordOpenStep } from "@/lib/data/training-trainee";
import { closeDb, getDb } from "@/lib/db/client";
import { CURRENT_RULE } from "@/lib/rule/rules";
import { ingestStream } from "@/lib/services/ingest/ingest-stream";
import { purgeExpiredEvents } from "@/lib/services/retention-service";

/**
 * The purge against a real Postgres with a controlled clock: this file's events are marked as
 * stored on 2026-01-15 and the purge runs "on 2026-06-01", so with 90 days of retention they have
 * expired while every other test's events (stored today) have not. The data is the Atomic Red
 * Team recording, with its host renamed per run and copies shifted in time.
 */
const ATOMIC = readFileSync(
  "/work/shared/datasets/evtx-attack-samples/derived-xml/PanacheSysmon_vs_AtomicRedTeam01.evtx.xml",
  "utf8",
);
const run = `ret${process.pid}x${Date.now()}`.toUpperCase();
const HOST_A = `${run}-A`; // has the alert
const HOST_B = `${run}-B`; // no alert
const HOST_C = `${run}-C`; // stored recently
const STORED_LONG_AGO = new Date("2026-01-15T00:00:00Z");
const NOW = new Date("2026-06-01T00:00:00Z");

const actor = (role: string): Actor => ({ id: `${run}-${role}`, role, name: `${role} ${run}` });
const admin = actor("admin");
const lead = actor("lead");
const analyst = actor("analyst");
const trainer = actor("trainer");
const junior = { ...actor("junior"), role: "analyst" };

/**
 * The Atomic recording as another host's: events kept by id, shifted by days, record ids offset (distinct
 * fingerprints).
 */
function variant(host: string, opts: { days?: number; recordOffset?: number; keep?: (eventId: string) => boolean }) {
  const shift = (date: string) =>
    new Date(Date.parse(`${date}T00:00:00Z`) + (opts.days ?? 0) * 86_400_000).toISOString().slice(0, 10);
  const events = ATOMIC.split(/(?=<Event xmlns)/).slice(1);
  const kept = events
    .map((e) => e.replace(/<\/Events>\s*$/, ""))
    .filter((e) => (opts.keep ?? (() => true))(/<EventID>(\d+)<\/EventID>/.exec(e)![1]));
  const body = kept
    .join("")
    .replaceAll("MSEDGEWIN10", host)
    .replace(/2019-07-19/g, shift("2019-07-19"))
    .replace(
      /<EventRecordID>(\d+)<\/EventRecordID>/g,
      (_m, n) => `<EventRecordID>${Number(n) + (opts.recordOffset ?? 0)}</EventRecordID>`,
    );
  return { xml: `<?xml version="1.0" encoding="utf-8"?>\n<Events>\n${body}</Events>\n`, count: kept.length };
}

async function ingest(name: string, xml: string) {
  const summary = await ingestStream({
    source: "api",
    fileName: `${run}-${name}.xml`,
    stream: Readable.from([Buffer.from(xml)]),
  });
  expect(summary.rejected).toBe(0);
  return summary;
}

const countOn = (hostName: string) => getDb().prisma.event.count({ where: { hostName } });

const WMI = ["19", "20", "21"];
const counts = { a: 0, aFar: 0, aWmi: 0, b: 0, c: 0 };
let alertId = "";
let caseId = "";
let assignmentId = "";

beforeAll(async () => {
  const { prisma } = getDb();
  for (const u of [admin, lead, analyst, trainer, junior])
    await prisma.user.create({ data: { id: u.id, name: u.name!, email: `${u.id}@test.local`, role: u.role } });

  const a = variant(HOST_A, {});
  // the same host three days later, no WMI events: more than a day from any alert, so not evidence
  const aFar = variant(HOST_A, { days: 3, recordOffset: 1_000_000, keep: (id) => !WMI.includes(id) });
  // the host's filter and consumer registrations a month later: the rebuilt subscription reads them from any time
  const aWmi = variant(HOST_A, { days: 30, recordOffset: 2_000_000, keep: (id) => id === "19" || id === "20" });
  const b = variant(HOST_B, { keep: (id) => id !== "21" });
  const c = variant(HOST_C, { keep: (id) => id !== "21" });
  expect((await ingest("a", a.xml)).alerts).toBeGreaterThan(0);
  await ingest("a-far", aFar.xml);
  await ingest("a-wmi", aWmi.xml);
  expect((await ingest("b", b.xml)).alerts).toBe(0);
  await ingest("c", c.xml);
  Object.assign(counts, { a: a.count, aFar: aFar.count, aWmi: aWmi.count, b: b.count, c: c.count });
  expect(await countOn(HOST_A)).toBe(a.count + aFar.count + aWmi.count);

  await prisma.event.updateMany({
    where: { hostName: { in: [HOST_A, HOST_B] } },
    data: { createdAt: STORED_LONG_AGO },
  });

  const alert = await prisma.alert.findFirstOrThrow({
    where: { hostName: HOST_A, consumerName: "AtomicRedTeam-WMIPersistence-Example" },
    select: { id: true },
  });
  alertId = alert.id;
  const created = await createCase(lead, { title: `retention ${run}`, alertIds: [alertId] });
  caseId = created.id;
  // one event of the far copy, pinned from a hunt to the case: evidence although far from the alert
  const far = await prisma.event.findFirstOrThrow({
    where: { hostName: HOST_A, eventCode: "1", timestamp: { gt: new Date("2019-07-21T00:00:00Z") } },
    select: { id: true },
  });
  await pinHuntHit(
    lead,
    pinSchema.parse({ eventId: far.id.toString(), caseNumber: created.number, query: "process where true" }),
  );
  const scenario = await createScenarioFromPack(trainer, { packId: "atomic-commandline-consumer", title: run });
  assignmentId = (await assignScenario(trainer, { scenarioId: scenario.id, traineeIds: [junior.id] })).assignmentIds[0];
  await recordOpenStep(junior, assignmentId, CURRENT_RULE.guide.investigation[0].id);
});

afterAll(async () => {
  await getDb().prisma.setting.deleteMany({ where: { key: "retentionDays" } });
  await closeDb();
});

describe("retention setting", () => {
  it("defaults to 90 days; only an admin changes it; bad values are refused by name", async () => {
    await getDb().prisma.setting.deleteMany({ where: { key: "retentionDays" } });
    expect(await getRetentionSetting()).toMatchObject({ days: 90, isDefault: true });
    await expect(setRetentionDays(lead, 30)).rejects.toMatchObject({ code: "forbidden" });
    await expect(setRetentionDays(admin, 0)).rejects.toThrow(/at least 1 day/);
    await expect(setRetentionDays(admin, 1.5)).rejects.toThrow(/whole number of days/);
    const saved = await setRetentionDays(admin, 400, null);
    expect(await getRetentionSetting()).toMatchObject({ days: 400, isDefault: false, updatedByName: admin.name });
    // a form rendered before that save is stale
    await expect(setRetentionDays(admin, 200, null)).rejects.toMatchObject({ code: "conflict" });
    await setRetentionDays(admin, 400, saved.updatedAt);
  });

  it("is what the purge uses: with 400 days nothing stored on 2026-01-15 has expired by 2026-06-01", async () => {
    const summary = await purgeExpiredEvents({ now: NOW });
    expect(summary.cutoff.toISOString()).toBe("2025-04-27T00:00:00.000Z");
    expect(await countOn(HOST_B)).toBe(counts.b);
    expect(await countOn(HOST_A)).toBe(counts.a + counts.aFar + counts.aWmi);
  });
});

describe("purgeExpiredEvents", () => {
  it("drops expired events but keeps every alert's evidence: alert page, case report and replay are unchanged", async () => {
    await setRetentionDays(admin, 90);
    const detailBefore = await getAlertDetail(analyst, alertId, { windowMinutes: 1440 });
    const reportBefore = await buildCaseReport(lead, caseId);
    const replayBefore = await getAssignmentReplay(trainer, assignmentId);
    const workspaceBefore = await getTraineeWorkspace(junior, assignmentId);
    const pinsBefore = await listHuntPins(lead, { caseId });
    expect(pinsBefore[0].summary).not.toMatch(/no longer stored/);
    expect(detailBefore.subscription.missing).toEqual([]);
    expect(detailBefore.timeline.length).toBeGreaterThan(100);

    // small batches, so the walk over the id range is exercised
    const summary = await purgeExpiredEvents({ now: NOW, batchSize: 97 });
    expect(summary.cutoff.toISOString()).toBe("2026-03-03T00:00:00.000Z");
    expect(summary.deleted).toBe(counts.aFar - 1 + counts.b);
    expect(summary.kept).toBeGreaterThanOrEqual(counts.a + counts.aWmi + 1);
    expect(summary.batches).toBeGreaterThan(1);

    expect(await countOn(HOST_B)).toBe(0);
    expect(await countOn(HOST_C)).toBe(counts.c); // stored today: within the period
    expect(await countOn(HOST_A)).toBe(counts.a + counts.aWmi + 1);

    const detailAfter = await getAlertDetail(analyst, alertId, { windowMinutes: 1440 });
    expect(detailAfter.event).toEqual(detailBefore.event);
    expect(detailAfter.subscription).toEqual(detailBefore.subscription);
    expect(detailAfter.timeline).toEqual(detailBefore.timeline);
    expect(detailAfter.investigation).toEqual(detailBefore.investigation);
    expect(detailAfter.falsePositives).toEqual(detailBefore.falsePositives);
    expect(detailAfter.payloads).toEqual(detailBefore.payloads);
    const { generatedAt: _a, ...reportAfter } = (await buildCaseReport(lead, caseId))!;
    const { generatedAt: _b, ...reportRest } = reportBefore!;
    expect(reportAfter).toEqual(reportRest);
    expect(reportAfter.alerts[0].evidence.consumer).toMatch(/AtomicRedTeam-WMIPersistence-Example/);
    expect(await getAssignmentReplay(trainer, assignmentId)).toEqual(replayBefore);
    expect(await getTraineeWorkspace(junior, assignmentId)).toEqual(workspaceBefore);
    expect(await listHuntPins(lead, { caseId })).toEqual(pinsBefore);

    expect(await getLastPurge()).toMatchObject({
      at: NOW.toISOString(),
      deleted: summary.deleted,
      kept: summary.kept,
    });
  });

  it("a second purge finds nothing more to drop", async () => {
    const summary = await purgeExpiredEvents({ now: NOW });
    expect(summary.deleted).toBe(0);
    expect(await countOn(HOST_A)).toBe(counts.a + counts.aWmi + 1);
  });
});
