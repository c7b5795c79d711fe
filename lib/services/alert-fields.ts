import type { EvalResult } from "@/lib/eql/evaluate";
import type { RuleDefinition } from "@/lib/rule/rules";
import { getString } from "@/lib/triage/fields";
import { decodePayloads } from "@/lib/triage/decode-payload";
import { buildReasonMessage } from "@/lib/triage/reason";
import { rebuildSubscription } from "@/lib/triage/wmi-subscription";

/**
 * The denormalised columns an alert carries so the alerts table can filter, sort and preview
 * without opening the event: reason in Kibana's form, consumer name/type, command preview,
 * matched branch and the evaluator's explanation.
 */
export interface AlertFields {
  reason: string;
  hostName: string | null;
  userName: string | null;
  consumerName: string | null;
  consumerType: string | null;
  command: string | null;
  /** the decoded payloads' text, for the alerts page's search */
  payloadText: string | null;
  branch: string;
  explanation: object;
}

const PREVIEW_LENGTH = 2000;
const PAYLOAD_TEXT_LENGTH = 20_000;

function firstString(doc: Record<string, unknown>, path: string): string | null {
  return getString(doc, path) ?? null;
}

export function buildAlertFields(
  rule: RuleDefinition,
  doc: Record<string, unknown>,
  evaluation: EvalResult,
  hostEvents: Record<string, unknown>[],
): AlertFields {
  const subscription = rebuildSubscription(doc, hostEvents);
  const consumer = subscription.consumer;
  const command = consumer?.destination ?? null;
  return {
    reason: buildReasonMessage(doc, { ruleName: rule.name, severity: rule.severity }),
    hostName: firstString(doc, "host.name") ?? firstString(doc, "winlog.computer_name"),
    userName: firstString(doc, "user.name"),
    consumerName: consumer?.name ?? null,
    consumerType: consumer?.className ?? firstString(doc, "process.Ext.api.parameters.consumer_type"),
    command: command === null ? null : command.slice(0, PREVIEW_LENGTH),
    payloadText: payloadTextOf(command),
    branch: evaluation.branch ? `branch ${evaluation.branch.index + 1}: ${evaluation.branch.text}` : "",
    explanation: { branch: evaluation.branch, trace: evaluation.trace, subscriptionMissing: subscription.missing },
  };
}

/** The decoded text of every payload in the consumer's command, joined; null when there is none. */
function payloadTextOf(command: string | null): string | null {
  if (command === null) return null;
  const text = decodePayloads(command)
    .filter((p) => !p.error && p.decoded)
    .map((p) => p.decoded)
    .join("\n");
  return text ? text.slice(0, PAYLOAD_TEXT_LENGTH) : null;
}
