import "server-only";
import { assertCan, type Actor } from "@/lib/auth/permissions";
import { getCase } from "@/lib/data/cases";
import { getUserNames } from "@/lib/data/users";
import { getDb } from "@/lib/db/client";
import { inertBlock, inertCode } from "@/lib/markdown/inert";
import { CURRENT_RULE } from "@/lib/rule/rules";
import { getString } from "@/lib/triage/fields";

/**
 * A case as a report to hand over: the case, each alert with its key evidence, the guide's steps
 * with their state and notes, verdicts, comments, and the audit timeline. JSON is the data;
 * Markdown is rendered from it with every event value in a code span or fence, so a consumer
 * name or command line cannot become markup in whatever renders the file.
 */
const GUIDE_STEPS = [
  ...CURRENT_RULE.guide.investigation.map((s) => ({ ...s, section: "investigation" })),
  ...CURRENT_RULE.guide.falsePositives.map((s) => ({ ...s, section: "false positive" })),
  ...CURRENT_RULE.guide.response.map((s) => ({ ...s, section: "response" })),
];

export async function buildCaseReport(actor: Actor, caseId: string) {
  assertCan(actor, "cases:read");
  const detail = await getCase(actor, caseId);
  if (!detail) return null;
  const { prisma } = getDb();
  const alertIds = detail.alerts.map((a) => a.id);
  const [rows, alertComments] = await Promise.all([
    prisma.alert.findMany({
      where: { id: { in: alertIds } },
      select: {
        id: true,
        reason: true,
        riskScore: true,
        branch: true,
        verdictNote: true,
        createdAt: true,
        statusChangedAt: true,
        event: { select: { doc: true } },
        steps: { select: { stepKey: true, done: true, answer: true, note: true, updatedBy: true, updatedAt: true } },
      },
    }),
    prisma.comment.findMany({
      where: { alertId: { in: alertIds } },
      orderBy: { createdAt: "asc" },
      select: { alertId: true, authorId: true, body: true, createdAt: true },
    }),
  ]);
  const names = await getUserNames([
    ...rows.flatMap((r) => r.steps.map((s) => s.updatedBy)),
    ...alertComments.map((c) => c.authorId),
  ]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return {
    generatedAt: new Date().toISOString(),
    generatedBy: actor.name ?? actor.id,
    rule: { id: CURRENT_RULE.ruleId, name: CURRENT_RULE.name, version: CURRENT_RULE.version },
    case: {
      id: detail.id,
      number: detail.number,
      title: detail.title,
      description: detail.description,
      severity: detail.severity,
      status: detail.status,
      resolution: detail.resolution,
      tags: detail.tags,
      assignee: detail.assigneeName,
      createdBy: detail.createdByName,
      createdAt: detail.createdAt.toISOString(),
      closedAt: detail.closedAt?.toISOString() ?? null,
    },
    alerts: detail.alerts.map((a) => {
      const row = byId.get(a.id);
      const doc = row?.event.doc;
      const eventData = (field: string) => getString(doc, `winlog.event_data.${field}`) ?? null;
      const steps = new Map((row?.steps ?? []).map((s) => [s.stepKey, s]));
      return {
        id: a.id,
        status: a.status,
        verdict: a.verdict,
        verdictNote: row?.verdictNote ?? null,
        closeReason: a.closeReason,
        assignee: a.assigneeName,
        reason: row?.reason ?? null,
        evidence: {
          eventTimestamp: a.eventTimestamp.toISOString(),
          hostName: a.hostName,
          userName: a.userName,
          consumerName: a.consumerName,
          consumerType: a.consumerType,
          command: a.command,
          branch: row?.branch ?? null,
          riskScore: row?.riskScore ?? null,
          operation: eventData("Operation"),
          consumer: eventData("Consumer"),
          filter: eventData("Filter"),
        },
        steps: GUIDE_STEPS.map((g) => {
          const s = steps.get(g.id);
          return {
            id: g.id,
            section: g.section,
            label: g.label,
            done: s?.done ?? false,
            answer: s?.answer ?? null,
            note: s?.note ?? null,
            updatedBy: s?.updatedBy ? (names.get(s.updatedBy) ?? s.updatedBy) : null,
            updatedAt: s?.updatedAt.toISOString() ?? null,
          };
        }),
        comments: alertComments
          .filter((c) => c.alertId === a.id)
          .map((c) => ({
            author: c.authorId ? (names.get(c.authorId) ?? c.authorId) : null,
            body: c.body,
            at: c.createdAt.toISOString(),
          })),
      };
    }),
    comments: detail.comments.map((c) => ({ author: c.authorName, body: c.body, at: c.createdAt.toISOString() })),
    timeline: detail.timeline.map((t) => ({
      at: t.at.toISOString(),
      actor: t.actorName,
      action: t.action,
      entityType: t.entityType,
      entityId: t.entityId,
      before: t.before,
      after: t.after,
    })),
  };
}
export type CaseReport = NonNullable<Awaited<ReturnType<typeof buildCaseReport>>>;

/** Every value that came from events or people goes through lib/markdown/inert.ts. */
const code = (value: string | number | null | undefined) => inertCode(value);
const cell = (value: string | number | null | undefined) => inertCode(value, { table: true });
const block = (text: string) => inertBlock(text);

export function renderCaseReportMarkdown(r: CaseReport): string {
  const c = r.case;
  const out: string[] = [];
  out.push(`# Case #${c.number}: ${code(c.title)}`, "");
  out.push(`Rule: ${r.rule.name} (v${r.rule.version}) · generated ${r.generatedAt} by ${code(r.generatedBy)}`, "");
  out.push("| Field | Value |", "| --- | --- |");
  const fields: [string, string | null][] = [
    ["Status", c.status],
    ["Resolution", c.resolution],
    ["Severity", c.severity],
    ["Assignee", c.assignee],
    ["Created", `${c.createdAt} by ${c.createdBy ?? "—"}`],
    ["Closed", c.closedAt],
    ["Tags", c.tags.join(", ")],
  ];
  for (const [k, v] of fields) out.push(`| ${k} | ${cell(v)} |`);
  out.push("", "## Description", "", c.description ? block(c.description) : "—", "");
  out.push(`## Alerts (${r.alerts.length})`, "");
  for (const a of r.alerts) {
    out.push(`### Alert ${code(a.id)}`, "");
    out.push(`- Status: ${code(a.status)} · close reason: ${code(a.closeReason)} · verdict: ${code(a.verdict)}`);
    if (a.verdictNote) out.push(`- Verdict note: ${code(a.verdictNote)}`);
    out.push(`- Assignee: ${code(a.assignee)}`);
    const e = a.evidence;
    out.push(`- Event time: ${code(e.eventTimestamp)} · host: ${code(e.hostName)} · user: ${code(e.userName)}`);
    out.push(`- Consumer: ${code(e.consumerName)} (${code(e.consumerType)}) · operation: ${code(e.operation)}`);
    out.push(`- Command: ${code(e.command)}`);
    out.push(`- Filter: ${code(e.filter)}`, "");
    out.push("| Step | Done | Answer | Note | By |", "| --- | --- | --- | --- | --- |");
    for (const s of a.steps)
      out.push(
        `| ${s.label} (${cell(s.id)}) | ${s.done ? "yes" : "no"} | ${cell(s.answer)} | ${cell(s.note)} | ${cell(s.updatedBy)} |`,
      );
    for (const cm of a.comments) out.push("", `**${code(cm.author)}** at ${cm.at}:`, "", block(cm.body));
    out.push("");
  }
  out.push("## Comments", "");
  if (r.comments.length === 0) out.push("—", "");
  for (const cm of r.comments) out.push(`**${code(cm.author)}** at ${cm.at}:`, "", block(cm.body), "");
  out.push("## Timeline", "", "| At | Who | Action | Entity | Change |", "| --- | --- | --- | --- | --- |");
  for (const t of r.timeline) {
    const change = [
      t.before ? `before ${JSON.stringify(t.before)}` : "",
      t.after ? `after ${JSON.stringify(t.after)}` : "",
    ]
      .filter(Boolean)
      .join(" → ");
    out.push(
      `| ${t.at} | ${cell(t.actor)} | ${cell(t.action)} | ${cell(`${t.entityType} ${t.entityId}`)} | ${cell(change)} |`,
    );
  }
  return `${out.join("\n")}\n`;
}
