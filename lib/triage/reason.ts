import type { EcsDocument } from "@/lib/ecs/document";
import { getFieldValues } from "@/lib/eql/fields";

/**
 * The alert reason (`kibana.alert.reason`) exactly as Kibana composes it for every rule type:
 * `buildReasonMessageUtil` in x-pack/plugins/security_solution/server/lib/detection_engine/
 * rule_types/utils/reason_formatters.ts (Elastic License 2.0), whose ICU message is
 *
 *   {eventCategory}{ }event{ with}{ process P,}{ parent process PP,}{ file F,}{ source S}{:SP,}
 *   { destination D}{:DP,}{ by U}{ on H} created {severity} alert {name}.
 *
 * Reproduced quirks: a field whose value is "-" (or empty) is left out; arrays are joined with
 * ", "; a port is printed even without its address; "with" appears only when one of process,
 * parent, file, source or destination is present; a value whose text is "null" selects ICU's
 * `null` branch and is left out too; a non-array number fails Kibana's `field.length` test and
 * is left out (ports from `fields` arrive as arrays, from `_source` as numbers).
 */

type FieldValue = string | string[] | null;

const REASON_FIELDS = {
  destinationAddress: "destination.ip",
  destinationPort: "destination.port",
  eventCategory: "event.category",
  fileName: "file.name",
  hostName: "host.name",
  processName: "process.name",
  processParentName: "process.parent.name",
  sourceAddress: "source.ip",
  sourcePort: "source.port",
  userName: "user.name",
} as const;

type ReasonKey = keyof typeof REASON_FIELDS;

/** lodash `getOr(null, path, doc)` as Kibana uses it: one value as stored, array or scalar. */
function readLikeKibana(doc: EcsDocument, path: string): unknown {
  const values = getFieldValues(doc, path);
  if (values.length === 0) return null;
  if (values.length > 1) return values;
  return values[0];
}

function templateValue(raw: unknown): FieldValue {
  if (Array.isArray(raw)) {
    const items = raw.filter((v) => v !== null && v !== undefined).map(String);
    if (items.length === 0 || (items.length === 1 && items[0] === "-")) return null;
    return items;
  }
  // Kibana: `if (!field || !field.length || (field.length === 1 && field[0] === '-')) return null`
  if (typeof raw !== "string" || raw.length === 0 || raw === "-") return null;
  return raw;
}

/** ICU `select` stringifies the value, so null and the text "null" both pick the empty branch. */
function present(value: FieldValue): string | null {
  if (value === null) return null;
  const text = Array.isArray(value) ? value.join(", ") : value;
  return text === "null" ? null : text;
}

export interface BuildReasonMessageUtilArgs {
  name: string;
  severity: string;
  /** the source document: `fields`-style flat map, `_source`, or a search hit with either */
  mergedDoc?: EcsDocument;
}

export function buildReasonMessageUtil({ name, severity, mergedDoc }: BuildReasonMessageUtilArgs): string {
  if (!mergedDoc) return "";
  const docToUse = (mergedDoc.fields ?? mergedDoc._source ?? mergedDoc) as EcsDocument;
  const v = {} as Record<ReasonKey, string | null>;
  let hasFieldOfInterest = false;
  for (const [key, path] of Object.entries(REASON_FIELDS) as [ReasonKey, string][]) {
    const value = templateValue(readLikeKibana(docToUse, path));
    // Kibana sets the flag from getFieldTemplateValue, before ICU's "null" select
    if (value !== null && key !== "eventCategory" && key !== "hostName" && key !== "userName")
      hasFieldOfInterest = true;
    v[key] = present(value);
  }
  let out = "";
  if (v.eventCategory !== null) out += `${v.eventCategory} `;
  out += "event";
  if (hasFieldOfInterest) out += " with";
  if (v.processName !== null) out += ` process ${v.processName},`;
  if (v.processParentName !== null) out += ` parent process ${v.processParentName},`;
  if (v.fileName !== null) out += ` file ${v.fileName},`;
  if (v.sourceAddress !== null) out += ` source ${v.sourceAddress}`;
  if (v.sourcePort !== null) out += `:${v.sourcePort},`;
  if (v.destinationAddress !== null) out += ` destination ${v.destinationAddress}`;
  if (v.destinationPort !== null) out += `:${v.destinationPort},`;
  if (v.userName !== null) out += ` by ${v.userName}`;
  if (v.hostName !== null) out += ` on ${v.hostName}`;
  return `${out} created ${severity} alert ${name}.`;
}

/** The reason for one of our alerts: the rule's name and severity over the matched event. */
export function buildReasonMessage(doc: EcsDocument | undefined, rule: { ruleName: string; severity: string }): string {
  return buildReasonMessageUtil({ name: rule.ruleName, severity: rule.severity, mergedDoc: doc });
}
