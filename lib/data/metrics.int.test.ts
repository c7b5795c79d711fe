import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/permissions";
import { assignAlerts, setAlertsStatus } from "@/lib/data/alert-status";
import { closeCase, createCase, getCase } from "@/lib/data/cases";
import { getMetrics } from "@/lib/data/metrics";
import { getAckSlaSetting, setAckSlaMinutes } from "@/lib/data/settings";
import { closeDb, getDb } from "@/lib/db/client";
import { CURRENT_RULE } from "@/lib/rule/rules";
import { ingestStream } from "@/lib/services/ingest/ingest-stream";

const run = `m${process.pid}x${Date.now()}`;
const lead: Actor = { id: `${run}-lead`, role: "lead", name: `Lee Metrics ${run}` };
const ana: Actor = { id: `${run}-ana`, role: "analyst", name: `Ana Metrics ${run}` };
const bob: Actor = { id: `${run}-bob`, role: "analyst", name: `Bob Metrics ${run}` };

async function makeAlert(i: number, minutesAgo: number): Promise<string> {
  const host = `${run}-h${i}`;
  const doc = {
    "@timestamp": new Date().toISOString(),
    event: { code: "21", dataset: "windows.sysmon_operational" },
    host: { name: host },
    winlog: {
      computer_name: host,
      event_data: {
        Operation: "Created",
        Consumer: ` "\\\\.\\ROOT\\subscription:CommandLineEventConsumer.Name=\\"${run}-${i}\\""`,
      },
    },
  };
  const summary = await ingestStream({
    source: "api",
    fileName: `${host}.ndjson`,
    stream: Readable.from([Buffer.from(JSON.stringify(doc))]),
  });
  expect(summary.alerts).toBe(1);
  const { prisma } = getDb();
  const alert = await prisma.alert.findFirstOrThrow({ where: { hostName: host }, select: { id: true } });
  // raised some time ago, so acknowledging now is late or not against the target
  await prisma.alert.update({
    where: { id: alert.id },
    data: { createdAt: new Date(Date.now() - minutesAgo * 60_000) },
  });
  return alert.id;
}

const item = async (id: string) =>
  getDb().prisma.alert.findUniqueOrThrow({ where: { id }, select: { id: true, version: true } });

async function finishSteps(alertId: string, by: Actor) {
  for (const step of CURRENT_RULE.guide.investigation)
    await getDb().prisma.alertStep.upsert({
      where: { alertId_stepKey: { alertId, stepKey: step.id } },
      create: { alertId, stepKey: step.id, done: true, updatedBy: by.id },
      update: { done: true },
    });
}

/** What the audit log says, read the plain way: per alert, the entries in order. */
async function expectedFromAudit(alertIds: string[], slaMs: number) {
  const { prisma } = getDb();
  const per = new Map<string, { ack: number[]; late: number; res: number[]; closedByThem: number }>();
  const of = (u: string) => per.get(u) ?? per.set(u, { ack: [], late: 0, res: [], closedByThem: 0 }).get(u)!;
  for (const id of alertIds) {
    const { createdAt, status } = await prisma.alert.findUniqueOrThrow({
      where: { id },
      select: { createdAt: true, status: true },
    });
    const log = await prisma.auditLog.findMany({
      where: { entityType: "alert", entityId: id },
      orderBy: [{ at: "asc" }, { id: "asc" }],
    });
    let assignee: string | null = null;
    let acked = false;
    let closure: { at: Date; by: string; assignee: string | null } | null = null;
    for (const entry of log) {
      const actor = entry.actorId ?? "unknown";
      const after = (entry.after ?? {}) as Record<string, unknown>;
      if (entry.action === "alert.assign") assignee = (after.assigneeId as string | null) ?? null;
      if (!acked && (after.status === "acknowledged" || after.status === "closed")) {
        acked = true;
        const ms = entry.at.getTime() - createdAt.getTime();
        of(assignee ?? actor).ack.push(ms);
        if (ms > slaMs) of(assignee ?? actor).late++;
      }
      if (entry.action === "alert.close") closure = { at: entry.at, by: actor, assignee };
    }
    if (status === "closed" && closure) {
      of(closure.assignee ?? closure.by).res.push(closure.at.getTime() - createdAt.getTime());
      of(closure.by).closedByThem++;
    }
  }
  return per;
}

beforeAll(async () => {
  for (const u of [lead, ana, bob])
    await getDb().prisma.user.create({ data: { id: u.id, name: u.name!, email: `${u.id}@test.local`, role: u.role } });
  await getDb().prisma.setting.deleteMany({ where: { key: "mandatorySteps" } });
});

afterAll(async () => {
  await getDb().prisma.event.deleteMany({ where: { hostName: { startsWith: run } } });
  await closeDb();
});

describe("metrics per analyst", () => {
  it("credits acknowledgements and closures to the assignee (a lead closing a case too), matching the audit log", async () => {
    const sla = await setAckSlaMinutes(lead, 90, (await getAckSlaSetting()).updatedAt);
    expect(sla.value).toBe(90);
    expect((await getAckSlaSetting()).value).toBe(90);

    const [a1, a2, a3, a4] = [
      await makeAlert(1, 180),
      await makeAlert(2, 180),
      await makeAlert(3, 120),
      await makeAlert(4, 5),
    ];
    // a1: Ana's own, acknowledged and closed by her
    await assignAlerts(lead, [await item(a1)], ana.id);
    expect((await setAlertsStatus(ana, [await item(a1)], "acknowledged")).updated).toEqual([a1]);
    await finishSteps(a1, ana);
    const closed = await setAlertsStatus(ana, [await item(a1)], "closed", { closeReason: "true_positive" });
    expect(closed.updated).toEqual([a1]);
    // a2 (Ana's) and a3 (Bob's, acknowledged by him) in one case the lead closes
    await assignAlerts(lead, [await item(a2)], ana.id);
    await assignAlerts(lead, [await item(a3)], bob.id);
    await setAlertsStatus(bob, [await item(a3)], "acknowledged");
    await finishSteps(a2, ana);
    await finishSteps(a3, bob);
    const c = await createCase(lead, { title: `metrics ${run}`, alertIds: [a2, a3] });
    const detail = (await getCase(lead, c.id))!;
    expect((await closeCase(lead, c.id, detail.updatedAt, { resolution: "benign_positive" })).alertsClosed).toBe(2);
    // a4: nobody's, acknowledged by Bob within the target
    await setAlertsStatus(bob, [await item(a4)], "acknowledged");

    const m = await getMetrics(lead, 30);
    const row = (u: Actor) => m.analysts.find((a) => a.userId === u.id);
    expect(row(ana)).toMatchObject({ name: ana.name, acknowledged: 2, lateAcks: 2, closed: 2, closedByThem: 1 });
    expect(row(bob)).toMatchObject({ acknowledged: 2, lateAcks: 1, closed: 1, closedByThem: 0 });
    // the lead closed two alerts of others: recorded as the closer, not credited with the work
    expect(row(lead)).toMatchObject({ acknowledged: 0, closed: 0, closedByThem: 2 });

    const expected = await expectedFromAudit([a1, a2, a3, a4], 90 * 60_000);
    const avg = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    for (const u of [ana, bob, lead]) {
      const e = expected.get(u.id)!;
      const r = row(u)!;
      expect([r.acknowledged, r.lateAcks, r.closed, r.closedByThem]).toEqual([
        e.ack.length,
        e.late,
        e.res.length,
        e.closedByThem,
      ]);
      if (e.ack.length) expect(r.mttaMs).toBeCloseTo(avg(e.ack), 3);
      else expect(r.mttaMs).toBeNull();
      if (e.res.length) expect(r.mttrMs).toBeCloseTo(avg(e.res), 3);
      else expect(r.mttrMs).toBeNull();
    }
    // Ana's MTTA: her two alerts were raised 3 h before they were acknowledged (a1) or closed (a2)
    expect(row(ana)!.mttaMs! / 60_000).toBeGreaterThan(179);
    expect(row(ana)!.mttaMs! / 60_000).toBeLessThan(185);
    expect(row(bob)!.mttaMs! / 60_000).toBeCloseTo((120 + 5) / 2, 0);

    expect(m.sla.minutes).toBe(90);
    expect(m.sla.lateAcks).toBeGreaterThanOrEqual(3);
    const verdicts = new Map(m.verdicts.map((v) => [v.verdict, v.label]));
    expect(verdicts.get("true_positive")).toBe("True positive");
    expect(verdicts.get("benign_positive")).toBe("Benign positive");
  });

  it("refuses a target outside one minute to a week, and a stale form", async () => {
    await expect(setAckSlaMinutes(lead, 0)).rejects.toThrow();
    await expect(setAckSlaMinutes(lead, 7 * 24 * 60 + 1)).rejects.toThrow();
    await expect(setAckSlaMinutes(lead, 30, new Date(0))).rejects.toMatchObject({ code: "conflict" });
    await expect(setAckSlaMinutes(ana, 30)).rejects.toMatchObject({ code: "forbidden" });
  });
});
