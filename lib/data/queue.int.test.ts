import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/permissions";
import { assignAlerts } from "@/lib/data/alert-status";
import { getQueue, queueFilterSchema } from "@/lib/data/queue";
import { closeDb, getDb } from "@/lib/db/client";
import { ingestStream } from "@/lib/services/ingest/ingest-stream";

const run = `q${process.pid}x${Date.now()}`;
const lead: Actor = { id: `${run}-lead`, role: "lead", name: "Lee Queue" };
const analyst: Actor = { id: `${run}-analyst`, role: "analyst", name: "Ana Queue" };

function sysmon21(i: number) {
  const host = `${run}-h${i}`;
  return {
    "@timestamp": new Date(Date.UTC(2030, 0, 1, 0, i)).toISOString(),
    event: { code: "21", dataset: "windows.sysmon_operational" },
    host: { name: host },
    user: { name: "queue-user" },
    winlog: {
      computer_name: host,
      event_data: {
        Operation: "Created",
        Consumer: ` "\\\\\\\\.\\\\ROOT\\\\subscription:CommandLineEventConsumer.Name=\\"c${i}\\""`,
      },
    },
  };
}

beforeAll(async () => {
  for (const u of [lead, analyst])
    await getDb().prisma.user.create({ data: { id: u.id, name: u.name!, email: `${u.id}@test.local`, role: u.role } });
});

afterAll(async () => {
  await getDb().prisma.event.deleteMany({ where: { hostName: { startsWith: run } } });
  await closeDb();
});

describe("getQueue", () => {
  it("pages through one person's alerts oldest first, every alert exactly once", async () => {
    // one alert per ingest, so their creation times (the queue's order) follow i
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const summary = await ingestStream({
        source: "api",
        fileName: `${run}-${i}.ndjson`,
        stream: Readable.from([Buffer.from(JSON.stringify(sysmon21(i)))]),
      });
      expect(summary.alerts).toBe(1);
      const alert = await getDb().prisma.alert.findFirstOrThrow({
        where: { hostName: `${run}-h${i}` },
        select: { id: true, version: true },
      });
      expect((await assignAlerts(lead, [alert], analyst.id)).updated).toEqual([alert.id]);
      ids.push(alert.id);
    }
    const filter = (page: string) => queueFilterSchema.parse({ view: "all", assignee: analyst.id, page });
    const pages = [];
    for (const page of ["1", "2", "3"]) pages.push(await getQueue(lead, filter(page), new Date(), 2));
    expect(pages.map((p) => [p.page, p.pageCount, p.total])).toEqual([
      [1, 3, 5],
      [2, 3, 5],
      [3, 3, 5],
    ]);
    expect(pages.flatMap((p) => p.alerts.map((a) => a.id))).toEqual(ids);
    expect(pages[0].workload.find((w) => w.userId === analyst.id)).toMatchObject({ open: 5, total: 5 });
    expect(queueFilterSchema.parse({ page: "-1" }).page).toBe(1);
  });

  it("fills the Unassigned workload row like a person's: open, acknowledged, total and oldest", async () => {
    const { prisma } = getDb();
    for (const i of [10, 11]) {
      const summary = await ingestStream({
        source: "api",
        fileName: `${run}-${i}.ndjson`,
        stream: Readable.from([Buffer.from(JSON.stringify(sysmon21(i)))]),
      });
      expect(summary.alerts).toBe(1);
    }
    await prisma.alert.updateMany({ where: { hostName: `${run}-h11` }, data: { status: "acknowledged" } });
    const now = new Date();
    const queue = await getQueue(lead, queueFilterSchema.parse({ view: "unassigned" }), now);
    const count = (status: string) => prisma.alert.count({ where: { status, assigneeId: null } });
    const oldest = await prisma.alert.findFirstOrThrow({
      where: { status: { in: ["open", "acknowledged"] }, assigneeId: null },
      orderBy: { createdAt: "asc" },
      select: { createdAt: true },
    });
    expect(queue.unassigned).toEqual({
      open: await count("open"),
      acknowledged: await count("acknowledged"),
      total: queue.unassignedTotal,
      oldestAgeMs: now.getTime() - oldest.createdAt.getTime(),
    });
    expect(queue.unassigned.open).toBeGreaterThanOrEqual(1);
    expect(queue.unassigned.acknowledged).toBeGreaterThanOrEqual(1);
    // nobody's row holds the unassigned alerts
    expect(queue.workload.some((w) => !w.userId)).toBe(false);
  });

  it("sorts by severity (by rank, not alphabetically) and by risk score, either way, across pages", async () => {
    const { prisma } = getDb();
    const sorter: Actor = { id: `${run}-sorter`, role: "analyst", name: "Sol Sorter" };
    await prisma.user.create({
      data: { id: sorter.id, name: sorter.name!, email: `${sorter.id}@test.local`, role: sorter.role },
    });
    // severity and risk per alert: ranks and scores disagree, so the two sorts give different orders
    const given = [
      { i: 20, severity: "low", risk: 90 },
      { i: 21, severity: "critical", risk: 10 },
      { i: 22, severity: "medium", risk: 47 },
      { i: 23, severity: "high", risk: 73 },
    ];
    const byHost = new Map<string, number>();
    for (const g of given) {
      const summary = await ingestStream({
        source: "api",
        fileName: `${run}-${g.i}.ndjson`,
        stream: Readable.from([Buffer.from(JSON.stringify(sysmon21(g.i)))]),
      });
      expect(summary.alerts).toBe(1);
      const alert = await prisma.alert.findFirstOrThrow({
        where: { hostName: `${run}-h${g.i}` },
        select: { id: true, version: true },
      });
      await prisma.alert.update({ where: { id: alert.id }, data: { severity: g.severity, riskScore: g.risk } });
      expect((await assignAlerts(lead, [alert], sorter.id)).updated).toEqual([alert.id]);
      byHost.set(`${run}-h${g.i}`, g.i);
    }
    const order = async (sort: string, dir?: string, limit = 200) => {
      const seen: number[] = [];
      for (let page = 1; page <= 4; page++) {
        const filter = queueFilterSchema.parse({ view: "all", assignee: sorter.id, sort, dir, page });
        const q = await getQueue(lead, filter, new Date(), limit);
        seen.push(...q.alerts.map((a) => byHost.get(a.hostName!)!));
        if (page >= q.pageCount) break;
      }
      return seen;
    };
    expect(await order("severity")).toEqual([21, 23, 22, 20]);
    expect(await order("severity", "asc")).toEqual([20, 22, 23, 21]);
    expect(await order("risk", undefined, 3)).toEqual([20, 23, 22, 21]);
    expect(await order("risk", "asc")).toEqual([21, 22, 23, 20]);
    expect(await order("age")).toEqual([20, 21, 22, 23]);
    expect(await order("age", "desc", 1)).toEqual([23, 22, 21, 20]);
    const q = await getQueue(lead, queueFilterSchema.parse({ view: "all", assignee: sorter.id, sort: "risk" }));
    expect(q.alerts[0]).toMatchObject({ severity: "low", riskScore: 90 });
    expect(queueFilterSchema.parse({ sort: "'; DROP", dir: "sideways" })).toMatchObject({ sort: "age" });
  });
});
