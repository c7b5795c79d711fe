import { readFileSync } from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getBlindSpotEvent, listBlindSpots, MATCHED_WITHOUT_ALERT, type BlindSpot } from "@/lib/data/blind-spots";
import { closeDb, getDb } from "@/lib/db/client";
import { ingestStream } from "@/lib/services/ingest/ingest-stream";

const derived = path.resolve(process.cwd(), "../shared/datasets/evtx-attack-samples/derived-xml");
const lead = { id: `bs-lead-${process.pid}-${Date.now()}`, name: "Blind-spot lead", role: "lead" };
const trainer = { id: "trainer-x", role: "trainer" };

/**
 * The real recordings, with record ids of their own so they never collide with the same files
 * ingested by other tests in this database (the fingerprint is channel + computer + record id).
 */
async function ingestRenumbered(file: string) {
  const base = Number(String(Date.now()).slice(-9)) * 1000 + Math.floor(Math.random() * 1000);
  const xml = readFileSync(path.join(derived, file), "utf8").replace(
    /<EventRecordID>(\d+)<\/EventRecordID>/g,
    (_m, n) => `<EventRecordID>${base + Number(n)}</EventRecordID>`,
  );
  return ingestStream({ source: "cli", fileName: file, stream: Readable.from([Buffer.from(xml)]) });
}

const ours = new Set<string>();
let spots: BlindSpot[] = [];

async function blindSpotsOf(host: string): Promise<BlindSpot[]> {
  const list = await listBlindSpots(trainer, { host, pageSize: 10_000 });
  return [...list.subscriptions, ...list.covered].flatMap((g) => g.events).filter((r) => ours.has(r.eventId));
}

beforeAll(async () => {
  const { prisma } = getDb();
  const summaries = [];
  for (const file of [
    "sysmon_20_21_1_CommandLineEventConsumer.evtx.xml",
    "wmighost_sysmon_20_21_1.evtx.xml",
    "PanacheSysmon_vs_AtomicRedTeam01.evtx.xml",
  ]) {
    const summary = await ingestRenumbered(file);
    expect(summary.status).toBe("succeeded");
    summaries.push(summary);
  }
  // the Atomic recording alerts once, the two others not at all
  expect(summaries.map((s) => s.alerts)).toEqual([0, 0, 1]);
  const events = await prisma.event.findMany({
    where: { ingestJobId: { in: summaries.map((s) => s.jobId) } },
    select: { id: true },
  });
  for (const e of events) ours.add(e.id.toString());
  spots = [
    ...(await blindSpotsOf("IEWIN7")),
    ...(await blindSpotsOf("PC04.example.corp")),
    ...(await blindSpotsOf("MSEDGEWIN10")),
  ];
});

afterAll(async () => {
  await closeDb();
});

const bindings = () => spots.filter((s) => s.eventCode === "21");

describe("blind spots", () => {
  it("lists BotConsumer23 (no subscription: namespace) with the Consumer predicate failed", () => {
    const bot = bindings().filter((s) => s.subject?.includes("BotConsumer23"));
    expect(bot.length).toBeGreaterThanOrEqual(1);
    const created = bot.find((s) => s.operation === "Created")!;
    expect(created).toBeDefined();
    expect(created.host).toBe("IEWIN7");
    expect(created.failures.map((f) => f.field)).toEqual(["winlog.event_data.Consumer"]);
    expect(created.failures[0].seen[0]).toContain('CommandLineEventConsumer.Name=\\"BotConsumer23\\"');
    expect(created.failures[0].expected).toContain("*subscription:CommandLineEventConsumer*");
    expect(created.reason).toContain("no `subscription:` namespace");
  });

  it("lists WMIGhost's ActiveScriptEventConsumer binding with the Operation predicate failed (Modified)", () => {
    const ghost = bindings().filter((s) => s.host === "PC04.example.corp");
    expect(ghost).toHaveLength(1);
    expect(ghost[0].subject).toContain("subscription:ActiveScriptEventConsumer");
    expect(ghost[0].failures).toEqual([
      expect.objectContaining({ field: "winlog.event_data.Operation", seen: ["Modified"] }),
    ]);
    expect(ghost[0].reason).toBe("Operation is Modified: the rule reads only Created");
  });

  it("lists the Atomic Red Team Deleted binding, not the Created binding that alerted", () => {
    const atomic = bindings().filter((s) => s.host === "MSEDGEWIN10");
    expect(atomic.map((s) => s.operation)).toEqual(["Deleted"]);
    expect(atomic[0].subject).toContain("AtomicRedTeam-WMIPersistence-Example");
    expect(atomic[0].failures.map((f) => f.field)).toEqual(["winlog.event_data.Operation"]);
    expect(spots.some((s) => s.reason === MATCHED_WITHOUT_ALERT)).toBe(false);
  });

  it("includes the filter (19) and consumer (20) events, failing on event.code", () => {
    const others = spots.filter((s) => s.eventCode === "19" || s.eventCode === "20");
    expect(others.length).toBeGreaterThanOrEqual(4);
    for (const s of others) expect(s.failures.map((f) => f.field)).toContain("event.code");
    // nothing but WMI subscription activity is listed (no process creations of those files)
    expect(spots.every((s) => ["19", "20", "21"].includes(s.eventCode ?? ""))).toBe(true);
  });

  it("groups by reason with counts and filters by reason", async () => {
    const list = await listBlindSpots(trainer, { host: "PC04.example.corp", pageSize: 10_000 });
    const group = list.groups.find((g) => g.reason === "Operation is Modified: the rule reads only Created");
    expect(group?.count).toBeGreaterThanOrEqual(1);
    const filtered = await listBlindSpots(trainer, { host: "PC04.example.corp", reason: group!.reason });
    const events = filtered.subscriptions.flatMap((g) => g.events);
    expect(events.every((r) => r.reason === group!.reason)).toBe(true);
    expect(filtered.events).toBe(group!.count);
  });

  it("shows one event with its verdict, and the alerted binding as alerted", async () => {
    const ghost = bindings().find((s) => s.host === "PC04.example.corp")!;
    const event = await getBlindSpotEvent(lead, ghost.eventId);
    expect(event?.json).toContain('"Operation": "Modified"');
    expect(event?.alertIds).toEqual([]);
    const alerted = await getDb().prisma.alert.findFirst({
      where: { eventId: { in: [...ours].map(BigInt) } },
      select: { eventId: true, id: true },
    });
    const view = await getBlindSpotEvent(lead, alerted!.eventId.toString());
    expect(view?.alertIds).toEqual([alerted!.id]);
    expect(view?.reason).toBe("The rule alerted on this event");
    expect(await getBlindSpotEvent(lead, "not-a-number")).toBeNull();
  });

  it("groups a host's events by subscription: BotConsumer23's filter, consumer and binding are one gap", async () => {
    const list = await listBlindSpots(trainer, { host: "IEWIN7", pageSize: 10_000 });
    const bot = list.subscriptions.filter((g) => g.consumer === "BotConsumer23");
    expect(bot).toHaveLength(1);
    expect(bot[0]).toMatchObject({
      host: "IEWIN7",
      consumerClass: "CommandLineEventConsumer",
      filter: "BotFilter82",
      alertIds: [],
      command: "c:\\Windows\\System32\\cmd.exe",
    });
    expect(bot[0].query).toContain("SELECT * FROM __InstanceModificationEvent");
    const mine = bot[0].events.filter((e) => ours.has(e.eventId));
    expect(new Set(mine.map((e) => e.eventCode))).toEqual(new Set(["19", "20", "21"]));
    expect(list.covered.some((g) => g.consumer === "BotConsumer23")).toBe(false);
  });

  it("WMIGhost's script consumer and its Modified binding are one gap, with the whole script kept", async () => {
    const list = await listBlindSpots(trainer, { host: "PC04.example.corp", pageSize: 10_000 });
    const ghost = list.subscriptions.find((g) => g.consumer === "ProbeScriptFint")!;
    expect(ghost).toMatchObject({
      consumerClass: "ActiveScriptEventConsumer",
      filter: "ProbeScriptFint",
      alertIds: [],
    });
    expect(new Set(ghost.events.filter((e) => ours.has(e.eventId)).map((e) => e.eventCode))).toEqual(
      new Set(["20", "21"]),
    );
    // the page cuts it; the data keeps all of it for the expander
    expect(ghost.command!.length).toBeGreaterThan(1000);
    expect(ghost.command).toMatch(/^var sXmlUrl=/);
  });

  it("folds the Atomic Red Team subscription away as covered: its binding alerted, the rest is not a gap", async () => {
    const list = await listBlindSpots(trainer, { host: "MSEDGEWIN10", pageSize: 10_000 });
    const name = "AtomicRedTeam-WMIPersistence-Example";
    expect(list.subscriptions.some((g) => g.consumer === name || g.filter === name)).toBe(false);
    const covered = list.covered.filter((g) => g.consumer === name);
    expect(covered).toHaveLength(1);
    const alert = await getDb().prisma.alert.findFirstOrThrow({
      where: { eventId: { in: [...ours].map(BigInt) }, hostName: "MSEDGEWIN10" },
      select: { id: true },
    });
    expect(covered[0].alertIds).toContain(alert.id);
    const mine = covered[0].events.filter((e) => ours.has(e.eventId));
    expect(mine.map((e) => `${e.eventCode} ${e.operation}`).sort()).toEqual([
      "19 Created",
      "19 Deleted",
      "20 Created",
      "20 Deleted",
      "21 Deleted",
    ]);
    expect(list.coveredTotal).toBeGreaterThanOrEqual(1);
  });

  it("refuses a role without rule:read", async () => {
    await expect(listBlindSpots({ id: "x", role: "nobody" })).rejects.toMatchObject({ code: "forbidden" });
  });
});
