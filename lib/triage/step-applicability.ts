import type { EcsDocument } from "@/lib/ecs/document";
import { getString } from "./fields";

/**
 * The rule matches two kinds of event: Sysmon 21 (WmiBindingEvent) and Elastic Defend's WMI API
 * events. Two of the guide's investigation steps read fields only one of them has, so on an alert
 * of the other kind they can have no evidence: they are shown as not applicable and never required.
 */
export type AlertSource = "sysmon" | "endpoint-api";

export function alertSourceOf(dataset: string | null | undefined, doc?: EcsDocument): AlertSource {
  if (dataset === "endpoint.events.api") return "endpoint-api";
  if (
    doc &&
    getString(doc, "process.Ext.api.name") !== undefined &&
    getString(doc, "winlog.event_data.Consumer") === undefined
  )
    return "endpoint-api";
  return "sysmon";
}

const ONLY_FOR: Record<string, { source: AlertSource; why: string }> = {
  "investigation.sysmon-21-fields": {
    source: "sysmon",
    why: "this alert came from Elastic Defend's API events, which have no Sysmon 21 fields",
  },
  "investigation.api-consumer-type": {
    source: "endpoint-api",
    why: "this alert came from Sysmon, which has no Elastic Defend API fields",
  },
};

/** Why the step cannot apply to an alert from `source`, or null when it applies. */
export function whyNotApplicable(stepId: string, source: AlertSource): string | null {
  const only = ONLY_FOR[stepId];
  return only && only.source !== source ? only.why : null;
}

/** The mandatory steps an alert from `source` must have done: the chosen set less what cannot apply. */
export function applicableMandatorySteps(mandatory: string[], source: AlertSource): string[] {
  return mandatory.filter((id) => whyNotApplicable(id, source) === null);
}
