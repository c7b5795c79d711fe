import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/permissions";
import { listAlertFields } from "@/lib/data/alert-field-browser";
import { FIELD_VALUE_MAX, listAlerts, parseAlertFilter } from "@/lib/data/alert-list";
import { getAlertsPage } from "@/lib/data/alerts-page";
import { getUserPreferences, updateUserPreferences } from "@/lib/data/user-preferences";
import { closeDb, getDb } from "@/lib/db/client";
import { chosenFields, toggleFieldColumn } from "@/lib/preferences/field-columns";
import { seedUserAndAlerts } from "@/lib/services/testing/alert-fixture";

// This file's alerts are in 2190, newer than any other file's or e2e spec's (and a later run's
// newer than an earlier one's), so they are the field browser's sample.
const run = `fb${process.pid}x${Date.now()}`;
const ana: Actor = { id: `${run}-ana`, role: "analyst", name: "Ana Fields" };
const base = Date.UTC(2190, 0, 1) + (Date.now() - Date.UTC(2026, 0, 1));
const at = (hour: number) => new Date(base + hour * 3_600_000).toISOString();

function sysmon21(n: number, extra: Record<string, unknown>) {
  return {
    "@timestamp": at(n),
    event: { code: "21", dataset: "windows.sysmon_operational", kind: "event" },
    host: { name: `${run}-h${n}` },
    user: { name: "alice" },
    winlog: {
      computer_name: `${run}-h${n}`,
      event_data: {
        Operation: "Created",
        Consumer: ` "\\\\\\\\.\\\\ROOT\\\\subscription:CommandLineEventConsumer.Name=\\"c${n}\\""`,
        Filter: ` "\\\\\\\\.\\\\ROOT\\\\subscription:__EventFilter.Name=\\"f${n}\\""`,
      },
    },
    ...extra,
  };
}

const long = "A".repeat(FIELD_VALUE_MAX + 500);
const docs = [
  sysmon21(1, { process: { executable: "C:\\Windows\\System32\\wbem\\WmiPrvSE.exe", pid: 4242 } }),
  // dotted keys are stored nested; an array of objects is one field per leaf, values flattened
  sysmon21(2, {
    "process.executable": "<img src=x onerror=alert(1)>",
    threat: [{ technique: { id: "T1546.003" } }, { technique: { id: ["T1047", null] } }],
    [`labels`]: { [run]: long },
  }),
  sysmon21(3, {}),
];

beforeAll(async () => {
  const summary = await seedUserAndAlerts(ana, `${run}.ndjson`, docs);
  expect(summary.alerts).toBe(docs.length);
});

afterAll(async () => {
  await getDb().prisma.user.deleteMany({ where: { id: { startsWith: run } } });
  await closeDb();
});

describe("field browser", () => {
  it("lists the leaf fields of the newest alerts' events with how many events have them", async () => {
    const { fields, sampled } = await listAlertFields(ana, 3);
    expect(sampled).toBe(3);
    const count = Object.fromEntries(fields.map((f) => [f.path, f.count]));
    expect(count["host.name"]).toBe(3);
    expect(count["winlog.event_data.Consumer"]).toBe(3);
    expect(count["process.executable"]).toBe(2);
    expect(count["process.pid"]).toBe(1);
    expect(count["threat.technique.id"]).toBe(1);
    expect(count[`labels.${run}`]).toBe(1);
    // objects and arrays of objects are no fields of their own
    expect(count["process"]).toBeUndefined();
    expect(count["threat"]).toBeUndefined();
    // most common first
    expect(fields[0].count).toBe(3);
  });

  it("reads the chosen fields' values for the page's rows, as text, cut when huge", async () => {
    const fields = ["process.executable", "threat.technique.id", `labels.${run}`, "no.such.field"];
    const { rows } = await listAlerts(ana, parseAlertFilter({ q: run, sort: "time", dir: "asc" }), { fields });
    expect(rows.map((r) => r.fields["process.executable"])).toEqual([
      "C:\\Windows\\System32\\wbem\\WmiPrvSE.exe",
      "<img src=x onerror=alert(1)>",
      "",
    ]);
    expect(rows[1].fields["threat.technique.id"]).toBe("T1546.003, T1047");
    expect(rows[1].fields[`labels.${run}`]).toHaveLength(FIELD_VALUE_MAX + 1);
    expect(rows[0].fields["no.such.field"]).toBe("");
    // without chosen fields the rows carry none
    const plain = await listAlerts(ana, parseAlertFilter({ q: run }));
    expect(plain.rows[0].fields).toEqual({});
  });

  it("saves the added field columns per user and the alerts page reads them", async () => {
    const base = { order: ["time", "host", "status"], hidden: ["status"] };
    const prefs = toggleFieldColumn(base, "process.executable");
    await updateUserPreferences(ana, { alertColumns: prefs });
    const stored = (await getUserPreferences(ana)).alertColumns;
    expect(chosenFields(stored)).toEqual(["process.executable"]);
    const page = await getAlertsPage(ana, { q: run, sort: "time", dir: "desc" });
    expect(page.rows[2].fields).toEqual({ "process.executable": "C:\\Windows\\System32\\wbem\\WmiPrvSE.exe" });
    // removed again: the page reads no field
    await updateUserPreferences(ana, { alertColumns: toggleFieldColumn(prefs, "process.executable") });
    expect((await getAlertsPage(ana, { q: run })).rows[0].fields).toEqual({});
  });
});
