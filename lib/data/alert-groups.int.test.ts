import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/permissions";
import { changeAlertGroup, GROUP_PREVIEW, listAlertGroups } from "@/lib/data/alert-groups";
import { listAlerts, parseAlertFilter } from "@/lib/data/alert-list";
import { closeDb } from "@/lib/db/client";
import { seedUserAndAlerts } from "@/lib/services/testing/alert-fixture";
import { sysmon21Doc } from "@/lib/triage/testing/sysmon-docs";

// Alerts of this file live on hosts named `${run}-…` in July 2029; every filter pins them by q.
const run = `gr${process.pid}x${Date.now()}`;
const lead: Actor = { id: `${run}-lead`, role: "lead", name: "Lee Group" };

const sysmon21 = (host: string, consumer: string, hour: number, user: string) =>
  sysmon21Doc({ host, consumer, at: new Date(Date.UTC(2029, 6, 1, hour)).toISOString(), user: { name: user } });

// the attacker's look-alikes: a zero-width space after the name, a Cyrillic "ѕ" for the Latin "s"
const plain = `${run}-srv`;
const zeroWidth = `${run}-srv\u200b`;
const cyrillic = `${run}-\u0455rv`;
const docs = [
  ...Array.from({ length: 7 }, (_, i) => sysmon21(plain, `c${i}`, i, i < 4 ? "alice" : "bob")),
  sysmon21(zeroWidth, "z1", 10, "alice"),
  sysmon21(zeroWidth, "z2", 11, "alice"),
  sysmon21(cyrillic, "k1", 12, "carol"),
];
const grouped = (group: string, extra: Record<string, string> = {}) => parseAlertFilter({ q: run, group, ...extra });
const query = (group: string) => new URLSearchParams({ q: run, group }).toString();

beforeAll(async () => {
  const summary = await seedUserAndAlerts(lead, `${run}.ndjson`, docs);
  expect(summary.alerts).toBe(docs.length);
});

afterAll(async () => {
  await closeDb();
});

describe("listAlertGroups", () => {
  it("groups on the server: count, statuses, highest severity and the latest alerts per group, largest first", async () => {
    const r = await listAlertGroups(lead, grouped("host"), "host");
    expect(r.groupCount).toBe(3);
    expect(r.groups.map((g) => [g.key, g.count])).toEqual([
      [plain, 7],
      [zeroWidth, 2],
      [cyrillic, 1],
    ]);
    const big = r.groups[0];
    expect(big.statusCounts).toEqual({ open: 7, acknowledged: 0, closed: 0 });
    expect(big.severity).toBe("medium");
    expect(big.latest).toBe(new Date(Date.UTC(2029, 6, 1, 6)).toISOString());
    expect(big.alerts).toHaveLength(GROUP_PREVIEW);
    expect(big.alerts[0].consumerName).toBe("c6");
    // grouped, the page shows groups instead of rows, and the counts stay those of the whole filter
    const list = await listAlerts(lead, grouped("host"));
    expect([list.rows.length, list.total]).toEqual([0, 10]);
  });

  it("keeps names that differ by an invisible character or a look-alike letter apart, byte for byte", async () => {
    const keys = (await listAlertGroups(lead, grouped("host"), "host")).groups.map((g) => g.key);
    expect(new Set(keys).size).toBe(3);
    expect(keys).toContain(zeroWidth);
    expect(keys).toContain(cyrillic);
  });

  it("groups by user and by consumer name", async () => {
    const users = await listAlertGroups(lead, grouped("user"), "user");
    expect(users.groups.map((g) => [g.key, g.count])).toEqual([
      ["alice", 6],
      ["bob", 3],
      ["carol", 1],
    ]);
    expect((await listAlertGroups(lead, grouped("consumer"), "consumer")).groupCount).toBe(10);
  });

  it("pages groups", async () => {
    const second = await listAlertGroups(lead, grouped("consumer", { gpage: "2" }), "consumer");
    expect(second.page).toBe(2);
    expect(second.groups).toEqual([]);
    expect(second.pageCount).toBe(1);
  });
});

describe("changeAlertGroup", () => {
  it("acknowledges exactly one group's alerts, not its look-alike's", async () => {
    const r = await changeAlertGroup(lead, query("host"), zeroWidth, 2, { kind: "acknowledge" });
    expect(r.updated).toHaveLength(2);
    const groups = (await listAlertGroups(lead, grouped("host"), "host")).groups;
    const counts = Object.fromEntries(groups.map((g) => [g.key!, g.statusCounts.acknowledged]));
    expect(counts).toEqual({ [plain]: 0, [zeroWidth]: 2, [cyrillic]: 0 });
  });

  it("changes nothing when the group no longer holds the alerts the page showed", async () => {
    await expect(
      changeAlertGroup(lead, query("host"), plain, 6, { kind: "assign", assigneeId: lead.id }),
    ).rejects.toThrow(/now holds 7 alert\(s\), not the 6 shown/);
    const big = (await listAlertGroups(lead, grouped("host"), "host")).groups[0];
    expect(big.assigned).toBe(0);
  });

  it("assigns and closes a whole group under the list's filter", async () => {
    const assigned = await changeAlertGroup(lead, query("user"), "bob", 3, { kind: "assign", assigneeId: lead.id });
    expect(assigned.updated).toHaveLength(3);
    const closed = await changeAlertGroup(lead, query("host"), cyrillic, 1, {
      kind: "close",
      closeReason: "false_positive",
      verdictNote: "lab host",
    });
    // closing needs the mandatory steps done: refused per alert, with the reason
    expect(closed.updated.length + closed.blocked.length).toBe(1);
    const users = (await listAlertGroups(lead, grouped("user"), "user")).groups;
    expect(users.find((g) => g.key === "bob")!.assigned).toBe(3);
  });
});
