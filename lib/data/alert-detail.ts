import "server-only";
import { AppError } from "@/lib/app-error";
import { assertCan, can, type Actor } from "@/lib/auth/permissions";
import { getAlertNeighbours, type AlertNeighbours } from "@/lib/data/alert-list";
import { getMandatorySteps } from "@/lib/data/alert-status";
import { listAlertHistory, type HistoryEntry } from "@/lib/data/alert-history";
import { listRelatedAlerts, listSeenBefore, type RelatedAlertRow, type SeenBeforeRow } from "@/lib/data/alert-related";
import { getFpAllowlist, listAlertSteps, type AllowlistView, type StepState } from "@/lib/data/alert-steps";
import { DEFAULT_TIMELINE_MINUTES, loadHostTimeline, type TimelineEvent } from "@/lib/data/alert-timeline";
import { getHostLastEventTime, loadHostSubscriptionEvents } from "@/lib/data/host-subscription-events";
import { listGuideTips, type GuideTipView } from "@/lib/data/guide-tips";
import { getUserNames, listAssignableUsers } from "@/lib/data/users";
import { getDb } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { CURRENT_RULE, getRule, type RuleDefinition } from "@/lib/rule/rules";
import type { PredicateTrace } from "@/lib/eql/evaluate";
import { decodePayloads, type DecodedPayload } from "@/lib/triage/decode-payload";
import { evaluateFalsePositiveChecks, type FalsePositiveCheck } from "@/lib/triage/false-positive-checks";
import type { EcsDocument } from "@/lib/ecs/document";
import { getString } from "@/lib/triage/fields";
import {
  collectStepEvidence,
  type EvidenceItem,
  type RelatedAlert as EvidenceRelatedAlert,
} from "@/lib/triage/investigation-evidence";
import { generateRemediation, remediationInput, type RemediationScripts } from "@/lib/triage/remediation";
import { isWellKnownServiceAccount } from "@/lib/triage/service-accounts";
import { alertSourceOf, whyNotApplicable } from "@/lib/triage/step-applicability";
import { buildSubscriptionLife, type SubscriptionLife } from "@/lib/triage/subscription-life";
import { rebuildSubscription, type RebuiltSubscription } from "@/lib/triage/wmi-subscription";

export interface AlertExplanation {
  branch: { index: number; text: string } | null;
  trace: PredicateTrace[];
  subscriptionMissing: string[];
}

/** The subscription without the raw events it was rebuilt from (they are in the timeline and the JSON). */
export type SubscriptionView = {
  binding: RebuiltSubscription["binding"];
  consumer: Omit<NonNullable<RebuiltSubscription["consumer"]>, "event"> | null;
  filter: Omit<NonNullable<RebuiltSubscription["filter"]>, "event"> | null;
  missing: string[];
  nearMatches: RebuiltSubscription["nearMatches"];
};

export interface GuideStepView {
  id: string;
  label: string;
  text: string;
  mandatory: boolean;
  /** why the step cannot have evidence for this alert's source; such a step is never required */
  notApplicable: string | null;
  state: StepState | null;
}

export interface AlertDetail {
  alert: {
    id: string;
    ruleId: string;
    ruleVersion: number;
    ruleName: string;
    severity: string;
    riskScore: number;
    reason: string;
    eventId: string;
    eventTimestamp: Date;
    hostName: string | null;
    userName: string | null;
    consumerName: string | null;
    consumerType: string | null;
    command: string | null;
    branch: string;
    status: string;
    statusChangedBy: string | null;
    statusChangedByName: string | null;
    statusChangedAt: Date | null;
    assigneeId: string | null;
    assigneeName: string | null;
    closeReason: string | null;
    verdict: string | null;
    verdictNote: string | null;
    caseId: string | null;
    version: number;
    createdAt: Date;
    updatedAt: Date;
  };
  explanation: AlertExplanation;
  event: { doc: EcsDocument; original: unknown };
  rule: Pick<RuleDefinition, "ruleId" | "version" | "name" | "severity" | "riskScore" | "threat" | "query">;
  /** key fields of the event, in the order the page lists them */
  keyFields: { label: string; field: string; value: string | null }[];
  subscription: SubscriptionView;
  /** every event of the subscription on the host, oldest first, and what they say about its state */
  life: SubscriptionLife;
  payloads: DecodedPayload[];
  windowMinutes: number;
  timeline: TimelineEvent[];
  timelineTruncated: boolean;
  related: RelatedAlertRow[];
  seenBefore: SeenBeforeRow[];
  investigation: (GuideStepView & { evidence: EvidenceItem[] })[];
  falsePositives: (GuideStepView & { check: FalsePositiveCheck | null })[];
  response: GuideStepView[];
  /** trainers' tips on the guide's steps that they made visible to every analyst */
  guideTips: GuideTipView[];
  allowlist: AllowlistView;
  remediation: RemediationScripts | null;
  history: HistoryEntry[];
  /** the list the alert was opened from: neighbours, position, the way back */
  nav: AlertNeighbours;
  assignees: { id: string; name: string }[];
  permissions: { triage: boolean; assign: boolean; settings: boolean };
}

const alertSelect = {
  id: true,
  ruleId: true,
  ruleVersion: true,
  ruleName: true,
  severity: true,
  riskScore: true,
  reason: true,
  eventId: true,
  eventTimestamp: true,
  hostName: true,
  hostKey: true,
  userName: true,
  consumerName: true,
  consumerType: true,
  command: true,
  branch: true,
  explanation: true,
  status: true,
  statusChangedBy: true,
  statusChangedAt: true,
  assigneeId: true,
  closeReason: true,
  verdict: true,
  verdictNote: true,
  caseId: true,
  version: true,
  createdAt: true,
  updatedAt: true,
  event: { select: { doc: true, original: true } },
} as const satisfies Prisma.AlertSelect;

const KEY_FIELDS: [label: string, field: string][] = [
  ["Time", "@timestamp"],
  ["Host", "host.name"],
  ["User", "user.name"],
  ["Operation", "winlog.event_data.Operation"],
  ["Consumer", "winlog.event_data.Consumer"],
  ["Filter", "winlog.event_data.Filter"],
  ["Event code", "event.code"],
  ["Dataset", "event.dataset"],
];

function stripEvent(sub: RebuiltSubscription): SubscriptionView {
  const { event: _c, ...consumer } = sub.consumer ?? ({} as NonNullable<RebuiltSubscription["consumer"]>);
  const { event: _f, ...filter } = sub.filter ?? ({} as NonNullable<RebuiltSubscription["filter"]>);
  return {
    binding: sub.binding,
    consumer: sub.consumer ? consumer : null,
    filter: sub.filter ? filter : null,
    missing: sub.missing,
    nearMatches: sub.nearMatches,
  };
}

function parseExplanation(value: unknown): AlertExplanation {
  const v = (value ?? {}) as Partial<AlertExplanation>;
  return {
    branch: v.branch ?? null,
    trace: Array.isArray(v.trace) ? v.trace : [],
    subscriptionMissing: Array.isArray(v.subscriptionMissing) ? v.subscriptionMissing : [],
  };
}

/** Whether the alert exists (its page answers 404 before streaming when it does not). */
export async function alertExists(actor: Actor, id: string): Promise<boolean> {
  assertCan(actor, "alerts:read");
  return ((await getDb().pool.query(`SELECT 1 FROM alert WHERE id = $1`, [id])).rowCount ?? 0) > 0;
}

/** The alert page's data; throws AppError not_found when there is no such alert. */
export async function getAlertDetail(
  actor: Actor,
  id: string,
  opts: { windowMinutes?: number; list?: string } = {},
): Promise<AlertDetail> {
  assertCan(actor, "alerts:read");
  const { prisma } = getDb();
  const windowMinutes = opts.windowMinutes ?? DEFAULT_TIMELINE_MINUTES;
  const row = await prisma.alert.findUnique({ where: { id }, select: alertSelect });
  if (!row) throw new AppError("not_found", "no such alert");
  const { event, explanation, hostKey, ...alert } = row;
  const doc = (event.doc ?? {}) as EcsDocument;
  const rule = getRule(alert.ruleId, alert.ruleVersion) ?? CURRENT_RULE;

  // every loader needs only the alert row: they run at once, not one after another
  // the subscription's parts come from any time: a filter and consumer created days before the binding still belong
  // to it
  // a built-in service account (SYSTEM, NETWORK SERVICE…) runs on every host: no link on its own
  const linkUser =
    alert.userName && !isWellKnownServiceAccount(alert.userName, getString(doc, "user.domain")) ? alert.userName : null;
  const keys = { id: alert.id, hostKey, linkUser, consumerName: alert.consumerName, command: alert.command };
  const [
    [subscriptionEvents, lastSeen],
    { timeline, docs: windowDocs, truncated: timelineTruncated },
    related,
    seenBefore,
    nav,
    history,
    [steps, mandatory, allowlist],
    assignees,
    names,
    guideTips,
  ] = await Promise.all([
    hostKey
      ? Promise.all([loadHostSubscriptionEvents(hostKey, doc), getHostLastEventTime(hostKey)])
      : ([[], null] satisfies [EcsDocument[], Date | null]),
    loadHostTimeline(actor, hostKey, alert, windowMinutes),
    listRelatedAlerts(actor, keys),
    listSeenBefore(actor, keys),
    getAlertNeighbours(actor, alert.id, opts.list),
    listAlertHistory(actor, alert.id),
    Promise.all([listAlertSteps(actor, alert.id), getMandatorySteps(), getFpAllowlist()]),
    can(actor.role, "alerts:assign") ? listAssignableUsers() : [],
    getUserNames([alert.assigneeId, alert.statusChangedBy]),
    listGuideTips(
      [...rule.guide.investigation, ...rule.guide.falsePositives, ...rule.guide.response].map((s) => s.id),
      { forAnalysts: true },
    ),
  ]);
  const sub = rebuildSubscription(doc, subscriptionEvents);
  const life = buildSubscriptionLife(doc, sub, subscriptionEvents, { lastSeen: lastSeen?.getTime() });

  const stepState = new Map(steps.map((s) => [s.stepKey, s]));
  const mandatorySet = new Set(mandatory);
  const source = alertSourceOf(getString(doc, "event.dataset"), doc);
  const view = (s: { id: string; label: string; text: string }): GuideStepView => ({
    id: s.id,
    label: s.label,
    text: s.text,
    mandatory: mandatorySet.has(s.id) && whyNotApplicable(s.id, source) === null,
    notApplicable: whyNotApplicable(s.id, source),
    state: stepState.get(s.id) ?? null,
  });

  const evidenceAlerts: EvidenceRelatedAlert[] = related
    .filter((r) => r.matchedOn.includes("host") || r.matchedOn.includes("user"))
    .map((r) => ({
      id: r.id,
      ruleName: alert.ruleName,
      severity: r.severity,
      timestamp: r.eventTimestamp.toISOString(),
      reason: `${r.status}; ${r.hostName ?? "?"} / ${r.userName ?? "?"}; consumer ${r.consumerName ?? "?"}`,
    }));
  const context = {
    hostEvents: windowDocs,
    relatedAlerts: evidenceAlerts,
    subscription: sub,
    wmiEvents: subscriptionEvents,
    windowMinutes,
  };
  const checks = evaluateFalsePositiveChecks({
    alert: doc,
    hostEvents: windowDocs,
    windowMinutes,
    allowlist: allowlist.entries,
    subscription: sub,
  });

  const command = sub.consumer?.destination ?? alert.command ?? undefined;
  const removal = remediationInput(sub, { consumerName: alert.consumerName, consumerClass: alert.consumerType });

  return {
    guideTips,
    alert: {
      ...alert,
      eventId: alert.eventId.toString(),
      assigneeName: alert.assigneeId ? (names.get(alert.assigneeId) ?? alert.assigneeId) : null,
      statusChangedByName: alert.statusChangedBy ? (names.get(alert.statusChangedBy) ?? alert.statusChangedBy) : null,
    },
    explanation: parseExplanation(explanation),
    event: { doc, original: event.original ?? null },
    rule: {
      ruleId: rule.ruleId,
      version: rule.version,
      name: rule.name,
      severity: rule.severity,
      riskScore: rule.riskScore,
      threat: rule.threat,
      query: rule.query,
    },
    keyFields: KEY_FIELDS.map(([label, field]) => ({ label, field, value: getString(doc, field) ?? null })),
    subscription: stripEvent(sub),
    life,
    payloads: command ? decodePayloads(command) : [],
    windowMinutes,
    timeline,
    timelineTruncated,
    related,
    seenBefore,
    investigation: rule.guide.investigation.map((s) => ({
      ...view(s),
      evidence: collectStepEvidence(s.id, doc, context),
    })),
    falsePositives: rule.guide.falsePositives.map((s) => ({
      ...view(s),
      check: checks.find((c) => c.stepId === s.id) ?? null,
    })),
    response: rule.guide.response.map(view),
    allowlist,
    remediation: removal ? generateRemediation(removal) : null,
    history,
    nav,
    assignees,
    permissions: {
      triage: can(actor.role, "alerts:triage"),
      assign: can(actor.role, "alerts:assign"),
      settings: can(actor.role, "settings:write"),
    },
  };
}
