/** Display helpers for the alert page (no React, no data access). */

export { formatTime } from "@/lib/format/time";

export { VERDICT_LABELS, verdictLabel } from "@/lib/format/labels";

/** A JSON value in one line, short enough for a history row. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "string") return value === "" ? '""' : value;
  const text = JSON.stringify(value);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

/** The keys whose value differs between an audit entry's before and after, in a stable order. */
export function describeChange(before: unknown, after: unknown): { key: string; before: string; after: string }[] {
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
  if (!isObj(before) && !isObj(after))
    return [{ key: "value", before: formatValue(before), after: formatValue(after) }];
  const b = isObj(before) ? before : {};
  const a = isObj(after) ? after : {};
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  return keys
    .filter((k) => k !== "stepKey" && JSON.stringify(b[k] ?? null) !== JSON.stringify(a[k] ?? null))
    .map((k) => ({ key: k, before: formatValue(b[k]), after: formatValue(a[k]) }));
}
