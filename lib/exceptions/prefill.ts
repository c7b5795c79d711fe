import { getFieldValues } from "@/lib/eql/fields";
import type { ExceptionCondition } from "./conditions";

/**
 * The draft an analyst starts from when they turn an alert into an exception: one suggested
 * condition per identifying field the alert's event has, the narrowest ones (this consumer on
 * this host) selected. Everything stays editable; the what-if shows what the draft would hide.
 */

export interface SuggestedCondition {
  condition: ExceptionCondition;
  selected: boolean;
  /** why this field helps (shown next to the suggestion) */
  hint: string;
}

interface Candidate {
  field: string;
  selected: boolean;
  hint: string;
}

// Fields of the matched event (Sysmon 21 or the Endpoint API event); not Sysmon 20's command,
// which lives in another event and so can never be what an exception on this rule matches.
const CANDIDATES: Candidate[] = [
  { field: "winlog.event_data.Consumer", selected: true, hint: "the consumer this subscription binds (Sysmon 21)" },
  { field: "host.name", selected: true, hint: "the host the subscription was created on" },
  { field: "user.name", selected: false, hint: "the account that created it" },
  { field: "winlog.event_data.Filter", selected: false, hint: "the event filter it binds (Sysmon 21)" },
  { field: "process.executable", selected: false, hint: "the process that created it (Endpoint)" },
  { field: "process.Ext.api.parameters.consumer_type", selected: false, hint: "the consumer class (Endpoint)" },
  { field: "process.Ext.api.parameters.consumer", selected: false, hint: "the consumer (Endpoint)" },
  { field: "winlog.event_data.User", selected: false, hint: "the account Sysmon recorded" },
];

function firstText(doc: Record<string, unknown>, field: string): string | null {
  for (const v of getFieldValues(doc, field)) {
    if (typeof v === "string" && v !== "") return v;
    if (typeof v === "number" || typeof v === "boolean") return String(v);
  }
  return null;
}

export function suggestConditions(
  doc: Record<string, unknown>,
  context: { command?: string | null } = {},
): SuggestedCondition[] {
  const out: SuggestedCondition[] = [];
  for (const c of CANDIDATES) {
    const value = firstText(doc, c.field);
    if (value === null) continue;
    out.push({
      condition: { field: c.field, operator: "is", value, caseSensitive: true },
      selected: c.selected,
      hint: c.hint,
    });
  }
  // the consumer's command, when the matched event itself carries it (e.g. an Endpoint event)
  if (context.command) {
    for (const field of [
      "process.Ext.api.parameters.command_line",
      "process.command_line",
      "winlog.event_data.Destination",
    ]) {
      if (firstText(doc, field) === context.command && !out.some((s) => s.condition.field === field)) {
        out.push({
          condition: { field, operator: "is", value: context.command, caseSensitive: true },
          selected: false,
          hint: "the consumer's command",
        });
      }
    }
  }
  return out;
}

export function suggestName(parts: {
  fpLabel?: string | null;
  consumerName?: string | null;
  hostName?: string | null;
}): string {
  const what = parts.consumerName ? `consumer ${parts.consumerName}` : "WMI subscription";
  const where = parts.hostName ? ` on ${parts.hostName}` : "";
  const prefix = parts.fpLabel ? `${parts.fpLabel}: ` : "";
  return `${prefix}${what}${where}`.slice(0, 200);
}
