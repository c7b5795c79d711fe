import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/permissions";
import { getAlertDetail } from "@/lib/data/alert-detail";
import { parseTimelineWindow } from "@/lib/data/alert-timeline";
import { setAlertsStatus } from "@/lib/data/alert-status";
import { setAlertStep } from "@/lib/data/alert-steps";
import { addGuideTip } from "@/lib/data/guide-tips";
import { closeDb, getDb } from "@/lib/db/client";
import { CURRENT_RULE } from "@/lib/rule/rules";
import { ingestStream } from "@/lib/services/ingest/ingest-stream";

const ATOMIC = "/work/shared/datasets/evtx-attack-samples/derived-xml/PanacheSysmon_vs_AtomicRedTeam01.evtx.xml";
const run = `ad-${process.pid}-${Date.now()}`;
const analyst: Actor = { id: `${run}-analyst`, role: "analyst", name: "Ana Detail" };
const trainer: Actor = { id: `${run}-trainer`, role: "trainer", name: "Tia Detail" };

function sysmon21(host: string, consumer: string, minute: number, user: object = { name: `${run}-user` }) {
  return {
    "@timestamp": new Date(Date.UTC(2032, 2, 1, 8, minute)).toISOString(),
    event: { code: "21", dataset: "windows.sysmon_operational" },
    host: { name: host },
    user,
    winlog: {
      computer_name: host,
      event_data: {
        Operation: "Created",
        Consumer: ` "\\\\\\\\.\\\\ROOT\\\\subscription:CommandLineEventConsumer.Name=\\"${consumer}\\""`,
        Filter: ` "\\\\\\\\.\\\\ROOT\\\\subscription:__EventFilter.Name=\\"f-${consumer}\\""`,
      },
    },
  };
}

async function ingestDocs(docs: object[]) {
  const text = docs.map((d) => JSON.stringify(d)).join("\n");
  return ingestStream({ source: "api", fileName: `${run}.ndjson`, stream: Readable.from([Buffer.from(text)]) });
}

beforeAll(async () => {
  for (const u of [analyst, trainer])
    await getDb().prisma.user.create({ data: { id: u.id, name: u.name!, email: `${u.id}@test.local`, role: u.role } });
});

afterAll(async () => {
  await closeDb();
});

describe("getAlertDetail", () => {
  it("rebuilds the Atomic Red Team subscription from the host's 19/20 events even outside the timeline window", async () => {
    // re-ingesting is idempotent: the alert may come from an earlier run on this database
    await ingestStream({ source: "api", fileName: "atomic.xml", stream: createReadStream(ATOMIC) });
    const alert = await getDb().prisma.alert.findFirstOrThrow({
      where: { hostName: "MSEDGEWIN10", consumerName: "AtomicRedTeam-WMIPersistence-Example" },
      select: { id: true },
    });
    // the filter (14:54:57) and consumer (14:54:58) were created two minutes before the binding (14:57:02)
    const detail = await getAlertDetail(analyst, alert.id, { windowMinutes: 1 });
    const t = detail.alert.eventTimestamp.getTime();
    expect(detail.timeline.every((e) => Math.abs(e.timestamp.getTime() - t) <= 60_000)).toBe(true);
    expect(detail.timeline.some((e) => e.isAlertEvent)).toBe(true);
    expect(detail.subscription.missing).toEqual([]);
    expect(detail.subscription.consumer).toMatchObject({
      source: "sysmon-20",
      name: "AtomicRedTeam-WMIPersistence-Example",
      className: "CommandLineEventConsumer",
      destination: "C:\\Windows\\System32\\notepad.exe",
    });
    expect(detail.subscription.filter).toMatchObject({
      source: "sysmon-19",
      eventNamespace: "root\\CimV2",
      timestamp: "2019-07-19T14:54:57.041Z",
    });
    expect(detail.subscription.consumer?.timestamp).toBe("2019-07-19T14:54:58.807Z");
    expect(detail.subscription.filter?.query).toMatch(/Win32_PerfFormattedData_PerfOS_System/);
    expect(detail.explanation.branch?.index).toBe(0);
    expect(detail.explanation.trace.filter((p) => p.branchIndex === 0).every((p) => p.held)).toBe(true);
    expect(detail.keyFields.find((k) => k.field === "winlog.event_data.Operation")?.value).toBe("Created");
    // the whole life: the deletion 0.4 s after the binding, outside a one-minute window or not
    expect(detail.life.state).toMatch(
      /and deleted 0\.4 s later; consumer and filter deleted too — nothing of it is present/,
    );
    expect(detail.life.events.map((e) => e.operation)).toEqual([
      "Created",
      "Created",
      "Created",
      "Deleted",
      "Deleted",
      "Deleted",
    ]);
    expect(detail.timeline.find((e) => e.isAlertEvent)?.operation).toBe("Created");
    expect(detail.investigation.map((s) => s.id)).toEqual(CURRENT_RULE.guide.investigation.map((s) => s.id));
    const command = detail.investigation.find((s) => s.id === "investigation.consumer-command")!;
    expect(command.evidence.some((e) => e.value === "C:\\Windows\\System32\\notepad.exe")).toBe(true);
    expect(detail.falsePositives).toHaveLength(5);
    expect(detail.falsePositives.every((s) => s.check !== null)).toBe(true);
    expect(detail.remediation?.wmi).toContain("'AtomicRedTeam-WMIPersistence-Example'");
    expect(detail.response).toHaveLength(CURRENT_RULE.guide.response.length);

    const wide = await getAlertDetail(analyst, alert.id, { windowMinutes: 15 });
    expect(wide.timeline.some((e) => e.eventCode === "19")).toBe(true);
    // the host logged more than the timeline holds in ±15 min: the alert's own event stays in it
    expect(wide.timeline.some((e) => e.isAlertEvent)).toBe(true);
    expect(wide.timeline.length).toBeGreaterThan(detail.timeline.length);
  });

  it("never links alerts on a built-in service account alone (SYSTEM, NETWORK SERVICE, their SIDs)", async () => {
    const hosts = [`${run}-svc-a`, `${run}-svc-b`, `${run}-svc-c`, `${run}-svc-d`];
    const summary = await ingestDocs([
      sysmon21(hosts[0], `${run}-svc-1`, 11, { name: "SYSTEM", domain: "NT AUTHORITY" }),
      sysmon21(hosts[1], `${run}-svc-2`, 12, { name: "SYSTEM", domain: "NT AUTHORITY" }),
      sysmon21(hosts[2], `${run}-svc-3`, 13, { name: "S-1-5-20" }),
      sysmon21(hosts[3], `${run}-svc-4`, 14, { name: "S-1-5-20" }),
    ]);
    expect(summary.alerts).toBe(4);
    const rows = await getDb().prisma.alert.findMany({
      where: { hostName: { in: hosts } },
      select: { id: true, hostName: true },
    });
    const [a, b, c, d] = hosts.map((h) => rows.find((r) => r.hostName === h)!.id);
    const system = await getAlertDetail(analyst, a);
    expect(system.related.map((r) => r.id)).not.toContain(b);
    expect(system.related.every((r) => !r.matchedOn.includes("user"))).toBe(true);
    const sid = await getAlertDetail(analyst, c);
    expect(sid.related.map((r) => r.id)).not.toContain(d);
    const step5 = sid.investigation.find((s) => s.id === "investigation.correlate-alerts")!;
    expect(step5.evidence.map((e) => e.field)).not.toContain(`alert ${d}`);
  });

  it("lists related alerts, earlier closed ones as seen before, steps and history", async () => {
    const consumer = `${run}-consumer`;
    const hosts = [`${run}-a`, `${run}-b`, `${run}-c`];
    const summary = await ingestDocs([
      sysmon21(hosts[0], consumer, 1),
      sysmon21(hosts[1], consumer, 2),
      sysmon21(hosts[2], `${run}-other`, 3),
    ]);
    expect(summary.alerts).toBe(3);
    const rows = await getDb().prisma.alert.findMany({
      where: { hostName: { in: hosts } },
      select: { id: true, version: true, hostName: true },
    });
    const [first, second, third] = hosts.map((h) => rows.find((r) => r.hostName === h)!);

    // close the first as a true positive (mandatory steps first)
    let version = first.version;
    for (const step of CURRENT_RULE.guide.investigation) {
      version = (
        await setAlertStep(analyst, {
          alertId: first.id,
          version,
          stepKey: step.id,
          done: true,
          note: `checked ${step.id}`,
        })
      ).version;
    }
    const closed = await setAlertsStatus(analyst, [{ id: first.id, version }], "closed", {
      closeReason: "true_positive",
      verdictNote: "notepad persistence",
    });
    expect(closed.updated).toEqual([first.id]);

    const detail = await getAlertDetail(analyst, second.id);
    expect(detail.windowMinutes).toBe(15);
    const related = detail.related.find((r) => r.id === first.id);
    expect(related?.matchedOn).toEqual(["user", "consumer"]);
    // the third alert shares only the user
    expect(detail.related.find((r) => r.id === third.id)?.matchedOn).toEqual(["user"]);
    expect(detail.seenBefore).toHaveLength(1);
    expect(detail.seenBefore[0]).toMatchObject({
      id: first.id,
      verdict: "true_positive",
      closeReason: "true_positive",
      closedByName: "Ana Detail",
      matchedOn: ["consumer"],
    });
    expect(detail.subscription.missing.join(" ")).toMatch(/no Sysmon 20 event/);

    const firstDetail = await getAlertDetail(analyst, first.id);
    expect(firstDetail.alert).toMatchObject({
      status: "closed",
      verdict: "true_positive",
      statusChangedByName: "Ana Detail",
    });
    expect(firstDetail.investigation.every((s) => s.state?.done && s.state.updatedByName === "Ana Detail")).toBe(true);
    expect(firstDetail.history[0]).toMatchObject({ action: "alert.close", actorName: "Ana Detail" });
    expect(firstDetail.history.filter((h) => h.action === "alert.step")).toHaveLength(
      CURRENT_RULE.guide.investigation.length,
    );
    // the closed alert is not among the open/acknowledged neighbours of the others
    expect([detail.nav.prevId, detail.nav.nextId]).not.toContain(first.id);
    expect(detail.permissions).toEqual({ triage: true, assign: false, settings: false });
  });

  it("shows trainers' tips on the live alert page only when they are visible to every analyst", async () => {
    const summary = await ingestDocs([sysmon21(`${run}-tips`, `${run}-tips-consumer`, 9)]);
    expect(summary.alerts).toBe(1);
    const alert = await getDb().prisma.alert.findFirstOrThrow({
      where: { hostName: `${run}-tips` },
      select: { id: true },
    });
    const step = CURRENT_RULE.guide.investigation[2].id;
    await addGuideTip(trainer, { stepId: step, text: `${run} shared <b>tip</b>`, visibleToAll: true });
    await addGuideTip(trainer, { stepId: step, text: `${run} training-only tip`, visibleToAll: false });
    const tips = (await getAlertDetail(analyst, alert.id)).guideTips.filter((t) => t.text.startsWith(run));
    expect(tips).toEqual([
      expect.objectContaining({
        stepId: step,
        text: `${run} shared <b>tip</b>`,
        authorName: "Tia Detail",
        visibleToAll: true,
      }),
    ]);
  });

  it("decoys differing by U+00A0 or case never lend their command; the SCM filter is never deleted", async () => {
    const host = `${run}-decoy`;
    const at = (s: number) => new Date(Date.UTC(2032, 3, 1, 9, 0, s)).toISOString();
    const base = { host: { name: host }, winlog: { computer_name: host } };
    const ev = (code: string, s: number, data: Record<string, string>, extra: object = {}) => ({
      "@timestamp": at(s),
      event: { code, dataset: "windows.sysmon_operational" },
      ...base,
      winlog: { computer_name: host, event_data: { Operation: "Created", ...data } },
      ...extra,
    });
    const consumer = (name: string, cmd: string, s: number) =>
      ev("20", s, { Name: ` "${name}"`, Type: "Command Line" }, { process: { executable: ` "${cmd}"` } });
    await ingestDocs([
      consumer("Updater", "C:\\\\evil\\\\real.exe", 1),
      // decoys created after the real one, nearer the binding
      consumer("Updater\u00a0", "C:\\\\decoy\\\\nbsp.exe", 5),
      consumer("UPDATER", "C:\\\\decoy\\\\case.exe", 6),
      ev("21", 10, {
        Consumer: ' "\\\\\\\\.\\\\ROOT\\\\subscription:CommandLineEventConsumer.Name=\\"Updater\\""',
        Filter: ' "\\\\\\\\.\\\\ROOT\\\\subscription:__EventFilter.Name=\\"SCM Event Log Filter\\""',
      }),
    ]);
    const alert = await getDb().prisma.alert.findFirstOrThrow({ where: { hostName: host }, select: { id: true } });
    const detail = await getAlertDetail(analyst, alert.id);
    expect(detail.subscription.consumer?.destination).toBe("C:\\evil\\real.exe");
    expect(detail.alert.command).toBe("C:\\evil\\real.exe");
    expect(detail.subscription.nearMatches.map((m) => m.nameCodePoints).sort()).toEqual(["UPDATER", "Updater<U+00A0>"]);
    const r = detail.remediation!;
    expect(r.wmi).toContain("$consumerName = 'Updater'\n");
    expect(r.wmi).toContain('#   - consumer "Updater<U+00A0>": a near-match of "Updater" (differs by whitespace)');
    expect(r.leaves.some((l) => l.startsWith('filter "SCM Event Log Filter": a Windows built-in object'))).toBe(true);
    expect(r.cim.split("\n").filter((l) => l.includes("Remove-CimInstance") && l.includes("__EventFilter"))).toEqual(
      [],
    );
  });

  it("detection and the page read the host's subscription events through one loader: a busy host agrees", async () => {
    const host = `${run}-busy`;
    const at = (m: number) => new Date(Date.UTC(2032, 4, 1, 0, m)).toISOString();
    const consumer = (name: string, cmd: string, m: number, op = "Created") => ({
      "@timestamp": at(m),
      event: { code: "20", dataset: "windows.sysmon_operational" },
      host: { name: host },
      winlog: { computer_name: host, event_data: { Operation: op, Name: ` "${name}"`, Type: "Command Line" } },
      process: { executable: ` "${cmd}"` },
    });
    const binding = (op: string, m: number) => ({
      "@timestamp": at(m),
      event: { code: "21", dataset: "windows.sysmon_operational" },
      host: { name: host },
      winlog: {
        computer_name: host,
        event_data: {
          Operation: op,
          Consumer: ' "\\\\\\\\.\\\\ROOT\\\\subscription:CommandLineEventConsumer.Name=\\"Busy-Real\\""',
          Filter: ' "\\\\\\\\.\\\\ROOT\\\\subscription:__EventFilter.Name=\\"Busy-Filter\\""',
        },
      },
    });
    // 600 unrelated consumers before and 600 after: more than any fixed window of the host's events
    const noise = (from: number) =>
      Array.from({ length: 600 }, (_, k) => consumer(`Noise-${from}-${k}`, `C:\\\\noise\\\\${k}.exe`, from + k));
    await ingestDocs([
      ...noise(0),
      consumer("Busy-Real", "C:\\\\evil\\\\busy.exe", 700),
      binding("Created", 701),
      ...noise(800),
      binding("Deleted", 1500),
    ]);
    const alert = await getDb().prisma.alert.findFirstOrThrow({
      where: { hostName: host },
      select: { id: true, command: true },
    });
    expect(alert.command).toBe("C:\\evil\\busy.exe");
    const detail = await getAlertDetail(analyst, alert.id);
    expect(detail.subscription.consumer?.destination).toBe(alert.command);
    expect(detail.life.events.map((e) => `${e.part} ${e.operation}`)).toEqual([
      "consumer Created",
      "binding Created",
      "binding Deleted",
    ]);
    expect(detail.life.removalLooksDone).toBe(true);
    expect(detail.life.state).toMatch(/^binding created .* and deleted 13\.3 h later/);
  });

  it("reports a missing alert as not_found and reads the window param safely", async () => {
    await expect(getAlertDetail(analyst, `${run}-missing`)).rejects.toMatchObject({ code: "not_found" });
    expect(
      (await getAlertDetail(trainer, (await getDb().prisma.alert.findFirstOrThrow({ select: { id: true } })).id))
        .permissions.triage,
    ).toBe(false);
    expect(parseTimelineWindow("60")).toBe(60);
    expect(parseTimelineWindow("7")).toBe(15);
    expect(parseTimelineWindow(undefined)).toBe(15);
  });
});
