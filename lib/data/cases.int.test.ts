import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import remarkGfm from "remark-gfm";
import remarkParse from "remark-parse";
import { unified } from "unified";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, getDb } from "@/lib/db/client";
import { CURRENT_RULE } from "@/lib/rule/rules";
import { ingestStream } from "@/lib/services/ingest/ingest-stream";
import {
  addAlertsToCase,
  addCaseComment,
  assignCases,
  closeCase,
  createCase,
  detachAlertFromCase,
  getCase,
  listCases,
  reopenCase,
  updateCase,
} from "@/lib/data/cases";
import { buildCaseReport } from "@/lib/data/case-report";
import { renderCaseReportMarkdown } from "@/lib/data/case-report-markdown";
import { listNotifications } from "@/lib/data/notifications";

const tag = `case-${process.pid}-${Date.now()}`;
const lead = { id: `lead-${tag}`, name: "Case Lead", role: "lead" };
const analyst = { id: `analyst-${tag}`, name: "Case Analyst", role: "analyst" };
const other = { id: `other-${tag}`, name: "Other Analyst", role: "analyst" };
const trainer = { id: `trainer-${tag}`, name: "Case Trainer", role: "trainer" };

/** Sysmon 21 documents the rule matches, unique to this run; returns the alert ids. */
async function makeAlerts(
  n: number,
  label: string,
  consumer = (i: number) => `${label}-${i} <script>alert(1)</script>`,
) {
  const docs = Array.from({ length: n }, (_, i) => ({
    "@timestamp": new Date(Date.UTC(2024, 4, 1, 10, i)).toISOString(),
    event: { code: "21", dataset: "windows.sysmon_operational" },
    host: { name: `HOST-${label}-${i}` },
    user: { name: "alice" },
    winlog: {
      computer_name: `HOST-${label}-${i}`,
      event_data: {
        Operation: "Created",
        Consumer: ` "\\\\.\\ROOT\\subscription:CommandLineEventConsumer.Name=\\"${consumer(i)}\\""`,
        Filter: `"\\\\.\\ROOT\\subscription:__EventFilter.Name=\\"${label}-${i}\\""`,
      },
    },
  }));
  const text = docs.map((d) => JSON.stringify(d)).join("\n");
  const summary = await ingestStream({
    source: "api",
    fileName: `${label}.ndjson`,
    stream: Readable.from([Buffer.from(text)]),
  });
  expect(summary.alerts).toBe(n);
  const alerts = await getDb().prisma.alert.findMany({
    where: { event: { ingestJobId: summary.jobId } },
    select: { id: true },
    orderBy: { eventTimestamp: "asc" },
  });
  return alerts.map((a) => a.id);
}

async function markMandatoryDone(alertIds: string[], by: string) {
  const { prisma } = getDb();
  for (const alertId of alertIds) {
    for (const step of CURRENT_RULE.guide.investigation) {
      await prisma.alertStep.upsert({
        where: { alertId_stepKey: { alertId, stepKey: step.id } },
        create: { alertId, stepKey: step.id, done: true, note: `checked ${step.id}`, updatedBy: by },
        update: { done: true },
      });
    }
  }
}

const auditFor = (entityType: string, entityId: string) =>
  getDb().prisma.auditLog.findMany({
    where: { entityType, entityId },
    orderBy: { id: "asc" },
    select: { action: true, actorId: true, before: true, after: true },
  });

beforeAll(async () => {
  const { prisma } = getDb();
  for (const u of [lead, analyst, other, trainer]) {
    await prisma.user.create({ data: { id: u.id, name: u.name, email: `${u.id}@test.local`, role: u.role } });
  }
  // the default (every investigation step) applies unless another test file changed it
  await prisma.setting.deleteMany({ where: { key: "mandatorySteps" } });
});

afterAll(async () => {
  await closeDb();
});

describe("the case lifecycle", () => {
  it("creates a case from alerts, comments, closes it with its alerts, and reopens both — audited at each step", async () => {
    const alertIds = await makeAlerts(3, `${tag}-life`);
    const created = await createCase(lead, {
      title: `Persistence on three hosts ${tag}`,
      description: "**bold** <img src=x onerror=alert(1)>",
      severity: "high",
      tags: ["wmi"],
      assigneeId: analyst.id,
      alertIds,
    });
    expect(created).toMatchObject({ status: "open", severity: "high", assigneeId: analyst.id });

    // the assignee was told
    const notes = await listNotifications(analyst);
    expect(notes.some((n) => n.text.includes(`#${created.number}`) && n.link === `/cases/${created.id}`)).toBe(true);

    let detail = (await getCase(analyst, created.id))!;
    expect(detail.alerts.map((a) => a.id).sort()).toEqual([...alertIds].sort());
    expect(detail.alerts.every((a) => a.stepsDone === 0 && a.status === "open")).toBe(true);

    await addCaseComment(analyst, created.id, "Looks like *Atomic Red Team*");
    detail = (await getCase(analyst, created.id))!;
    expect(detail.comments).toHaveLength(1);
    expect(detail.comments[0]).toMatchObject({ authorName: analyst.name, body: "Looks like *Atomic Red Team*" });

    // closing is refused while mandatory steps are missing, and nothing is closed
    const refused = await closeCase(analyst, created.id, detail.updatedAt, { resolution: "true_positive" }).catch(
      (e) => e,
    );
    expect(refused.code).toBe("conflict");
    expect(refused.message).toMatch(/stays open: 3 alert/);
    expect((await getCase(analyst, created.id))!.alerts.every((a) => a.status === "open")).toBe(true);

    await markMandatoryDone(alertIds, analyst.id);
    detail = (await getCase(analyst, created.id))!;
    expect(
      detail.alerts.every(
        (a) => a.stepsDone === CURRENT_RULE.guide.investigation.length && a.mandatoryMissing.length === 0,
      ),
    ).toBe(true);
    const closed = await closeCase(analyst, created.id, detail.updatedAt, {
      resolution: "true_positive",
      note: "confirmed persistence",
    });
    expect(closed.alertsClosed).toBe(3);
    detail = (await getCase(analyst, created.id))!;
    expect(detail).toMatchObject({ status: "closed", resolution: "true_positive" });
    expect(detail.alerts.every((a) => a.status === "closed" && a.verdict === "true_positive")).toBe(true);
    const closedAlerts = await getDb().prisma.alert.findMany({
      where: { id: { in: alertIds } },
      select: { closeReason: true, statusChangedBy: true },
    });
    expect(closedAlerts.every((a) => a.closeReason === "true_positive" && a.statusChangedBy === analyst.id)).toBe(true);

    const reopened = await reopenCase(lead, created.id, detail.updatedAt);
    expect(reopened.alertsReopened).toBe(3);
    detail = (await getCase(lead, created.id))!;
    expect(detail).toMatchObject({ status: "open", resolution: null, closedAt: null });
    expect(detail.alerts.every((a) => a.status === "open")).toBe(true);

    const caseAudit = await auditFor("case", created.id);
    expect(caseAudit.map((a) => a.action)).toEqual([
      "case.create",
      "case.attach",
      "case.comment",
      "case.close",
      "case.reopen",
    ]);
    expect(caseAudit[3]).toMatchObject({
      actorId: analyst.id,
      before: { status: "open" },
      after: { status: "closed", resolution: "true_positive" },
    });
    expect(caseAudit[4]).toMatchObject({ actorId: lead.id, before: { status: "closed" }, after: { status: "open" } });
    const alertAudit = await auditFor("alert", alertIds[0]);
    expect(alertAudit.map((a) => a.after)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ caseId: created.id }),
        expect.objectContaining({ status: "closed" }),
        expect.objectContaining({ status: "open" }),
      ]),
    );

    // the timeline on the case page holds the case's and its alerts' entries
    expect(detail.timeline.length).toBeGreaterThanOrEqual(caseAudit.length + 3 * 3);
  });

  it("closes a case and its alerts all or nothing: an alert changed meanwhile leaves the case and every alert open", async () => {
    const alertIds = await makeAlerts(2, `${tag}-atomic`);
    await markMandatoryDone(alertIds, analyst.id);
    const c = await createCase(lead, { title: `Atomic ${tag}`, assigneeId: analyst.id, alertIds });
    const stamp = (await getCase(lead, c.id))!.updatedAt;

    // someone else is changing the second alert while the case closes: its row is locked until they commit
    const other = await getDb().pool.connect();
    try {
      await other.query("BEGIN");
      await other.query("UPDATE alert SET version = version + 1 WHERE id = $1", [alertIds[1]]);
      const closing = closeCase(lead, c.id, stamp, { resolution: "true_positive" }).catch((e: unknown) => e);
      await expect
        .poll(
          async () => (await getDb().pool.query("SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted")).rows[0].n,
        )
        .toBeGreaterThan(0);
      await other.query("COMMIT");
      const refused = (await closing) as { code: string; message: string };
      expect(refused.code).toBe("conflict");
      expect(refused.message).toContain("nothing was changed");
    } finally {
      other.release();
    }

    const after = (await getCase(lead, c.id))!;
    expect(after.status).toBe("open");
    expect(after.alerts.map((a) => a.status)).toEqual(["open", "open"]);
    expect((await auditFor("case", c.id)).map((a) => a.action)).not.toContain("case.close");
    expect((await auditFor("alert", alertIds[0])).map((a) => a.action)).not.toContain("alert.close");

    // with a fresh read it closes both
    const fresh = (await getCase(lead, c.id))!;
    expect((await closeCase(lead, c.id, fresh.updatedAt, { resolution: "true_positive" })).alertsClosed).toBe(2);
  });

  it("exports the case as JSON and Markdown with alerts, steps with notes, verdicts and the timeline", async () => {
    const alertIds = await makeAlerts(1, `${tag}-report`);
    await markMandatoryDone(alertIds, analyst.id);
    const c = await createCase(lead, { title: `Report ${tag}`, assigneeId: analyst.id, alertIds });
    await addCaseComment(lead, c.id, "```\nrm -rf /\n```");
    const current = (await getCase(lead, c.id))!;
    await closeCase(lead, c.id, current.updatedAt, { resolution: "false_positive", note: "admin script" });
    const report = (await buildCaseReport(lead, c.id))!;
    expect(report.case).toMatchObject({
      title: `Report ${tag}`,
      status: "closed",
      resolution: "false_positive",
      assignee: analyst.name,
    });
    expect(report.alerts).toHaveLength(1);
    expect(report.alerts[0]).toMatchObject({
      status: "closed",
      verdict: "false_positive",
      closeReason: "false_positive",
    });
    expect(report.alerts[0].evidence.consumerName).toContain(`${tag}-report-0`);
    expect(report.alerts[0].steps.find((s) => s.id === CURRENT_RULE.guide.investigation[0].id)).toMatchObject({
      done: true,
      note: `checked ${CURRENT_RULE.guide.investigation[0].id}`,
    });
    expect(report.timeline.map((t) => t.action)).toEqual(
      expect.arrayContaining(["case.create", "case.comment", "case.close", "alert.close"]),
    );
    // the summary a recipient reads first: who closed it, why, and the verdict in words
    expect(report.summary).toMatchObject({
      verdict: "false_positive",
      closedBy: lead.name,
      closingNote: "admin script",
      where: [expect.stringContaining(`${tag}-report-0`)],
    });
    expect(report.mitre).toContainEqual(
      expect.objectContaining({ subtechnique: "Windows Management Instrumentation Event Subscription (T1546.003)" }),
    );
    expect(report.attackTimeline.map((t) => t.what)).toContain("Binding");
    expect(report.indicators.filters).toEqual([`${tag}-report-0`]);
    const md = renderCaseReportMarkdown(report);
    expect(md).toContain(`# Case #${c.number}: \`Report ${tag}\``);
    // attacker-controlled values are fenced so they cannot turn into markup
    expect(md).toMatch(/`{1,3} ?[^`]*<script>alert\(1\)<\/script>/);
    expect(md).toContain("| Verdict | False positive |");
    expect(md).toContain("| Closed by | `Case Lead` at ");
    expect(md).toContain("| Closing note | `admin script` |");
    expect(md).toContain("## Appendix B: audit trail");
    expect(md).toContain("| Case closed |");
    // words, not stored values or step ids (the audit trail appendix keeps the stored JSON)
    expect(md.slice(0, md.indexOf("## Appendix A"))).not.toMatch(/false_positive|investigation\.[a-z]/);
  });

  it("exports attacker text in Markdown that a Markdown parser reads as text only", async () => {
    // a lone CR broke out of the code span into a heading and a link; titles were not escaped
    const hostile = `${tag}-md\r# Owned\r[click](https://evil.example) \`\`\` <img src=x onerror=alert(1)> | www.evil.example`;
    const alertIds = await makeAlerts(1, `${tag}-md`, () => hostile);
    const title = `Title ${tag}\r## Fake\n<b>bold</b> [x](https://evil.example) | \\| evil@evil.example`;
    const c = await createCase(lead, { title, alertIds });
    await addCaseComment(lead, c.id, "```\r# Comment heading\r```\n[link](https://evil.example)");
    const md = renderCaseReportMarkdown((await buildCaseReport(lead, c.id))!);
    type Node = { type: string; value?: string; children?: Node[] };
    const nodes: Node[] = [];
    const walk = (n: Node) => (nodes.push(n), n.children?.forEach(walk));
    walk(unified().use(remarkParse).use(remarkGfm).parse(md) as Node);
    const number = (await getCase(lead, c.id))!.number;
    // the headings are the report's own; attacker text inside them only as code
    const headings = nodes.filter((n) => n.type === "heading");
    expect(headings.map((h) => h.children!.map((x) => (x.type === "text" ? x.value : `<${x.type}>`)).join(""))).toEqual(
      [
        `Case #${number}: <inlineCode>`,
        "Summary",
        "Attack timeline",
        "Indicators",
        "MITRE ATT&CK",
        "Alerts and verdicts (1)",
        "Description",
        "Comments",
        "Appendix A: investigation steps",
        "Alert <inlineCode>",
        "Appendix B: audit trail",
      ],
    );
    expect(headings[0].children![1].value).toBe(title.replace(/\r/g, "\u240d").replace(/\n/g, "\u240a"));
    expect(nodes.filter((n) => ["link", "linkReference", "image", "html", "definition"].includes(n.type))).toEqual([]);
    // the values are there whole, as code
    const code = nodes.filter((n) => n.type === "inlineCode").map((n) => n.value);
    expect(code.some((v) => v?.includes(hostile.replace(/\r/g, "\u240d")))).toBe(true);
    expect(nodes.filter((n) => n.type === "code").map((n) => n.value)).toContain(
      "```\n# Comment heading\n```\n[link](https://evil.example)",
    );
  });

  it("edits with an optimistic check: a stale form gets a conflict naming who changed it", async () => {
    const c = await createCase(lead, { title: `Conflict ${tag}` });
    const stale = c.updatedAt;
    await updateCase(lead, c.id, stale, { severity: "critical" });
    const error = await updateCase(analyst, c.id, stale, { title: "mine" }).catch((e) => e);
    expect(error.code).toBe("conflict");
    // the time as the app writes it everywhere, not raw ISO
    expect(error.message).toMatch(
      new RegExp(`changed by ${lead.name} at \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ; reload`),
    );
    expect((await getCase(lead, c.id))!.title).toBe(`Conflict ${tag}`);
  });

  it("lets a lead assign cases in bulk and notifies; an analyst may only take a case", async () => {
    const a = await createCase(lead, { title: `Bulk A ${tag}` });
    const b = await createCase(lead, { title: `Bulk B ${tag}` });
    const changed = await assignCases(
      lead,
      [a, b].map((x) => ({ id: x.id, updatedAt: x.updatedAt })),
      other.id,
    );
    expect(changed).toHaveLength(2);
    expect((await listNotifications(other)).filter((n) => n.text.includes(tag))).toHaveLength(2);
    const mine = await listCases(other, { status: "active", assignee: "me", page: 1 });
    expect(
      mine.cases
        .map((x) => x.title)
        .filter((t) => t.includes(tag))
        .sort(),
    ).toEqual([`Bulk A ${tag}`, `Bulk B ${tag}`]);

    const fresh = (await getCase(lead, a.id))!;
    const denied = await assignCases(analyst, [{ id: a.id, updatedAt: fresh.updatedAt }], other.id).catch((e) => e);
    expect(denied.code).toBe("forbidden");
    const taken = await assignCases(analyst, [{ id: a.id, updatedAt: fresh.updatedAt }], analyst.id);
    expect(taken[0].assigneeId).toBe(analyst.id);
  });

  it("adds alerts to a new or an existing case, detaches, and refuses an analyst closing someone else's case", async () => {
    const [x, y] = await makeAlerts(2, `${tag}-add`);
    const first = await addAlertsToCase(analyst, [x], { title: `Added ${tag}` });
    expect(first.attached).toBe(1);
    const second = await addAlertsToCase(analyst, [y], { caseId: first.caseId });
    expect(second.caseId).toBe(first.caseId);
    expect((await getCase(analyst, first.caseId))!.alerts).toHaveLength(2);
    await detachAlertFromCase(analyst, first.caseId, y);
    const detail = (await getCase(analyst, first.caseId))!;
    expect(detail.alerts.map((a) => a.id)).toEqual([x]);
    const denied = await closeCase(other, first.caseId, detail.updatedAt, { resolution: "other" }).catch((e) => e);
    expect(denied.code).toBe("forbidden");
    const trainerDenied = await addCaseComment(trainer, first.caseId, "hi").catch((e) => e);
    expect(trainerDenied.code).toBe("forbidden");
    expect((await getCase(lead, first.caseId))!.comments).toHaveLength(0);
  });

  it("returns null for unknown ids", async () => {
    expect(await getCase(lead, randomUUID())).toBeNull();
    expect(await getCase(lead, "not-a-uuid")).toBeNull();
  });
});

describe("the case report on a real recording", () => {
  it("tells the Atomic Red Team WMI persistence as a timeline with indicators", async () => {
    // the recording with record ids of its own, so it never collides with the same file in another test
    const base = Number(String(Date.now()).slice(-9)) * 1000 + 500;
    const xml = readFileSync(
      path.resolve(
        process.cwd(),
        "../shared/datasets/evtx-attack-samples/derived-xml/PanacheSysmon_vs_AtomicRedTeam01.evtx.xml",
      ),
      "utf8",
    ).replace(
      /<EventRecordID>(\d+)<\/EventRecordID>/g,
      (_m, n) => `<EventRecordID>${base + Number(n)}</EventRecordID>`,
    );
    const summary = await ingestStream({
      source: "cli",
      fileName: "atomic.xml",
      stream: Readable.from([Buffer.from(xml)]),
    });
    const alert = await getDb().prisma.alert.findFirstOrThrow({
      where: { event: { ingestJobId: summary.jobId }, consumerName: "AtomicRedTeam-WMIPersistence-Example" },
      select: { id: true },
    });
    const c = await createCase(lead, { title: `ART ${tag}`, alertIds: [alert.id] });
    const report = (await buildCaseReport(lead, c.id))!;
    const steps = report.attackTimeline.map((t) => `${t.what} ${t.operation}`);
    expect(steps).toEqual(expect.arrayContaining(["Filter Created", "Consumer Created", "Binding Created"]));
    // oldest first
    const times = report.attackTimeline.map((t) => t.time);
    expect(times).toEqual([...times].sort());
    expect(report.indicators).toMatchObject({
      hosts: ["MSEDGEWIN10"],
      consumers: ["AtomicRedTeam-WMIPersistence-Example"],
      filters: ["AtomicRedTeam-WMIPersistence-Example"],
    });
    expect(report.indicators.commands.join("\n")).toMatch(/notepad/i);
    const md = renderCaseReportMarkdown(report);
    expect(md).toMatch(/\| Binding \| `Created` \|/);
    expect(md).toContain("- Consumer names: `AtomicRedTeam-WMIPersistence-Example`");
  });
});
