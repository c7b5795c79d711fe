import type { EqlQuery, Expr, Literal } from "./ast";
import { isDateField, parseDateMillis } from "./dates";
import { literalKeyword } from "./keyword";
import { wildcardToLike } from "./wildcard";

/**
 * Compiles a query to a Postgres boolean expression over a jsonb column holding
 * canonicalised documents (see canonicalizeDocument), with the evaluator's semantics
 * (see evaluate.ts). What SQL cannot express exactly (regex, arithmetic, most
 * functions, case-insensitive matching of non-ASCII patterns) becomes TRUE where it
 * appears positively and FALSE under a negation, so the result is a superset and
 * `exact` is false: the caller must re-check rows with the evaluator.
 *
 * Date fields (dates.ts) compare as instants; `@timestamp` is pushed down to the caller's
 * `timestampColumn` (a timestamptz holding the document's @timestamp) when it has one, other
 * date fields are left to the evaluator.
 *
 * Known gaps (documents rarely have them): numbers outside [1e-6, 1e21) print
 * differently in JS and Postgres; arrays nested more than three deep at the leaf,
 * or arrays of arrays of objects on the path, are not unwrapped.
 */

export interface SqlFilter {
  sql: string;
  params: unknown[];
  exact: boolean;
}

/**
 * A field's values in a canonicalised document as a lax jsonpath: member accessors unwrap arrays of
 * objects, trailing [*] flatten leaf arrays (getFieldValues' semantics, in SQL).
 */
export function fieldJsonPath(path: string): string {
  const members = path
    .split(".")
    .map((s) => `.${JSON.stringify(s)}`)
    .join("");
  return `lax $${members}[*][*][*]`;
}

const isAscii = (s: string) => /^[\x00-\x7f]*$/.test(s);

class SqlCompiler {
  readonly params: unknown[] = [];
  exact = true;
  private alias = 0;

  constructor(
    private readonly column: string,
    private readonly paramOffset: number,
    private readonly timestampColumn: string | null,
  ) {}

  param(value: unknown, cast: string): string {
    this.params.push(value);
    return `$${this.paramOffset + this.params.length}::${cast}`;
  }

  private jsonPath(path: string): string {
    return fieldJsonPath(path);
  }

  /** EXISTS over the field's values with `pred` applied to the keyword text `t` of each scalar value. */
  anyValue(path: string, pred: (text: string, value: string) => string): string {
    const a = `v${++this.alias}`;
    const v = `${a}.v`;
    // keyword text: numbers as JS prints them (trim_scale drops the trailing zeros JSON may carry), booleans as
    // 'true'/'false'
    const text = `(CASE jsonb_typeof(${v}) WHEN 'string' THEN ${v} #>> '{}' WHEN 'number' THEN trim_scale((${v})::numeric)::text WHEN 'boolean' THEN ${v} #>> '{}' END)`;
    return `EXISTS (SELECT 1 FROM jsonb_path_query(${this.column}, ${this.param(this.jsonPath(path), "jsonpath")}) AS ${a}(v) WHERE ${pred(text, v)})`;
  }

  /**
   * A cheap necessary condition for `anyValue(path, t = keyword)`: the field has a string value equal to the keyword,
   * or a value that is not a string (a number or boolean meets the keyword by its text in the EXISTS that follows).
   * One function call per row instead of a set-returning sub-plan, so the rows without the value (most of them, for
   * the rule's `event.code == "21"`) are rejected at a fraction of the cost; the EXISTS keeps the last word.
   */
  private stringGuard(path: string, keyword: string): string {
    const filter = `${this.jsonPath(path)} ? (@ == $k || @.type() != "string")`;
    return `jsonb_path_exists(${this.column}, ${this.param(filter, "jsonpath")}, ${this.param(JSON.stringify({ k: keyword }), "jsonb")})`;
  }

  hasValue(path: string): string {
    return this.anyValue(path, (t) => `${t} IS NOT NULL`);
  }

  inexact(positive: boolean): string {
    this.exact = false;
    return positive ? "TRUE" : "FALSE";
  }

  bool(node: Expr, positive: boolean): string {
    switch (node.kind) {
      case "and":
      case "or":
        return `(${node.operands.map((o) => this.bool(o, positive)).join(node.kind === "and" ? " AND " : " OR ")})`;
      case "not":
        return `(NOT ${this.bool(node.operand, !positive)})`;
      case "compare":
        if (node.op === "!=") return `(NOT ${this.compare("==", node.left, node.right, !positive)})`;
        return this.compare(node.op, node.left, node.right, positive);
      case "in":
        if (node.negated) return `(NOT ${this.inList(node.caseInsensitive, node.left, node.list, !positive)})`;
        return this.inList(node.caseInsensitive, node.left, node.list, positive);
      case "match":
        return this.match(node.op, node.caseInsensitive, node.left, node.patterns, positive);
      case "call":
        return this.call(node, positive);
      case "field":
        return this.anyValue(node.path, (_t, v) => `${v} = 'true'::jsonb`);
      case "literal":
        return node.value === true ? "TRUE" : "FALSE";
      default:
        return "FALSE";
    }
  }

  private compare(op: "==" | "<" | "<=" | ">" | ">=", left: Expr, right: Expr, positive: boolean): string {
    const flipped: Record<string, typeof op> = { "==": "==", "<": ">", "<=": ">=", ">": "<", ">=": "<=" };
    if (left.kind === "literal" && right.kind === "field") return this.compare(flipped[op], right, left, positive);
    if (left.kind !== "field" || right.kind !== "literal") return this.inexact(positive);
    if (right.value === null) return op === "==" ? `(NOT ${this.hasValue(left.path)})` : "FALSE";
    if (isDateField(left.path)) return this.compareDate(op, left.path, right.value, positive);
    const kw = literalKeyword(right);
    if (kw === undefined) return "FALSE";
    if (op === "==" && right.numberKind === "decimal") {
      // a decimal literal meets a JSON number as a number (evaluate.ts, "Values compare as keyword text")
      const n = this.param(right.value, "numeric");
      const k = this.param(kw, "text");
      return this.anyValue(
        left.path,
        (t, v) => `(CASE WHEN jsonb_typeof(${v}) = 'number' THEN (${v})::numeric = ${n} ELSE ${t} = ${k} END)`,
      );
    }
    if (op === "==") {
      const k = this.param(kw, "text");
      return `(${this.stringGuard(left.path, kw)} AND ${this.anyValue(left.path, (t) => `${t} = ${k}`)})`;
    }
    const sqlOp = op;
    if (typeof right.value === "number") {
      const n = this.param(right.value, "numeric");
      const k = this.param(kw, "text");
      return this.anyValue(
        left.path,
        (t, v) =>
          `(CASE WHEN jsonb_typeof(${v}) = 'number' THEN (${v})::numeric ${sqlOp} ${n} ELSE ${t} COLLATE "C" ${sqlOp} ${k} END)`,
      );
    }
    return this.anyValue(left.path, (t) => `${t} COLLATE "C" ${sqlOp} ${this.param(kw, "text")}`);
  }

  private compareDate(
    op: "==" | "<" | "<=" | ">" | ">=",
    path: string,
    literal: string | number | boolean,
    positive: boolean,
  ): string {
    if (path !== "@timestamp" || this.timestampColumn === null) return this.inexact(positive);
    const down = parseDateMillis(literal, false);
    const up = parseDateMillis(literal, true);
    if (down === null || up === null) return "FALSE";
    const at = (ms: number) => this.param(new Date(ms).toISOString(), "timestamptz");
    const c = this.timestampColumn;
    switch (op) {
      case "==":
        return `(${c} >= ${at(down)} AND ${c} <= ${at(up)})`;
      case "<":
        return `${c} < ${at(down)}`;
      case "<=":
        return `${c} <= ${at(up)}`;
      case ">":
        return `${c} > ${at(up)}`;
      case ">=":
        return `${c} >= ${at(down)}`;
    }
  }

  private inList(ci: boolean, left: Expr, list: Expr[], positive: boolean): string {
    if (left.kind !== "field" || !list.every((e) => e.kind === "literal")) return this.inexact(positive);
    const keys = (list as Literal[]).map((l) => literalKeyword(l)).filter((k): k is string => k !== undefined);
    if (keys.length === 0) return "FALSE";
    if (ci && !keys.every(isAscii)) return this.inexact(positive);
    const arr = this.param(ci ? keys.map((k) => k.toLowerCase()) : keys, "text[]");
    const decimals = (list as Literal[]).flatMap((l) =>
      l.numberKind === "decimal" && typeof l.value === "number" ? [l.value] : [],
    );
    if (decimals.length > 0) {
      const nums = this.param(decimals, "numeric[]");
      return this.anyValue(
        left.path,
        (t, v) =>
          `(${ci ? `lower(${t})` : t} = ANY(${arr}) OR (jsonb_typeof(${v}) = 'number' AND (${v})::numeric = ANY(${nums})))`,
      );
    }
    return this.anyValue(left.path, (t) => `${ci ? `lower(${t})` : t} = ANY(${arr})`);
  }

  private match(op: ":" | "like" | "regex", ci: boolean, left: Expr, patterns: Literal[], positive: boolean): string {
    if (op === "regex" || left.kind !== "field") return this.inexact(positive);
    const likes: string[] = [];
    let matchesNull = false;
    for (const p of patterns) {
      if (p.value === null) {
        matchesNull = true;
        continue;
      }
      const raw = typeof p.value === "string" ? p.value : (literalKeyword(p) ?? "").replace(/[*?]/g, "");
      if (ci && !isAscii(raw)) return this.inexact(positive);
      likes.push(wildcardToLike(ci ? raw.toLowerCase() : raw));
    }
    const parts: string[] = [];
    if (likes.length > 0) {
      const arr = this.param(likes, "text[]");
      parts.push(this.anyValue(left.path, (t) => `${ci ? `lower(${t})` : t} LIKE ANY(${arr})`));
    }
    if (matchesNull) parts.push(`(NOT ${this.hasValue(left.path)})`);
    return parts.length === 0 ? "FALSE" : `(${parts.join(" OR ")})`;
  }

  private call(node: Extract<Expr, { kind: "call" }>, positive: boolean): string {
    const [source, arg] = node.args;
    const affix = {
      startsWith: (s: string) => `${s}%`,
      endsWith: (s: string) => `%${s}`,
      stringContains: (s: string) => `%${s}%`,
    } as const;
    if (
      (node.name === "startsWith" || node.name === "endsWith" || node.name === "stringContains") &&
      source.kind === "field" &&
      arg.kind === "literal" &&
      typeof arg.value === "string" &&
      (!node.caseInsensitive || isAscii(arg.value))
    ) {
      const ci = node.caseInsensitive;
      const escaped = arg.value.replace(/[\\%_]/g, "\\$&");
      const like = this.param(affix[node.name](ci ? escaped.toLowerCase() : escaped), "text");
      return this.anyValue(source.path, (t) => `${ci ? `lower(${t})` : t} LIKE ${like}`);
    }
    return this.inexact(positive);
  }
}

/** Compile to a WHERE expression; `paramOffset` is the number of `$n` placeholders already used by the caller. */
export function compileToSql(
  query: EqlQuery,
  opts: { column: string; paramOffset?: number; timestampColumn?: string },
): SqlFilter {
  const c = new SqlCompiler(opts.column, opts.paramOffset ?? 0, opts.timestampColumn ?? null);
  let sql = c.bool(query.condition, true);
  if (query.category !== null) {
    const category = c.param(query.category, "text");
    const categoryFilter = c.anyValue(
      "event.category",
      (_t, v) => `jsonb_typeof(${v}) = 'string' AND ${v} #>> '{}' = ${category}`,
    );
    sql = `(${categoryFilter} AND ${sql})`;
  }
  return { sql, params: c.params, exact: c.exact };
}
