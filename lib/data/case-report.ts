import "server-only";
import { assertCan, type Actor } from "@/lib/auth/permissions";
import { getCase } from "@/lib/data/cases";
import { getUserNames } from "@/lib/data/users";
import { loadHostSubscriptionEvents } from "@/lib/data/host-subscription-events";
import { getDb } from "@/lib/db/client";
import type { EcsDocument } from "@/lib/ecs/document";
import { CURRENT_RULE } from "@/lib/rule/rules";
import { buildAttackTimeline, collectIndicators, type CaseAlertEvidence } from "@/lib/triage/case-findings";
import { getString } from "@/lib/triage/fields";
import { buildSubscriptionLife } from "@/lib/triage/subscription-life";
import { rebuildSubscription } from "@/lib/triage/wmi-subscription";

/**
 * A case as a report to hand over to management or incident response: the summary (what, where,
 * when, verdict, who closed it and why), the attack timeline and indicators from the events, the
 * MITRE technique, each alert with its verdict and key evidence, the guide's steps with their
 * state and notes, comments, and the audit trail. This is the data (the JSON export, complete for
 * tooling); case-report-markdown.ts writes the Markdown and components/cases/case-report-view.tsx
 * the printable page from it.
 */

/** a case's alerts whose host events are read for the attack timeline (the rest are still listed) */
const MAX_EVIDENCE_ALERTS = 50;
const MAX_EXECUTIONS = 200;

/** Processes WMI ran for a consumer on these hosts (lib/triage/case-findings.ts CONSUMER_HOST_PROCESS). */
async function loadConsumerExecutions(hostKeys: string[]): Promise<EcsDocument[]> {
  if (hostKeys.length === 0) return [];
  const rows = await getDb().prisma.$queryRaw<{ doc: EcsDocument }[]>`
    SELECT doc FROM event
    WHERE host_key = ANY(${hostKeys}::text[])
      AND lower(coalesce(doc #>> '{process,parent,name}', doc ->> 'process.parent.name')) IN ('wmiprvse.exe', 'scrcons.exe')
    ORDER BY timestamp ASC, id ASC
    LIMIT ${MAX_EXECUTIONS}`;
  return rows.map((r) => r.doc);
}

async function loadAttackEvidence(
  alerts: {
    id: string;
    hostKey: string | null;
    hostName: string | null;
    userName: string | null;
    command: string | null;
    doc: EcsDocument;
  }[],
) {
  const evidence: CaseAlertEvidence[] = [];
  for (const a of alerts.slice(0, MAX_EVIDENCE_ALERTS)) {
    const hostEvents = a.hostKey ? await loadHostSubscriptionEvents(a.hostKey, a.doc) : [];
    const sub = rebuildSubscription(a.doc, hostEvents);
    evidence.push({
      alertId: a.id,
      host: a.hostName,
      user: a.userName,
      command: a.command,
      sub,
      life: buildSubscriptionLife(a.doc, sub, hostEvents),
    });
  }
  const executions = await loadConsumerExecutions([
    ...new Set(alerts.map((a) => a.hostKey).filter((k): k is string => !!k)),
  ]);
  return { timeline: buildAttackTimeline(evidence, executions), indicators: collectIndicators(evidence, executions) };
}

interface MitreRow {
  tactic: string;
  technique: string;
  subtechnique: string | null;
  reference: string;
}

const MITRE: MitreRow[] = CURRENT_RULE.threat.flatMap((t) =>
  (t.technique ?? []).flatMap((tech): MitreRow[] => {
    const base = { tactic: `${t.tactic.name} (${t.tactic.id})`, technique: `${tech.name} (${tech.id})` };
    const subs = tech.subtechnique ?? [];
    return subs.length
      ? subs.map((st) => ({ ...base, subtechnique: `${st.name} (${st.id})`, reference: st.reference }))
      : [{ ...base, subtechnique: null, reference: tech.reference }];
  }),
);
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
        hostKey: true,
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
  const attack = await loadAttackEvidence(
    detail.alerts.map((a) => {
      const row = byId.get(a.id);
      return { ...a, hostKey: row?.hostKey ?? null, doc: (row?.event.doc ?? {}) as EcsDocument };
    }),
  );
  const closing = detail.timeline.findLast((t) => t.entityType === "case" && t.action === "case.close");
  const closingAfter = (closing?.after ?? {}) as { note?: unknown };
  const times = detail.alerts.map((a) => a.eventTimestamp.getTime());
  return {
    generatedAt: new Date().toISOString(),
    generatedBy: actor.name ?? actor.id,
    rule: { id: CURRENT_RULE.ruleId, name: CURRENT_RULE.name, version: CURRENT_RULE.version },
    summary: {
      what: `${detail.title} (${detail.alerts.length} alert${detail.alerts.length === 1 ? "" : "s"} of ${CURRENT_RULE.name})`,
      where: attack.indicators.hosts,
      firstEvent: times.length ? new Date(Math.min(...times)).toISOString() : null,
      lastEvent: times.length ? new Date(Math.max(...times)).toISOString() : null,
      verdict: detail.resolution,
      closedBy: detail.status === "closed" ? (closing?.actorName ?? null) : null,
      closedAt: detail.closedAt?.toISOString() ?? null,
      closingNote: detail.status === "closed" && typeof closingAfter.note === "string" ? closingAfter.note : null,
    },
    mitre: MITRE,
    attackTimeline: attack.timeline,
    indicators: attack.indicators,
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
