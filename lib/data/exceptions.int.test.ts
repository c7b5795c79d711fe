import { readFileSync } from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeAlertsMatchingException } from "@/lib/data/exception-close";
import { getExceptionDraft } from "@/lib/data/exception-draft";
import { exportExceptions, importExceptions } from "@/lib/data/exception-transfer";
import { whatIfException } from "@/lib/data/exception-what-if";
import {
  createException,
  deleteException,
  getException,
  listExceptions,
  setExceptionEnabled,
  updateException,
} from "@/lib/data/exceptions";
import { closeDb, getDb } from "@/lib/db/client";
import type { ExceptionCondition } from "@/lib/exceptions/conditions";
import { exceptionInputSchema } from "@/lib/exceptions/input";
import { parseKibanaExport } from "@/lib/exceptions/kibana";
import { ingestStream } from "@/lib/services/ingest/ingest-stream";

const unique = `${process.pid}-${Date.now()}`;
const atomicXml = path.resolve(
  process.cwd(),
  "../shared/datasets/evtx-attack-samples/derived-xml/PanacheSysmon_vs_AtomicRedTeam01.evtx.xml",
);
const lead = { id: `lead-${unique}`, name: `Lead ${unique}`, role: "lead" };
const analyst = { id: `analyst-${unique}`, name: `Analyst ${unique}`, role: "analyst" };

let seq = 0;
function sysmon21(host: string, consumer: string, user = "svc") {
  seq++;
  return {
    "@timestamp": new Date(Date.UTC(2024, 4, 1, 10, 0, seq)).toISOString(),
    event: { code: "21", dataset: "windows.sysmon_operational", provider: "Microsoft-Windows-Sysmon", kind: "event" },
    winlog: {
      computer_name: host,
      channel: "Microsoft-Windows-Sysmon/Operational",
      record_id: `${unique}-${seq}`,
      event_data: {
        Operation: "Created",
        Consumer: `"\\\\.\\ROOT\\subscription:CommandLineEventConsumer.Name=\\"${consumer}\\""`,
        Filter: `"\\\\.\\ROOT\\subscription:__EventFilter.Name=\\"${consumer}-filter\\""`,
      },
    },
    host: { name: host },
    user: { name: user },
  };
}

async function ingest(docs: object[], name: string) {
  const text = docs.map((d) => JSON.stringify(d)).join("\n");
  return ingestStream({
    source: "api",
    fileName: `${name}-${unique}.ndjson`,
    stream: Readable.from([Buffer.from(text)]),
  });
}

const input = (name: string, conditions: ExceptionCondition[], extra: Record<string, unknown> = {}) =>
  exceptionInputSchema.parse({ name, comment: "", conditions, ...extra });

const hostPrefix = `WH-${unique}`;

beforeAll(async () => {
  const { prisma } = getDb();
  for (const u of [lead, analyst])
    await prisma.user.create({ data: { id: u.id, name: u.name, email: `${u.id}@example.test`, role: u.role } });
});

afterAll(async () => {
  // exceptions apply to every later run in this database: leave none behind for other test files
  await getDb().prisma.ruleException.deleteMany({ where: { createdBy: lead.id } });
  await closeDb();
});

describe("what-if", () => {
  it("counts the events and alerts a draft would hide, and the true positives among them", async () => {
    const { prisma } = getDb();
    const summary = await ingest(
      [
        sysmon21(`${hostPrefix}-A`, "SCCM Agent"),
        sysmon21(`${hostPrefix}-B`, "SCCM Agent"),
        sysmon21(`${hostPrefix}-C`, "Evil"),
      ],
      "whatif",
    );
    expect(summary).toMatchObject({ status: "succeeded", stored: 3, alerts: 3 });
    const alerts = await prisma.alert.findMany({
      where: { event: { ingestJobId: summary.jobId } },
      select: { id: true, hostName: true },
    });
    const alertB = alerts.find((a) => a.hostName === `${hostPrefix}-B`)!;
    // an analyst closed B as a true positive (after all steps): the exception would hide it
    await prisma.alert.update({
      where: { id: alertB.id },
      data: { status: "closed", closeReason: "true_positive", verdict: "true_positive" },
    });

    const conditions: ExceptionCondition[] = [
      { field: "winlog.event_data.Consumer", operator: "matches", value: "*SCCM Agent*", caseSensitive: true },
      { field: "host.name", operator: "matches", value: `${hostPrefix}-*`, caseSensitive: true },
    ];
    const result = await whatIfException(lead, conditions);
    expect(result.eventsMatched).toBe(2);
    expect(result.alertsMatched).toBe(2);
    expect(result.truePositives).toBe(1);
    expect(result.byStatus).toEqual({ open: 1, closed: 1 });
    expect(result.byOutcome).toEqual({ "true_positive / true_positive": 1 });
    expect(result.alerts[0]).toMatchObject({ id: alertB.id, truePositive: true });
    expect(result.eventsTruncated).toBe(false);

    // the SQL pre-filter (case-sensitive "is") keeps exactly what the matcher accepts
    const exact = await whatIfException(lead, [
      { field: "host.name", operator: "is", value: `${hostPrefix}-C`, caseSensitive: true },
    ]);
    expect([exact.eventsMatched, exact.alertsMatched, exact.truePositives]).toEqual([1, 1, 0]);
    const wrongCase = await whatIfException(lead, [
      { field: "host.name", operator: "is", value: `${hostPrefix}-c`.toLowerCase(), caseSensitive: true },
    ]);
    expect(wrongCase.alertsMatched).toBe(0);
    const anyCase = await whatIfException(lead, [
      { field: "host.name", operator: "is", value: `${hostPrefix}-c`.toLowerCase(), caseSensitive: false },
    ]);
    expect(anyCase.alertsMatched).toBe(1);
  });

  it("works on the real Atomic Red Team alert, pre-filled from the alert", async () => {
    // the real recording, with record ids of its own so it never collides with the same file
    // ingested by another test in this database (the fingerprint is channel + computer + record id)
    const base = Number(String(Date.now()).slice(-9)) * 1000;
    const xml = readFileSync(atomicXml, "utf8").replace(
      /<EventRecordID>(\d+)<\/EventRecordID>/g,
      (_m, n) => `<EventRecordID>${base + Number(n)}</EventRecordID>`,
    );
    const summary = await ingestStream({
      source: "cli",
      fileName: "atomic-renumbered.xml",
      stream: Readable.from([Buffer.from(xml)]),
    });
    expect(summary).toMatchObject({ status: "succeeded", stored: 565, alerts: 1 });
    const alert = await getDb().prisma.alert.findFirst({
      where: {
        event: { ingestJobId: summary.jobId },
        consumerName: "AtomicRedTeam-WMIPersistence-Example",
        hostName: "MSEDGEWIN10",
      },
      select: { id: true },
    });
    expect(alert).not.toBeNull();
    const draft = await getExceptionDraft(lead, { alertId: alert!.id, fpStepId: "fp.admin-tools" });
    expect(draft.fp?.id).toBe("fp.admin-tools");
    expect(draft.name).toBe(
      "Administrative scripts or tools: consumer AtomicRedTeam-WMIPersistence-Example on MSEDGEWIN10",
    );
    const selected = draft.suggestions.filter((s) => s.selected).map((s) => s.condition);
    expect(selected.map((c) => c.field).sort()).toEqual(["host.name", "winlog.event_data.Consumer"]);
    const result = await whatIfException(lead, selected);
    expect(result.eventsMatched).toBeGreaterThanOrEqual(1);
    expect(result.alerts.map((a) => a.id)).toContain(alert!.id);
  });
});

describe("detection runs apply exceptions", () => {
  it("suppresses matching events and counts hits; case-sensitive values differently cased still alert", async () => {
    const consumer = `Tuned-${unique}`;
    const created = await createException(
      lead,
      input("tuned consumer", [
        {
          field: "winlog.event_data.Consumer",
          operator: "matches",
          value: `*Name=\\"${consumer}\\"*`,
          caseSensitive: true,
        },
      ]),
    );
    const suppressed = await ingest([sysmon21(`${hostPrefix}-T1`, consumer)], "tuned");
    expect(suppressed.alerts).toBe(0);
    const run = await getDb().prisma.ruleRun.findFirst({
      where: { kind: "ingest" },
      orderBy: { startedAt: "desc" },
      select: { suppressed: true },
    });
    expect(run?.suppressed).toBe(1);
    const after = await getException(lead, created.id);
    expect(after?.hits).toBe(1);
    expect(after?.lastHitAt).not.toBeNull();
    // hits are not edits: the editor's version token still holds
    expect(after?.updatedAt.getTime()).toBe(created.updatedAt.getTime());

    const differentCase = await ingest([sysmon21(`${hostPrefix}-T2`, consumer.toUpperCase())], "tuned-case");
    expect(differentCase.alerts).toBe(1);
  });

  it("an expired or disabled exception no longer applies", async () => {
    const consumer = `Old-${unique}`;
    const cond: ExceptionCondition[] = [
      { field: "host.name", operator: "is", value: `${hostPrefix}-OLD`, caseSensitive: true },
    ];
    const expired = await createException(
      lead,
      input("expired", cond, { expiresAt: new Date(Date.now() - 60_000).toISOString() }),
    );
    const first = await ingest([sysmon21(`${hostPrefix}-OLD`, consumer)], "expired");
    expect(first.alerts).toBe(1);
    expect((await getException(lead, expired.id))?.status).toBe("expired");
    expect((await getException(lead, expired.id))?.hits).toBe(0);

    const live = await createException(lead, input("live", cond));
    await setExceptionEnabled(lead, live.id, false, live.updatedAt);
    const second = await ingest([sysmon21(`${hostPrefix}-OLD`, `${consumer}-2`)], "disabled");
    expect(second.alerts).toBe(1);
  });
});

describe("changes are audited, version-checked and permission-checked", () => {
  it("edits, conflicts, disables and deletes with an audit trail", async () => {
    const { prisma } = getDb();
    const cond: ExceptionCondition[] = [
      { field: "user.name", operator: "is_one_of", values: ["a", "b"], caseSensitive: false },
    ];
    const created = await createException(lead, input("audited", cond));
    const updated = await updateException(
      lead,
      created.id,
      input("audited v2", cond, { comment: "why" }),
      created.updatedAt,
    );
    await expect(updateException(lead, created.id, input("stale", cond), created.updatedAt)).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringMatching(new RegExp(`changed by Lead ${unique} at .*; reload`)),
    });
    await expect(createException(analyst, input("nope", cond))).rejects.toMatchObject({ code: "forbidden" });
    const listed = (await listExceptions(lead)).find((e) => e.id === created.id);
    expect(listed).toMatchObject({
      name: "audited v2",
      comment: "why",
      status: "active",
      author: { id: lead.id, name: lead.name },
    });
    await deleteException(lead, created.id, updated.updatedAt);
    expect(await getException(lead, created.id)).toBeNull();
    const trail = await prisma.auditLog.findMany({
      where: { entityType: "exception", entityId: created.id },
      orderBy: { id: "asc" },
      select: { action: true, actorId: true },
    });
    expect(trail.map((t) => t.action)).toEqual(["exception.create", "exception.update", "exception.delete"]);
    expect(trail.every((t) => t.actorId === lead.id)).toBe(true);
  });

  it("closes the open alerts an exception matches as benign positive, mandatory steps unfinished, audited", async () => {
    const { prisma } = getDb();
    // the default mandatory steps stand and none is done: the lead's exception still closes them
    expect(await prisma.setting.findUnique({ where: { key: "mandatorySteps" } })).toBeNull();
    const summary = await ingest(
      [sysmon21(`${hostPrefix}-CLOSE`, "Close me"), sysmon21(`${hostPrefix}-KEEP`, "Close me")],
      "close",
    );
    expect(summary.alerts).toBe(2);
    const created = await createException(
      lead,
      input("SCCM agent", [{ field: "host.name", operator: "is", value: `${hostPrefix}-CLOSE`, caseSensitive: true }]),
    );
    await expect(closeAlertsMatchingException(analyst, created.id)).rejects.toMatchObject({ code: "forbidden" });
    const result = await closeAlertsMatchingException(lead, created.id);
    expect(result).toMatchObject({ matched: 1, conflicts: [], blocked: [] });
    expect(result.updated).toHaveLength(1);
    const closed = await prisma.alert.findUnique({
      where: { id: result.updated[0] },
      select: { status: true, closeReason: true, verdict: true, verdictNote: true, hostName: true },
    });
    expect(closed).toEqual({
      status: "closed",
      closeReason: "benign_positive",
      verdict: "benign_positive",
      verdictNote: 'closed by exception "SCCM agent"',
      hostName: `${hostPrefix}-CLOSE`,
    });
    const audit = await prisma.auditLog.findFirst({
      where: { entityType: "alert", entityId: result.updated[0], action: "alert.close" },
      select: { actorId: true, after: true },
    });
    expect(audit?.actorId).toBe(lead.id);
    expect(audit?.after).toMatchObject({
      closedByException: "SCCM agent",
      skippedMandatorySteps: expect.arrayContaining([expect.any(String)]),
    });
    // the other host's alert stays open; a second run finds nothing left to close
    const kept = await prisma.alert.findFirst({ where: { hostName: `${hostPrefix}-KEEP` }, select: { status: true } });
    expect(kept?.status).toBe("open");
    expect(await closeAlertsMatchingException(lead, created.id)).toMatchObject({ matched: 0, updated: [] });
  });
});

describe("Kibana import and export", () => {
  it("round-trips an export and reports bad lines with their numbers", async () => {
    const listId = `list-${unique}`;
    const items = [
      {
        item_id: `imp-a-${unique}`,
        list_id: listId,
        namespace_type: "single",
        type: "simple",
        name: "SCCM",
        description: "known agent",
        entries: [
          { field: "host.name", operator: "included", type: "match_any", value: ["SCCM-01", "SCCM-02"] },
          { field: "process.executable", operator: "included", type: "wildcard", value: "C:\\\\Program Files\\\\*" },
        ],
        comments: [{ comment: "CAB-1" }],
        os_types: ["windows"],
        tags: [],
        expire_time: "2031-01-01T00:00:00.000Z",
      },
      {
        item_id: `imp-b-${unique}`,
        list_id: listId,
        namespace_type: "single",
        type: "simple",
        name: "not guest",
        description: "",
        entries: [
          { field: "host.name", operator: "included", type: "match", value: `${hostPrefix}-IMPORTED` },
          { field: "user.name", operator: "excluded", type: "match", value: "guest" },
          { field: "source.ip", operator: "excluded", type: "exists" },
        ],
        comments: [],
        os_types: [],
        tags: [],
      },
    ];
    const bad = {
      ...items[0],
      item_id: `imp-bad-${unique}`,
      entries: [{ field: "host.name", operator: "included", type: "list", list: { id: "x", type: "keyword" } }],
    };
    const text = [
      { list_id: listId, type: "detection", namespace_type: "single", name: "Imported", description: "" },
      ...items,
      bad,
      { exported_exception_list_count: 1, exported_exception_list_item_count: 3 },
    ]
      .map((l) => JSON.stringify(l))
      .join("\n");
    const result = await importExceptions(lead, text);
    expect(result.created.map((c) => c.itemId)).toEqual(items.map((i) => i.item_id));
    expect(result.errors).toEqual([
      { line: 4, itemId: `imp-bad-${unique}`, message: expect.stringMatching(/"list" entries/) },
    ]);

    // importing again updates in place
    const again = await importExceptions(lead, text);
    expect(again.created).toEqual([]);
    expect(again.updated).toHaveLength(2);

    const exported = parseKibanaExport((await exportExceptions(lead)).text);
    expect(exported.errors).toEqual([]);
    const lines = (await exportExceptions(lead)).text
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    for (const original of items) {
      const line = lines.find((l) => l.item_id === original.item_id);
      expect(line).toMatchObject({
        name: original.name,
        description: original.description,
        entries: original.entries,
        type: "simple",
      });
      expect(line.expire_time).toBe(original.expire_time);
    }
  });

  it("our own export imported again: 0 new, N updated, nothing written", async () => {
    const { prisma } = getDb();
    const made = await createException(
      lead,
      input(`ui-made ${unique}`, [
        { field: "host.name", operator: "is_one_of", values: ["WS-1", "WS-2"], caseSensitive: true },
        { field: "user.name", operator: "matches", value: "svc_*", caseSensitive: false },
      ]),
    );
    const row = await getException(lead, made.id);
    // a stable item_id from creation on
    expect(row?.itemId).toBe(made.id);

    const { text, warnings } = await exportExceptions(lead);
    // Kibana's match is case-sensitive on keyword fields: the export names what it will read differently
    expect(warnings).toContainEqual({ itemId: made.id, name: `ui-made ${unique}`, fields: ["user.name"] });
    const ours = (await prisma.ruleException.findMany({ where: { ruleId: { not: "" } }, select: { id: true } })).length;
    const stampsBefore = await prisma.ruleException.findMany({ select: { id: true, updatedAt: true } });
    const auditBefore = await prisma.auditLog.count({ where: { entityType: "exception" } });

    const again = await importExceptions(lead, text);
    expect(again.created).toEqual([]);
    expect(again.errors).toEqual([]);
    expect(again.updated).toHaveLength(ours);
    expect(again.updated.every((u) => !u.changed)).toBe(true);
    expect(await prisma.ruleException.findMany({ select: { id: true, updatedAt: true } })).toEqual(
      expect.arrayContaining(stampsBefore),
    );
    expect(await prisma.ruleException.count()).toBe(stampsBefore.length);
    expect(await prisma.auditLog.count({ where: { entityType: "exception" } })).toBe(auditBefore);
    // the case-insensitive flag came back through the tag
    expect((await getException(lead, made.id))?.conditions[1].caseSensitive).toBe(false);
  });

  it("a Kibana file whose item carries our item_id updates that exception", async () => {
    const made = await createException(
      lead,
      input(`kibana-edited ${unique}`, [{ field: "host.name", operator: "is", value: "WS-9", caseSensitive: true }]),
    );
    // as edited in Kibana and exported from there: same item_id, another list, a changed value and name
    const kibanaLines = [
      { list_id: "endpoint_list_x", type: "detection", namespace_type: "single", name: "From Kibana", description: "" },
      {
        item_id: made.id,
        list_id: "endpoint_list_x",
        namespace_type: "single",
        type: "simple",
        name: `kibana-edited v2 ${unique}`,
        description: "edited in Kibana",
        entries: [{ field: "host.name", operator: "included", type: "match_any", value: ["WS-9", "WS-10"] }],
        comments: [{ comment: "widened to WS-10" }],
        os_types: ["windows"],
        tags: [],
      },
      { exported_exception_list_count: 1, exported_exception_list_item_count: 1 },
    ];
    const result = await importExceptions(lead, kibanaLines.map((l) => JSON.stringify(l)).join("\n"));
    expect(result.created).toEqual([]);
    expect(result.updated).toEqual([
      { id: made.id, itemId: made.id, name: `kibana-edited v2 ${unique}`, changed: true },
    ]);
    const after = await getException(lead, made.id);
    expect(after).toMatchObject({ name: `kibana-edited v2 ${unique}`, comment: "edited in Kibana", itemId: made.id });
    expect(after?.conditions).toEqual([
      { field: "host.name", operator: "is_one_of", values: ["WS-9", "WS-10"], caseSensitive: true },
    ]);
    const audit = await getDb().prisma.auditLog.findFirst({
      where: { entityType: "exception", entityId: made.id, action: "exception.import" },
      select: { after: true },
    });
    expect(audit?.after).toMatchObject({ kibanaDropped: { comments: [{ comment: "widened to WS-10" }] } });
  });
});
