import { z } from "zod";
import { getFieldValues } from "@/lib/eql/fields";
import { compileWildcard, hasWildcard } from "@/lib/eql/wildcard";

/**
 * Rule exceptions: the conditions an analyst writes to stop one rule alerting on known-good
 * activity, with the semantics of Kibana's rule exceptions so an exception means the same here
 * and in an exported list.
 *
 * Kibana turns an exception item into an Elasticsearch filter (kibana
 * `packages/kbn-securitysolution-list-utils/src/build_exception_filter`): the item's entries are
 * ANDed; `match` is a `match_phrase`, `match_any` a `should` of `match_phrase`, `wildcard` a
 * `wildcard` query, `exists` an `exists` query, and `operator: "excluded"` wraps the clause in
 * `bool.must_not`. What follows from that, for a field that is multi-valued or missing:
 * - a positive condition (is, is one of, matches, exists) holds when ANY value of the field
 *   satisfies it; on a missing field it does not hold;
 * - a negative condition (is not, is not one of, does not match, does not exist) is the
 *   `must_not` of the positive one: it holds when NO value satisfies it, so it also holds on an
 *   event without the field (a `must_not` of a query that matches nothing).
 * Matching is case-sensitive on keyword fields, which every field this rule reads is (ECS
 * mappings); users trip over that, so here each condition carries an explicit `caseSensitive`
 * and the editor shows it. Only case-sensitive conditions can be exported to Kibana unchanged.
 */

export const CONDITION_OPERATORS = [
  "is",
  "is_not",
  "is_one_of",
  "is_not_one_of",
  "matches",
  "does_not_match",
  "exists",
  "does_not_exist",
] as const;
export type ConditionOperator = (typeof CONDITION_OPERATORS)[number];

export const OPERATOR_LABELS: Record<ConditionOperator, string> = {
  is: "is",
  is_not: "is not",
  is_one_of: "is one of",
  is_not_one_of: "is not one of",
  matches: "matches",
  does_not_match: "does not match",
  exists: "exists",
  does_not_exist: "does not exist",
};

const SINGLE_VALUE: ReadonlySet<ConditionOperator> = new Set(["is", "is_not", "matches", "does_not_match"]);
const MULTI_VALUE: ReadonlySet<ConditionOperator> = new Set(["is_one_of", "is_not_one_of"]);
const NEGATIVE: ReadonlySet<ConditionOperator> = new Set([
  "is_not",
  "is_not_one_of",
  "does_not_match",
  "does_not_exist",
]);

export function operatorTakes(operator: ConditionOperator): "value" | "values" | "none" {
  if (SINGLE_VALUE.has(operator)) return "value";
  if (MULTI_VALUE.has(operator)) return "values";
  return "none";
}

export function isNegativeOperator(operator: ConditionOperator): boolean {
  return NEGATIVE.has(operator);
}

export const MAX_CONDITIONS = 20;
export const MAX_VALUES = 100;
const MAX_VALUE_LENGTH = 8192;

export interface ExceptionCondition {
  field: string;
  operator: ConditionOperator;
  value?: string;
  values?: string[];
  caseSensitive: boolean;
}

const fieldSchema = z
  .string()
  .trim()
  .min(1, "choose a field")
  .max(256, "field names are at most 256 characters")
  .regex(/^[A-Za-z0-9_@][A-Za-z0-9_@.-]*$/, "a field is an ECS path such as host.name");

/** One condition; strips the value(s) an operator does not take. */
export const conditionSchema = z
  .object({
    field: fieldSchema,
    operator: z.enum(CONDITION_OPERATORS),
    value: z.string().max(MAX_VALUE_LENGTH).optional(),
    values: z.array(z.string().max(MAX_VALUE_LENGTH)).max(MAX_VALUES, `at most ${MAX_VALUES} values`).optional(),
    caseSensitive: z.boolean(),
  })
  .superRefine((c, ctx) => {
    const takes = operatorTakes(c.operator);
    if (takes === "value" && !c.value)
      ctx.addIssue({
        code: "custom",
        path: ["value"],
        message: `${c.field}: "${OPERATOR_LABELS[c.operator]}" needs a value`,
      });
    if (takes === "values" && !(c.values ?? []).some((v) => v !== ""))
      ctx.addIssue({
        code: "custom",
        path: ["values"],
        message: `${c.field}: "${OPERATOR_LABELS[c.operator]}" needs at least one value`,
      });
  })
  .transform((c): ExceptionCondition => {
    const takes = operatorTakes(c.operator);
    const out: ExceptionCondition = { field: c.field, operator: c.operator, caseSensitive: c.caseSensitive };
    if (takes === "value") out.value = c.value;
    if (takes === "values") out.values = [...new Set((c.values ?? []).filter((v) => v !== ""))];
    return out;
  });

export const conditionsSchema = z
  .array(conditionSchema)
  .min(1, "an exception needs at least one condition")
  .max(MAX_CONDITIONS, `at most ${MAX_CONDITIONS} conditions`);

/** Stored values are JSON: read them back through the schema, dropping nothing silently. */
export function parseStoredConditions(raw: unknown): ExceptionCondition[] {
  const parsed = conditionsSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`invalid stored exception conditions: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

type ValueTest = (value: string) => boolean;

// lib/eql/wildcard.ts escapes `-` as `\-`, which a `u`-flag RegExp rejects ("Invalid escape"), so
// a pattern such as `WS-*` throws there; until that is fixed, such patterns are compiled here with
// the same semantics (`*` any sequence, `?` one code point, whole value, no escape character).
function compilePattern(pattern: string, caseInsensitive: boolean): ValueTest {
  if (!pattern.includes("-") || !hasWildcard(pattern)) return compileWildcard(pattern, caseInsensitive);
  const p = caseInsensitive ? pattern.toLowerCase() : pattern;
  let source = "";
  for (const ch of p) {
    if (ch === "*") source += "[^]*";
    else if (ch === "?") source += "[^]";
    else source += /[.*+?^${}()|[\]\\/]/.test(ch) ? `\\${ch}` : ch;
  }
  const re = new RegExp(`^${source}$`, "u");
  return caseInsensitive ? (v) => re.test(v.toLowerCase()) : (v) => re.test(v);
}

// Keyword fields index scalars as strings (numbers and booleans by their JSON text); an object
// leaf (e.g. a condition on `winlog.event_data`) never equals a string.
function scalarText(value: unknown): string | null {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  return null;
}

function positiveTest(condition: ExceptionCondition): ValueTest | null {
  const ci = !condition.caseSensitive;
  switch (condition.operator) {
    case "is":
    case "is_not": {
      const want = ci ? (condition.value ?? "").toLowerCase() : (condition.value ?? "");
      return ci ? (v) => v.toLowerCase() === want : (v) => v === want;
    }
    case "is_one_of":
    case "is_not_one_of": {
      const set = new Set((condition.values ?? []).map((v) => (ci ? v.toLowerCase() : v)));
      return ci ? (v) => set.has(v.toLowerCase()) : (v) => set.has(v);
    }
    case "matches":
    case "does_not_match":
      return compilePattern(condition.value ?? "", ci);
    case "exists":
    case "does_not_exist":
      return null;
  }
}

export type DocumentPredicate = (doc: Record<string, unknown>) => boolean;

/** Compile one condition to a predicate on an ECS document. */
export function compileCondition(condition: ExceptionCondition): DocumentPredicate {
  const negative = isNegativeOperator(condition.operator);
  const test = positiveTest(condition);
  const { field } = condition;
  const positive: DocumentPredicate = test
    ? (doc) => {
        for (const v of getFieldValues(doc, field)) {
          const text = scalarText(v);
          if (text !== null && test(text)) return true;
        }
        return false;
      }
    : (doc) => getFieldValues(doc, field).length > 0;
  return negative ? (doc) => !positive(doc) : positive;
}

/** An exception matches when ALL its conditions hold (Kibana ANDs an item's entries). */
export function compileConditions(conditions: ExceptionCondition[]): DocumentPredicate {
  const predicates = conditions.map(compileCondition);
  if (predicates.length === 0) return () => false; // an empty exception must never hide everything
  return (doc) => predicates.every((p) => p(doc));
}

export function matchesConditions(conditions: ExceptionCondition[], doc: Record<string, unknown>): boolean {
  return compileConditions(conditions)(doc);
}

/** Which conditions hold on a document (for explaining why an exception would or would not hit). */
export function explainConditions(
  conditions: ExceptionCondition[],
  doc: Record<string, unknown>,
): { condition: ExceptionCondition; holds: boolean; values: string[] }[] {
  return conditions.map((condition) => ({
    condition,
    holds: compileCondition(condition)(doc),
    values: getFieldValues(doc, condition.field)
      .map(scalarText)
      .filter((v): v is string => v !== null)
      .slice(0, 10),
  }));
}

export type ExceptionStatus = "active" | "expired" | "disabled";

/** Kibana: an item whose `expire_time` has passed no longer applies; disabled is ours. */
export function exceptionStatus(exception: { enabled: boolean; expiresAt: Date | null }, at: Date): ExceptionStatus {
  if (!exception.enabled) return "disabled";
  if (exception.expiresAt && exception.expiresAt.getTime() <= at.getTime()) return "expired";
  return "active";
}

export function isExceptionActive(exception: { enabled: boolean; expiresAt: Date | null }, at: Date): boolean {
  return exceptionStatus(exception, at) === "active";
}

/** A short human form of a condition, e.g. `host.name is "WS-01" (case-insensitive)`. */
export function describeCondition(c: ExceptionCondition): string {
  const op = OPERATOR_LABELS[c.operator];
  const takes = operatorTakes(c.operator);
  const value =
    takes === "value"
      ? ` "${c.value}"`
      : takes === "values"
        ? ` [${(c.values ?? []).map((v) => `"${v}"`).join(", ")}]`
        : "";
  const cs = takes === "none" ? "" : c.caseSensitive ? "" : " (case-insensitive)";
  return `${c.field} ${op}${value}${cs}`;
}
