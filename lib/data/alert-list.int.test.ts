import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/permissions";
import { containsPattern, getAlertNeighbours, listAlerts, parseAlertFilter } from "@/lib/data/alert-list";
import { assignAlerts, setAlertsStatus } from "@/lib/data/alert-status";
import { closeDb, getDb } from "@/lib/db/client";
import { ingestStream } from "@/lib/services/ingest/ingest-stream";

// Alerts of this file live on hosts named `${run}-…` in June 2029, and every filter below also
// pins the run's hosts (by q or host), so other files' alerts in the same database never count.
const run = `ls${process.pid}x${Date.now()}`;
const lead: Actor = { id: `${run}-lead`, role: "lead", name: "Lee List" };
const analyst: Actor = { id: `${run}-analyst`, role: "analyst", name: "Ana List" };

function sysmon21(host: string, consumer: string, at: Date, user: string, type = "CommandLineEventConsumer") {
  return {
    "@timestamp": at.toISOString(),
    event: { code: "21", dataset: "windows.sysmon_operational", kind: "event" },
    host: { name: host },
    user: { name: user },
    winlog: {
      computer_name: host,
      event_data: {
        Operation: "Created",
        Consumer: ` "\\\\\\\\.\\\\ROOT\\\\subscription:${type}.Name=\\"${consumer}\\""`,
        Filter: ` "\\\\\\\\.\\\\ROOT\\\\subscription:__EventFilter.Name=\\"f-${consumer}\\""`,
      },
    },
  };
}

const t = (day: number, hour: number) => new Date(Date.UTC(2029, 5, day, hour));
// 7 alerts: host A ×3, B ×2, C ×1, plus one whose consumer name contains a literal "50%_off"
const docs = [
  sysmon21(`${run}-a`, "updater", t(1, 1), "alice"),
  sysmon21(`${run}-a`, "backdoor", t(1, 2), "alice"),
  sysmon21(`${run}-a`, "beacon", t(2, 5), "bob"),
  sysmon21(`${run}-b`, "updater2", t(3, 0), "bob"),
  sysmon21(`${run}-b`, "script", t(3, 7), "carol", "ActiveScriptEventConsumer"),
  sysmon21(`${run}-c`, "lonely", t(4, 9), "carol"),
  sysmon21(`${run}-c`, "50%_off", t(4, 10), "dave"),
];
let jobId = "";

const filter = (params: Record<string, string>) => parseAlertFilter({ q: run, ...params });

beforeAll(async () => {
  const { prisma } = getDb();
  for (const u of [lead, analyst])
    await prisma.user.create({ data: { id: u.id, name: u.name!, email: `${u.id}@test.local`, role: u.role } });
  const summary = await ingestStream({
    source: "api",
    fileName: `${run}.ndjson`,
    stream: Readable.from([Buffer.from(docs.map((d) => JSON.stringify(d)).join("\n"))]),
  });
  expect(summary.alerts).toBe(docs.length);
  jobId = summary.jobId;
});

afterAll(async () => {
  await closeDb();
});

describe("listAlerts", () => {
  it("lists every alert of the run, newest first, with total and per-status counts", async () => {
    const r = await listAlerts(lead, filter({}));
    expect(r.total).toBe(7);
    expect(r.rows.map((x) => x.consumerName)).toEqual([
      "50%_off",
      "lonely",
      "script",
      "updater2",
      "beacon",
      "backdoor",
      "updater",
    ]);
    expect(r.statusCounts).toEqual({ open: 7, acknowledged: 0, closed: 0 });
    expect(r.rows[2]).toMatchObject({
      hostName: `${run}-b`,
      userName: "carol",
      consumerType: "ActiveScriptEventConsumer",
      status: "open",
      severity: "medium",
    });
  });

  it("filters by host, user, consumer, time range and ingest job", async () => {
    expect((await listAlerts(lead, filter({ host: `${run}-a` }))).total).toBe(3);
    expect((await listAlerts(lead, filter({ user: "bob" }))).rows.map((x) => x.consumerName)).toEqual([
      "updater2",
      "beacon",
    ]);
    expect((await listAlerts(lead, filter({ consumer: "lonely" }))).total).toBe(1);
    const range = await listAlerts(lead, filter({ from: t(2, 0).toISOString(), to: t(3, 7).toISOString() }));
    expect(range.rows.map((x) => x.consumerName)).toEqual(["updater2", "beacon"]);
    const byJob = await listAlerts(lead, parseAlertFilter({ job: jobId }));
    expect(byJob.total).toBe(7);
  });

  it("searches host, user, consumer, command and reason, with % and _ taken literally", async () => {
    expect(
      (await listAlerts(lead, parseAlertFilter({ q: "50%_off", host: `${run}-c` }))).rows.map((x) => x.consumerName),
    ).toEqual(["50%_off"]);
    expect(containsPattern("50%_off")).toBe("%50\\%\\_off%");
    // "_" must not match any single character: "5_" matches nothing of this run
    expect((await listAlerts(lead, parseAlertFilter({ q: `${run}-c`, host: `${run}-c` }))).total).toBe(2);
    expect((await listAlerts(lead, parseAlertFilter({ q: "dave", host: `${run}-c` }))).total).toBe(1);
    expect((await listAlerts(lead, parseAlertFilter({ q: "5_", host: `${run}-c` }))).total).toBe(0);
    // case-insensitive, and never across two columns (host "…-c" then user "dave")
    expect((await listAlerts(lead, parseAlertFilter({ q: "DAVE", host: `${run}-c` }))).total).toBe(1);
    expect((await listAlerts(lead, parseAlertFilter({ q: `-c\u0001dave`, host: `${run}-c` }))).total).toBe(0);
    expect((await listAlerts(lead, parseAlertFilter({ q: "c dave", host: `${run}-c` }))).total).toBe(0);
  });

  it("sorts by host and by consumer, both directions, and paginates", async () => {
    const asc = await listAlerts(lead, filter({ sort: "host", dir: "asc" }));
    expect(asc.rows.map((x) => x.hostName)).toEqual([
      `${run}-a`,
      `${run}-a`,
      `${run}-a`,
      `${run}-b`,
      `${run}-b`,
      `${run}-c`,
      `${run}-c`,
    ]);
    const desc = await listAlerts(lead, filter({ sort: "consumer", dir: "desc" }));
    expect(desc.rows[0].consumerName).toBe("updater2");
    const p1 = await listAlerts(lead, filter({ size: "25", sort: "time", dir: "asc" }));
    expect(p1.pageCount).toBe(1);
    // the page number is clamped to the last page
    const far = await listAlerts(lead, filter({ page: "9" }));
    expect(far.filter.page).toBe(1);
    expect(far.rows).toHaveLength(7);
  });

  it("filters by status and assignee (me, unassigned) and counts the other statuses", async () => {
    const all = await listAlerts(lead, filter({ sort: "time", dir: "asc" }));
    const [first, second] = all.rows;
    await setAlertsStatus(analyst, [{ id: first.id, version: first.version }], "acknowledged");
    await assignAlerts(analyst, [{ id: second.id, version: second.version }], analyst.id);
    const acked = await listAlerts(lead, filter({ status: "acknowledged" }));
    expect(acked.rows.map((x) => x.id)).toEqual([first.id]);
    expect(acked.total).toBe(1);
    expect(acked.statusCounts).toEqual({ open: 6, acknowledged: 1, closed: 0 });
    expect(acked.rows[0].statusChangedByName).toBe("Ana List");
    const open = await listAlerts(lead, parseAlertFilter({ q: run, status: ["open", "closed"] }));
    expect(open.total).toBe(6);
    const mine = await listAlerts(analyst, filter({ assignee: "me" }));
    expect(mine.rows.map((x) => x.id)).toEqual([second.id]);
    expect(mine.rows[0].assigneeName).toBe("Ana List");
    expect((await listAlerts(analyst, filter({ assignee: "unassigned" }))).total).toBe(6);
    // sorting on a joined column: assigned first either way (empty last), then newest first
    for (const dir of ["asc", "desc"]) {
      const byAssignee = await listAlerts(lead, filter({ sort: "assignee", dir }));
      expect(byAssignee.rows.map((x) => x.id)).toEqual([
        second.id,
        ...all.rows
          .filter((x) => x.id !== second.id)
          .map((x) => x.id)
          .reverse(),
      ]);
      expect(byAssignee.rows[0].assigneeName).toBe("Ana List");
    }
  });

  it("pages through more alerts than a page holds, in the same order as one long list", async () => {
    // a host outside the run's search text, so the other tests' counts stay theirs
    const host = `many-${run.slice(2)}`;
    const many = Array.from({ length: 60 }, (_, i) =>
      sysmon21(host, `bulk-${String(i).padStart(2, "0")}`, new Date(Date.UTC(2029, 6, 1, 0, i)), `u${i % 4}`),
    );
    const summary = await ingestStream({
      source: "api",
      fileName: `${run}-many.ndjson`,
      stream: Readable.from([Buffer.from(many.map((d) => JSON.stringify(d)).join("\n"))]),
    });
    expect(summary.alerts).toBe(60);
    for (const sort of ["time", "user", "case"]) {
      const pages = [];
      for (const page of ["1", "2", "3"])
        pages.push(...(await listAlerts(lead, parseAlertFilter({ host, sort, dir: "asc", size: "25", page }))).rows);
      expect(pages).toHaveLength(60);
      expect(new Set(pages.map((r) => r.id)).size).toBe(60);
      if (sort === "time")
        expect(pages.map((r) => r.consumerName)).toEqual(many.map((_, i) => `bulk-${String(i).padStart(2, "0")}`));
      if (sort === "user") expect(pages.map((r) => r.userName)).toEqual([...pages.map((r) => r.userName)].sort());
    }
    // the e2e stage shares this database: 60 more unassigned alerts would crowd the leads' queue
    await getDb().prisma.event.deleteMany({ where: { hostName: host } });
  });

  it("builds a histogram: per hour for a short range, per day for a longer one", async () => {
    const hourly = await listAlerts(lead, filter({ from: t(1, 0).toISOString(), to: t(2, 0).toISOString() }));
    expect(hourly.histogram.unit).toBe("hour");
    expect(hourly.histogram.buckets).toHaveLength(24);
    expect(hourly.histogram.buckets.filter((b) => b.count > 0).map((b) => [b.start, b.count])).toEqual([
      [t(1, 1).toISOString(), 1],
      [t(1, 2).toISOString(), 1],
    ]);
    const daily = await listAlerts(lead, filter({ from: t(1, 0).toISOString(), to: t(11, 0).toISOString() }));
    expect(daily.histogram.unit).toBe("day");
    expect(daily.histogram.buckets.slice(0, 4).map((b) => b.count)).toEqual([2, 1, 2, 2]);
  });

  it("Previous/Next follow the exact filtered, sorted list the alert was opened from, like k/j", async () => {
    const list = new URLSearchParams({ q: run, host: `${run}-a`, sort: "consumer", dir: "asc" }).toString();
    const rows = (await listAlerts(lead, parseAlertFilter(Object.fromEntries(new URLSearchParams(list))))).rows;
    expect(rows.map((r) => r.consumerName)).toEqual(["backdoor", "beacon", "updater"]);
    const mid = await getAlertNeighbours(lead, rows[1].id, list);
    expect([mid.prevId, mid.nextId]).toEqual([rows[0].id, rows[2].id]);
    expect([mid.position, mid.total]).toEqual([2, 3]);
    expect(mid.listHref).toBe(`/alerts?${list}`);
    const last = await getAlertNeighbours(lead, rows[2].id, `${list}&page=1`);
    expect([last.prevId, last.nextId, last.list]).toEqual([rows[1].id, null, list]);
  });

  it("Previous/Next and the place along the newest-first and oldest-first lists follow the list's own order, also for an alert outside the filter", async () => {
    for (const dir of ["desc", "asc"]) {
      const list = new URLSearchParams({ q: run, dir }).toString();
      const rows = (await listAlerts(lead, parseAlertFilter(Object.fromEntries(new URLSearchParams(list))))).rows;
      expect(rows).toHaveLength(7);
      for (const [i, r] of rows.entries()) {
        const nav = await getAlertNeighbours(lead, r.id, list);
        expect([nav.prevId, nav.nextId, nav.position, nav.total]).toEqual([
          rows[i - 1]?.id ?? null,
          rows[i + 1]?.id ?? null,
          i + 1,
          7,
        ]);
      }
    }
    // host A's list, newest first: beacon, backdoor, updater; host B's updater2 (newer than all) counts in first
    const list = new URLSearchParams({ q: run, host: `${run}-a` }).toString();
    const rows = (await listAlerts(lead, parseAlertFilter(Object.fromEntries(new URLSearchParams(list))))).rows;
    const all = (await listAlerts(lead, filter({}))).rows;
    const outside = all.find((r) => r.consumerName === "updater2")!;
    const nav = await getAlertNeighbours(lead, outside.id, list);
    expect([nav.prevId, nav.nextId, nav.position, nav.total]).toEqual([null, rows[0].id, 1, 4]);
    const inside = await getAlertNeighbours(lead, rows[1].id, list);
    expect([inside.prevId, inside.nextId, inside.position, inside.total]).toEqual([rows[0].id, rows[2].id, 2, 3]);
  });

  it("ignores malformed parameters instead of failing", async () => {
    const f = parseAlertFilter({
      status: "bogus",
      sort: "nope",
      page: "-3",
      size: "1000",
      from: "yesterday",
      case: "not-a-uuid",
      q: run,
    });
    expect(f).toMatchObject({ status: [], sort: "time", dir: "desc", page: 1, size: 50, from: undefined });
    expect((await listAlerts(lead, f)).total).toBe(0);
  });
});
