import { describeFailure, evaluateQuery, type EvalResult, type PredicateTrace } from "@/lib/eql/evaluate";
import { ruleQuery } from "@/lib/rule/query";
import { CURRENT_RULE, type GuideStep } from "@/lib/rule/rules";
import { decodePayloads, type DecodedPayload } from "@/lib/triage/decode-payload";
import { evaluateFalsePositiveChecks, type FalsePositiveCheck } from "@/lib/triage/false-positive-checks";
import type { EcsDocument } from "@/lib/ecs/document";
import { describeHost, getString, isSameHost } from "@/lib/triage/fields";
import { collectStepEvidence, type EvidenceItem } from "@/lib/triage/investigation-evidence";
import { buildReasonMessage } from "@/lib/triage/reason";
import { generateRemediation, remediationInput, type RemediationScripts } from "@/lib/triage/remediation";
import { rebuildSubscription, type RebuiltSubscription } from "@/lib/triage/wmi-subscription";

/**
 * The live alert page's workflow, computed in memory from a scenario's own events: the rule runs
 * over every event; the first match is the scenario's alert. When nothing matches, the closest
 * WMI event (Sysmon 21, else 20, else 19) is shown with the predicates that kept it out — the
 * lesson of what the rule misses.
 */

export interface WalkthroughFocus {
  index: number;
  timestamp: string | null;
  host: string;
  user: string | null;
  eventCode: string | null;
  reason: string;
}

export interface Walkthrough {
  eventCount: number;
  matched: boolean;
  matchCount: number;
  focus: WalkthroughFocus | null;
  /** the focus event, for "show the document" */
  focusDoc: EcsDocument | null;
  explanation: EvalResult | null;
  /** for a non-matching focus: the predicates that kept it out */
  failing: PredicateTrace[];
  subscription: RebuiltSubscription | null;
  payloads: DecodedPayload[];
  investigation: { step: GuideStep; evidence: EvidenceItem[] }[];
  falsePositives: { step: GuideStep; check: FalsePositiveCheck | null }[];
  response: GuideStep[];
  remediation: RemediationScripts | null;
}

const QUERY = ruleQuery(CURRENT_RULE);

export function findMatches(events: EcsDocument[]): number[] {
  const out: number[] = [];
  events.forEach((doc, i) => {
    if (evaluateQuery(QUERY, doc, { explain: false }).matched) out.push(i);
  });
  return out;
}

function candidateIndex(events: EcsDocument[]): number {
  for (const code of ["21", "20", "19"]) {
    const i = events.findIndex((d) => getString(d, "event.code") === code);
    if (i >= 0) return i;
  }
  return events.length > 0 ? 0 : -1;
}

/** The subscription without the full documents it was rebuilt from: what a page needs to show. */
function slimSubscription(sub: RebuiltSubscription): RebuiltSubscription {
  return {
    binding: sub.binding,
    consumer: sub.consumer ? { ...sub.consumer, event: undefined } : null,
    filter: sub.filter ? { ...sub.filter, event: undefined } : null,
    missing: sub.missing,
    nearMatches: sub.nearMatches,
    filterSeenCreated: sub.filterSeenCreated,
  };
}

export function buildWalkthrough(events: EcsDocument[]): Walkthrough {
  const matches = findMatches(events);
  const index = matches[0] ?? candidateIndex(events);
  const guide = CURRENT_RULE.guide;
  if (index < 0) {
    return {
      eventCount: 0,
      matched: false,
      matchCount: 0,
      focus: null,
      focusDoc: null,
      explanation: null,
      failing: [],
      subscription: null,
      payloads: [],
      investigation: guide.investigation.map((step) => ({ step, evidence: [] })),
      falsePositives: guide.falsePositives.map((step) => ({ step, check: null })),
      response: guide.response,
      remediation: null,
    };
  }
  const doc = events[index];
  const explanation = evaluateQuery(QUERY, doc, { explain: true });
  const hostEvents = events.filter((e, i) => i !== index && isSameHost(e, doc));
  const subscription = rebuildSubscription(doc, hostEvents);
  const command = subscription.consumer?.destination;
  const payloads = command ? decodePayloads(command) : [];
  const checks = evaluateFalsePositiveChecks({ alert: doc, hostEvents, subscription });
  const consumer = subscription.consumer ?? null;
  let remediation: RemediationScripts | null = null;
  if (consumer?.name && consumer.className) {
    remediation = generateRemediation(remediationInput(subscription)!);
  }
  return {
    eventCount: events.length,
    matched: explanation.matched,
    matchCount: matches.length,
    focus: {
      index,
      timestamp: getString(doc, "@timestamp") ?? null,
      host: describeHost(doc),
      user: getString(doc, "user.name") ?? null,
      eventCode: getString(doc, "event.code") ?? null,
      reason: explanation.matched
        ? buildReasonMessage(doc, { ruleName: CURRENT_RULE.name, severity: CURRENT_RULE.severity })
        : `No alert: the rule did not match any of the ${events.length} events. Closest WMI event shown.`,
    },
    focusDoc: doc,
    explanation,
    failing: describeFailure(explanation),
    subscription: slimSubscription(subscription),
    payloads,
    investigation: guide.investigation.map((step) => ({
      step,
      evidence: collectStepEvidence(step.id, doc, { hostEvents, subscription }),
    })),
    falsePositives: guide.falsePositives.map((step) => ({
      step,
      check: checks.find((c) => c.stepId === step.id) ?? null,
    })),
    response: guide.response,
    remediation,
  };
}
