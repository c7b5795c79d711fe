import { conditionsSchema, operatorTakes, type ConditionOperator, type ExceptionCondition } from "./conditions";

/**
 * Kibana's exception-list NDJSON (`POST /api/exception_lists/_export`, "Export exception list" in
 * the UI; https://www.elastic.co/guide/en/security/current/exceptions-api-export-exception-list.html):
 * line 1 is the list (`list_id`, `type: "detection"`, `namespace_type`, `name`, `description`, …),
 * then one line per item (`item_id`, `list_id`, `type: "simple"`, `name`, `description`,
 * `entries`, `comments`, `expire_time`, `os_types`, `tags`, …), then the export details
 * (`exported_exception_list_count`, `exported_exception_list_item_count`, `missing_*`).
 * Entry shapes (https://www.elastic.co/guide/en/security/current/exceptions-api-create-exception-item.html):
 * `{ field, operator: "included"|"excluded", type: "match", value: string }`,
 * `type: "match_any", value: string[]`, `type: "wildcard", value` (an Elasticsearch wildcard
 * query: `*`, `?`, and `\` escaping the next character — "`\\` for a literal backslash, `\*` for
 * an asterisk"), `type: "exists"` (no value), `type: "list"` (a value list) and `type: "nested"`.
 *
 * Kept: item_id, name, description (our comment), entries, expire_time. Not kept: the list's own
 * metadata, comments (kept in the import's audit record), os_types, other tags, ids, versions and
 * timestamps. Kibana entries carry no case flag and Kibana matches keyword fields case-sensitively,
 * so imports are case-sensitive; a case-insensitive condition of ours is exported as the same
 * entry plus a `wmi-triage:case-insensitive:<entry indexes>` tag (Kibana will match it
 * case-sensitively — it suppresses less there, never more), and re-importing restores the flag.
 */

export const CASE_INSENSITIVE_TAG = "wmi-triage:case-insensitive:";
export const DISABLED_TAG = "wmi-triage:disabled";
export const DEFAULT_LIST_ID = "wmi-triage-exceptions";

export interface KibanaEntry {
  field: string;
  operator: "included" | "excluded";
  type: "match" | "match_any" | "wildcard" | "exists";
  value?: string | string[];
}

export interface KibanaItem {
  item_id: string;
  list_id: string;
  namespace_type: "single" | "agnostic";
  type: "simple";
  name: string;
  description: string;
  entries: KibanaEntry[];
  comments: { comment: string }[];
  os_types: string[];
  tags: string[];
  expire_time?: string;
}

export interface PortableException {
  itemId: string;
  name: string;
  comment: string;
  conditions: ExceptionCondition[];
  enabled: boolean;
  expiresAt: Date | null;
}

export interface ImportError {
  line: number;
  itemId?: string;
  message: string;
}

export interface ImportedItem extends PortableException {
  line: number;
  /** Kibana's comments and other fields we do not keep, for the audit record */
  dropped: Record<string, unknown>;
}

export interface ParsedExport {
  list: { listId: string; name: string; description: string; line: number } | null;
  items: ImportedItem[];
  errors: ImportError[];
  summary: { line: number; itemCount: number | null } | null;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Elasticsearch wildcard syntax → our pattern (no escapes: `\` is literal, `*`/`?` always wild). */
export function wildcardFromKibana(value: string): { ok: true; pattern: string } | { ok: false; message: string } {
  let out = "";
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (ch !== "\\") {
      out += ch;
      continue;
    }
    const next = value[i + 1];
    if (next === undefined) return { ok: false, message: "the wildcard value ends with a lone backslash" };
    if (next === "*" || next === "?")
      return {
        ok: false,
        message: `a literal "${next}" (escaped \\${next}) cannot be expressed: here * and ? are always wildcards`,
      };
    out += next;
    i++;
  }
  return { ok: true, pattern: out };
}

export function wildcardToKibana(pattern: string): string {
  return pattern.replace(/\\/g, "\\\\");
}

function entryToCondition(
  entry: unknown,
  index: number,
): { ok: true; condition: ExceptionCondition } | { ok: false; message: string } {
  if (!isRecord(entry)) return { ok: false, message: `entry ${index + 1} is not an object` };
  const { field, operator, type, value } = entry;
  const where = `entry ${index + 1}${typeof field === "string" ? ` (${field})` : ""}`;
  if (type === "list") return { ok: false, message: `${where}: "list" entries (value lists) are not supported` };
  if (type === "nested") return { ok: false, message: `${where}: "nested" entries are not supported` };
  if (typeof field !== "string" || !field) return { ok: false, message: `${where}: missing field` };
  if (operator !== "included" && operator !== "excluded")
    return { ok: false, message: `${where}: operator must be "included" or "excluded"` };
  const inc = operator === "included";
  const op = (a: ConditionOperator, b: ConditionOperator) => (inc ? a : b);
  switch (type) {
    case "match":
      if (typeof value !== "string" || !value)
        return { ok: false, message: `${where}: a "match" entry needs a string value` };
      return { ok: true, condition: { field, operator: op("is", "is_not"), value, caseSensitive: true } };
    case "match_any":
      if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === "string"))
        return { ok: false, message: `${where}: a "match_any" entry needs an array of strings` };
      return {
        ok: true,
        condition: {
          field,
          operator: op("is_one_of", "is_not_one_of"),
          values: value as string[],
          caseSensitive: true,
        },
      };
    case "wildcard": {
      if (typeof value !== "string" || !value)
        return { ok: false, message: `${where}: a "wildcard" entry needs a string value` };
      const pattern = wildcardFromKibana(value);
      if (!pattern.ok) return { ok: false, message: `${where}: ${pattern.message}` };
      return {
        ok: true,
        condition: { field, operator: op("matches", "does_not_match"), value: pattern.pattern, caseSensitive: true },
      };
    }
    case "exists":
      return { ok: true, condition: { field, operator: op("exists", "does_not_exist"), caseSensitive: true } };
    default:
      return { ok: false, message: `${where}: unknown entry type ${JSON.stringify(type)}` };
  }
}

export function conditionToEntry(c: ExceptionCondition): KibanaEntry {
  const operator = ["is", "is_one_of", "matches", "exists"].includes(c.operator) ? "included" : "excluded";
  switch (c.operator) {
    case "is":
    case "is_not":
      return { field: c.field, operator, type: "match", value: c.value ?? "" };
    case "is_one_of":
    case "is_not_one_of":
      return { field: c.field, operator, type: "match_any", value: c.values ?? [] };
    case "matches":
    case "does_not_match":
      return { field: c.field, operator, type: "wildcard", value: wildcardToKibana(c.value ?? "") };
    case "exists":
    case "does_not_exist":
      return { field: c.field, operator, type: "exists" };
  }
}

const KEPT_ITEM_KEYS = new Set([
  "item_id",
  "list_id",
  "type",
  "name",
  "description",
  "entries",
  "expire_time",
  "tags",
  "namespace_type",
]);

function parseItem(obj: Record<string, unknown>, line: number): ImportedItem | ImportError {
  const itemId = typeof obj.item_id === "string" ? obj.item_id : undefined;
  const fail = (message: string): ImportError => ({ line, itemId, message });
  if (!itemId) return fail("item without an item_id");
  if (itemId.length > 256) return fail("item_id is longer than 256 characters");
  if (obj.type !== undefined && obj.type !== "simple")
    return fail(`item type ${JSON.stringify(obj.type)} is not supported (only "simple")`);
  if (typeof obj.name !== "string" || !obj.name.trim()) return fail("item without a name");
  if (!Array.isArray(obj.entries) || obj.entries.length === 0) return fail("item without entries");
  const conditions: ExceptionCondition[] = [];
  const problems: string[] = [];
  obj.entries.forEach((entry, i) => {
    const r = entryToCondition(entry, i);
    if (r.ok) conditions.push(r.condition);
    else problems.push(r.message);
  });
  if (problems.length) return fail(problems.join("; "));
  const tags = Array.isArray(obj.tags) ? obj.tags.filter((t): t is string => typeof t === "string") : [];
  for (const tag of tags) {
    if (!tag.startsWith(CASE_INSENSITIVE_TAG)) continue;
    for (const n of tag.slice(CASE_INSENSITIVE_TAG.length).split(",")) {
      const c = conditions[Number(n)];
      if (c) c.caseSensitive = false;
    }
  }
  const valid = conditionsSchema.safeParse(conditions);
  if (!valid.success) return fail(valid.error.issues.map((i) => i.message).join("; "));
  let expiresAt: Date | null = null;
  if (obj.expire_time !== undefined && obj.expire_time !== null) {
    expiresAt = typeof obj.expire_time === "string" ? new Date(obj.expire_time) : new Date(NaN);
    if (Number.isNaN(expiresAt.getTime())) return fail(`expire_time ${JSON.stringify(obj.expire_time)} is not a date`);
  }
  const dropped: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (!KEPT_ITEM_KEYS.has(k)) dropped[k] = v;
  const otherTags = tags.filter((t) => !t.startsWith(CASE_INSENSITIVE_TAG) && t !== DISABLED_TAG);
  if (otherTags.length) dropped.tags = otherTags;
  return {
    line,
    itemId,
    name: obj.name.trim().slice(0, 200),
    comment: typeof obj.description === "string" ? obj.description : "",
    conditions: valid.data,
    enabled: !tags.includes(DISABLED_TAG),
    expiresAt,
    dropped,
  };
}

/** Parse a Kibana export; bad lines become line-numbered errors and the good items are kept. */
export function parseKibanaExport(text: string): ParsedExport {
  const result: ParsedExport = { list: null, items: [], errors: [], summary: null };
  const seen = new Set<string>();
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = i + 1;
    if (!raw.trim()) return;
    let obj: unknown;
    try {
      obj = JSON.parse(raw);
    } catch {
      result.errors.push({ line, message: "not valid JSON" });
      return;
    }
    if (!isRecord(obj)) {
      result.errors.push({ line, message: "not a JSON object" });
      return;
    }
    if ("exported_exception_list_item_count" in obj || "exported_count" in obj) {
      const n = obj.exported_exception_list_item_count;
      result.summary = { line, itemCount: typeof n === "number" ? n : null };
      return;
    }
    if ("item_id" in obj || "entries" in obj) {
      const item = parseItem(obj, line);
      if ("message" in item) {
        result.errors.push(item);
        return;
      }
      if (seen.has(item.itemId)) {
        result.errors.push({
          line,
          itemId: item.itemId,
          message: "duplicate item_id in this file (the first one is kept)",
        });
        return;
      }
      seen.add(item.itemId);
      result.items.push(item);
      return;
    }
    if (typeof obj.list_id === "string") {
      if (obj.type !== "detection" && obj.type !== "rule_default") {
        result.errors.push({
          line,
          message: `exception list type ${JSON.stringify(obj.type)} is not a detection-rule list`,
        });
        return;
      }
      result.list = {
        line,
        listId: obj.list_id,
        name: typeof obj.name === "string" ? obj.name : "",
        description: typeof obj.description === "string" ? obj.description : "",
      };
      return;
    }
    if ("rule_id" in obj) {
      result.errors.push({
        line,
        message: "a rule, not an exception list line (export the exception list, not the rule)",
      });
      return;
    }
    result.errors.push({ line, message: "neither an exception list, an item nor an export summary" });
  });
  return result;
}

/** Kibana's export file for our exceptions: list line, item lines, export details line. */
export function buildKibanaExport(
  exceptions: (PortableException & { id: string })[],
  list: { listId?: string; name?: string; description?: string } = {},
): string {
  const listId = list.listId ?? DEFAULT_LIST_ID;
  const header = {
    list_id: listId,
    type: "detection",
    namespace_type: "single",
    name: list.name ?? "WMI triage exceptions",
    description:
      list.description ?? "Rule exceptions for Suspicious WMI Event Subscription Created (exported from wmi-triage)",
    immutable: false,
    os_types: [],
    tags: [],
    version: 1,
  };
  const items: KibanaItem[] = exceptions.map((e) => {
    const ci = e.conditions.flatMap((c, i) => (c.caseSensitive ? [] : [i]));
    const tags = [
      ...(ci.length ? [`${CASE_INSENSITIVE_TAG}${ci.join(",")}`] : []),
      ...(e.enabled ? [] : [DISABLED_TAG]),
    ];
    const item: KibanaItem = {
      item_id: e.itemId || e.id,
      list_id: listId,
      namespace_type: "single",
      type: "simple",
      name: e.name,
      description: e.comment,
      entries: e.conditions.map(conditionToEntry),
      comments: [],
      os_types: [],
      tags,
    };
    if (e.expiresAt) item.expire_time = e.expiresAt.toISOString();
    return item;
  });
  const details = {
    exported_exception_list_count: 1,
    exported_exception_list_item_count: items.length,
    missing_exception_list_item_count: 0,
    missing_exception_list_items: [],
    missing_exception_lists: [],
    missing_exception_lists_count: 0,
  };
  return [header, ...items, details].map((o) => JSON.stringify(o)).join("\n") + "\n";
}

export interface CaseWarning {
  itemId: string;
  name: string;
  /** the fields of the item's case-insensitive conditions, in condition order */
  fields: string[];
}

/**
 * The exported items Kibana will read differently: a case-insensitive condition becomes a `match`
 * (or `match_any`/`wildcard`) entry, which Kibana evaluates case-sensitively on keyword fields, so
 * there the item suppresses only the exact casing written.
 */
export function caseInsensitiveWarnings(exceptions: (PortableException & { id: string })[]): CaseWarning[] {
  return exceptions.flatMap((e) => {
    const fields = e.conditions
      .filter((c) => !c.caseSensitive && operatorTakes(c.operator) !== "none")
      .map((c) => c.field);
    return fields.length ? [{ itemId: e.itemId || e.id, name: e.name, fields }] : [];
  });
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Would importing `item` over `current` change anything we keep? (Conditions in their stored, validated shape.) */
export function sameAsImported(current: PortableException, item: PortableException): boolean {
  return (
    current.name === item.name &&
    current.comment === item.comment &&
    current.enabled === item.enabled &&
    (current.expiresAt?.getTime() ?? null) === (item.expiresAt?.getTime() ?? null) &&
    current.conditions.length === item.conditions.length &&
    current.conditions.every((c, i) => sameJson(canonicalCondition(c), canonicalCondition(item.conditions[i])))
  );
}

const canonicalCondition = (c: ExceptionCondition) => ({
  field: c.field,
  operator: c.operator,
  value: c.value ?? null,
  values: c.values ?? null,
  caseSensitive: c.caseSensitive,
});
