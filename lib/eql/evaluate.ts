import type { CompareOp, EqlQuery, Expr, FieldRef, Literal } from "./ast";
import { isDateField, parseDateMillis } from "./dates";
import { compileFieldAccessor } from "./fields";
import type { FieldAccessor } from "./fields";
import { FUNCTIONS } from "./functions";
import { literalKeyword, toKeyword } from "./keyword";
import { compileLuceneRegex } from "./lucene-regex";
import { compileWildcard } from "./wildcard";

/**
 * Evaluates single-event EQL the way Elasticsearch answers it for keyword fields.
 *
 * - Two-valued logic. A positive predicate (`==`, `:`, `in`, `like`, `regex`, `<`…,
 *   functions) holds when some value of the field satisfies it; a missing/null field has
 *   no value, so it is false. Elastic pushes `!=`, `not in` and `not` down as `bool.must_not`,
 *   so they are the plain negation: true on a missing field, and on a multi-valued field
 *   true only when no value satisfies the positive form (EQL syntax reference, "Operators";
 *   ExpressionBuilder: `NEQ -> new Not(new Equals(...))`).
 * - Values compare as keyword text: `21` in the document equals `"21"` and `21`, `"021"`
 *   does not equal `21`, `true` equals `"true"`. A decimal literal is Java's text of the
 *   double (`21.0` is "21.0"), as a term query on a keyword field sees it — except against a
 *   JSON number, whose field dynamic mapping makes numeric: there `==`/`in` compare numbers, so
 *   a stored `3.0` or `3` equals `3.0` and `3` alike, as a term query on a long/double field does.
 * - `<`, `<=`, `>`, `>=`: numeric when the stored value is a JSON number and the literal
 *   a number (such fields are mapped numeric by dynamic mapping), otherwise lexicographic
 *   on the keyword text (a `range` query on a keyword field).
 * - `field == null` / `field : null` hold when the field has no value; `!= null` when it has.
 *   The same for any expression: Elastic's optimizer rewrites `x == null` to `IsNull(x)` and
 *   `x != null` to `IsNotNull(x)` (ReplaceNullChecks), so `concat(a, missing) == null` holds.
 * - Arithmetic keeps Java's types: integer operands divide as integers (`30 / 4` is 7), a
 *   decimal literal anywhere makes the result a double (`30 / 4.0` is 7.5) ("Math operators").
 * - Date fields (dates.ts) compare as instants with date strings and epoch milliseconds.
 * - Objects are not comparable: a predicate on an object-valued field is false.
 */

export interface PredicateTrace {
  /** source text of the predicate */
  text: string;
  /** first field the predicate reads */
  field: string | null;
  /** what the document had in that field (non-null values, arrays flattened) */
  values: unknown[];
  /** the predicate's own truth value */
  held: boolean;
  /** index of the top-level `or` alternative the predicate sits in; null for shared conditions */
  branchIndex: number | null;
  /** true when the predicate sits under an odd number of `not`: then it "fails" by holding */
  negated: boolean;
}

export interface EvalResult {
  matched: boolean;
  branch: { index: number; text: string } | null;
  trace: PredicateTrace[];
}

type DocFn<T> = (doc: Record<string, unknown>) => T;

interface CompiledLeaf {
  test: DocFn<boolean>;
  field: FieldAccessor | null;
}

interface CompiledQuery {
  matcher: DocFn<boolean>;
  leaves: Map<Expr, CompiledLeaf>;
  category: FieldAccessor | null;
  branches: Expr[];
}

const compiledCache = new WeakMap<EqlQuery, CompiledQuery>();

const isScalar = (v: unknown) => typeof v === "string" || typeof v === "number" || typeof v === "boolean";

function flip(op: CompareOp): CompareOp {
  switch (op) {
    case "<":
      return ">";
    case "<=":
      return ">=";
    case ">":
      return "<";
    case ">=":
      return "<=";
    default:
      return op;
  }
}

function ordered(op: CompareOp, c: number): boolean {
  switch (op) {
    case "<":
      return c < 0;
    case "<=":
      return c <= 0;
    case ">":
      return c > 0;
    case ">=":
      return c >= 0;
    case "==":
      return c === 0;
    case "!=":
      return c !== 0;
  }
}

const compareStrings = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Comparison of two computed values (function results, field-vs-field): numbers numerically, the rest as keyword
 * text.
 */
function compareValues(a: unknown, b: unknown, op: CompareOp): boolean {
  if (a === null || a === undefined || b === null || b === undefined) return false;
  if (typeof a === "number" && typeof b === "number") return ordered(op, a < b ? -1 : a > b ? 1 : 0);
  const ka = toKeyword(a);
  const kb = toKeyword(b);
  if (ka === undefined || kb === undefined) return false;
  return ordered(op, compareStrings(ka, kb));
}

/** Does the expression have Java type double? A decimal literal, or arithmetic over one. */
function isDecimal(node: Expr): boolean {
  switch (node.kind) {
    case "literal":
      return node.numberKind === "decimal";
    case "arith":
      return isDecimal(node.left) || isDecimal(node.right);
    case "neg":
      return isDecimal(node.operand);
    case "call":
      return ["add", "subtract", "multiply", "divide", "modulo"].includes(node.name) && node.args.some(isDecimal);
    default:
      return false;
  }
}

/** Java division: integer when both operands are integers, else double. */
function divide(a: number, b: number, decimal: boolean): number | null {
  if (b === 0) return null;
  return !decimal && Number.isInteger(a) && Number.isInteger(b) ? Math.trunc(a / b) : a / b;
}

function firstField(node: Expr): FieldRef | null {
  switch (node.kind) {
    case "field":
      return node;
    case "literal":
      return null;
    case "call":
      for (const a of node.args) {
        const f = firstField(a);
        if (f) return f;
      }
      return null;
    case "arith":
    case "compare":
      return firstField(node.left) ?? firstField(node.right);
    case "neg":
    case "not":
      return firstField(node.operand);
    case "and":
    case "or":
      for (const o of node.operands) {
        const f = firstField(o);
        if (f) return f;
      }
      return null;
    case "match":
    case "in":
      return firstField(node.left);
  }
}

class Compiler {
  readonly leaves = new Map<Expr, CompiledLeaf>();
  private readonly accessors = new Map<string, FieldAccessor>();

  accessor(path: string): FieldAccessor {
    let a = this.accessors.get(path);
    if (!a) {
      a = compileFieldAccessor(path);
      this.accessors.set(path, a);
    }
    return a;
  }

  bool(node: Expr): DocFn<boolean> {
    switch (node.kind) {
      case "and": {
        const fns = node.operands.map((o) => this.bool(o));
        return (doc) => {
          for (const f of fns) if (!f(doc)) return false;
          return true;
        };
      }
      case "or": {
        const fns = node.operands.map((o) => this.bool(o));
        return (doc) => {
          for (const f of fns) if (f(doc)) return true;
          return false;
        };
      }
      case "not": {
        const f = this.bool(node.operand);
        return (doc) => !f(doc);
      }
      default: {
        const f = firstField(node);
        const leaf: CompiledLeaf = { test: this.leaf(node), field: f ? this.accessor(f.path) : null };
        this.leaves.set(node, leaf);
        return leaf.test;
      }
    }
  }

  /** Values an expression yields: all values of a field, one value (or none, for null) otherwise. */
  values(node: Expr): DocFn<unknown[]> {
    switch (node.kind) {
      case "field": {
        const acc = this.accessor(node.path);
        return (doc) => acc.values(doc);
      }
      case "literal": {
        const v = node.value === null ? [] : [node.value];
        return () => v;
      }
      case "call": {
        const args = node.args.map((a) => this.values(a));
        if (node.name === "divide" && isDecimal(node)) {
          return (doc) => {
            const a = args[0](doc)[0];
            const b = args[1](doc)[0];
            if (typeof a !== "number" || typeof b !== "number") return [];
            const v = divide(a, b, true);
            return v === null ? [] : [v];
          };
        }
        const impl = FUNCTIONS[node.name];
        const ci = node.caseInsensitive;
        return (doc) =>
          impl(
            args.map((a) => a(doc)),
            ci,
          );
      }
      case "arith": {
        const l = this.values(node.left);
        const r = this.values(node.right);
        const op = node.op;
        const decimal = isDecimal(node);
        return (doc) => {
          const a = l(doc)[0];
          const b = r(doc)[0];
          if (typeof a !== "number" || typeof b !== "number") return [];
          let v: number;
          if (op === "+") v = a + b;
          else if (op === "-") v = a - b;
          else if (op === "*") v = a * b;
          else if (b === 0) return [];
          else if (op === "/") v = divide(a, b, decimal) as number;
          else v = a % b;
          return Number.isFinite(v) ? [v] : [];
        };
      }
      case "neg": {
        const f = this.values(node.operand);
        return (doc) => {
          const a = f(doc)[0];
          return typeof a === "number" ? [-a] : [];
        };
      }
      default: {
        const f = this.bool(node);
        return (doc) => [f(doc)];
      }
    }
  }

  private leaf(node: Expr): DocFn<boolean> {
    switch (node.kind) {
      case "compare":
        return this.compare(node.op, node.left, node.right);
      case "match":
        return this.match(node.op, node.caseInsensitive, node.left, node.patterns);
      case "in": {
        const f = this.inList(node.caseInsensitive, node.left, node.list);
        return node.negated ? (doc) => !f(doc) : f;
      }
      case "call": {
        const values = this.values(node);
        return (doc) => values(doc).some((v) => v === true);
      }
      case "field": {
        const acc = this.accessor(node.path);
        return (doc) => acc.some(doc, (v) => v === true);
      }
      case "literal": {
        const held = node.value === true;
        return () => held;
      }
      default:
        // arithmetic is not a condition
        return () => false;
    }
  }

  private compare(op: CompareOp, left: Expr, right: Expr): DocFn<boolean> {
    if (op === "!=") {
      const eq = this.compare("==", left, right);
      return (doc) => !eq(doc);
    }
    if (left.kind === "literal" && right.kind !== "literal") return this.compare(flip(op), right, left);
    if (right.kind === "literal" && right.value === null && left.kind !== "field") {
      // IsNull(expression): no value; an ordering with null is null, which no event matches
      const l = this.values(left);
      return op === "==" ? (doc) => l(doc).length === 0 : () => false;
    }
    if (left.kind === "field" && right.kind === "literal" && right.value !== null && isDateField(left.path)) {
      return this.compareDate(op, left.path, right.value);
    }
    if (left.kind === "field" && right.kind === "literal") {
      const acc = this.accessor(left.path);
      if (right.value === null) {
        // `x == null` is an existence check in Elastic (IsNull); orderings with null are null → false
        return op === "==" ? (doc) => !acc.some(doc, isScalar) : () => false;
      }
      const kw = literalKeyword(right);
      if (kw === undefined) return () => false;
      const n = right.value;
      if (op === "==") {
        if (right.numberKind === "decimal")
          return (doc) => acc.some(doc, (v) => (typeof v === "number" ? v === n : toKeyword(v) === kw));
        return (doc) => acc.some(doc, (v) => toKeyword(v) === kw);
      }
      if (typeof n === "number") {
        return (doc) =>
          acc.some(doc, (v) => {
            if (typeof v === "number") return ordered(op, v < n ? -1 : v > n ? 1 : 0);
            const k = toKeyword(v);
            return k !== undefined && ordered(op, compareStrings(k, kw));
          });
      }
      return (doc) =>
        acc.some(doc, (v) => {
          const k = toKeyword(v);
          return k !== undefined && ordered(op, compareStrings(k, kw));
        });
    }
    const l = this.values(left);
    const r = this.values(right);
    return (doc) => {
      const lv = l(doc);
      if (lv.length === 0) return false;
      const rv = r(doc);
      for (const a of lv) for (const b of rv) if (compareValues(a, b, op)) return true;
      return false;
    };
  }

  /** A date field against a date string or epoch millis: a range query (`==` is [rounded down, rounded up]). */
  private compareDate(op: CompareOp, path: string, literal: string | number | boolean): DocFn<boolean> {
    const down = parseDateMillis(literal, false);
    const up = parseDateMillis(literal, true);
    if (down === null || up === null) return () => false;
    const acc = this.accessor(path);
    const test = (t: number): boolean => {
      switch (op) {
        case "==":
          return t >= down && t <= up;
        case "!=":
          return !(t >= down && t <= up);
        case "<":
          return t < down;
        case "<=":
          return t <= up;
        case ">":
          return t > up;
        case ">=":
          return t >= down;
      }
    };
    return (doc) =>
      acc.some(doc, (v) => {
        const t = parseDateMillis(v);
        return t !== null && test(t);
      });
  }

  private match(op: ":" | "like" | "regex", ci: boolean, left: Expr, patterns: Literal[]): DocFn<boolean> {
    let matchesNull = false;
    const matchers: ((s: string) => boolean)[] = [];
    for (const p of patterns) {
      if (p.value === null) {
        matchesNull = true;
        continue;
      }
      if (op === "regex") {
        const re = compileLuceneRegex(String(p.value), ci);
        matchers.push((s) => re.test(s));
      } else if (typeof p.value === "string") {
        matchers.push(compileWildcard(p.value, ci));
      } else {
        const kw = literalKeyword(p) ?? "";
        matchers.push(compileWildcard(kw.replace(/[*?]/g, ""), ci));
      }
    }
    const one = matchers.length === 1 ? matchers[0] : null;
    const test = (v: unknown) => {
      const k = toKeyword(v);
      if (k === undefined) return false;
      if (one) return one(k);
      for (const m of matchers) if (m(k)) return true;
      return false;
    };
    if (left.kind === "field") {
      const acc = this.accessor(left.path);
      if (matchesNull) return (doc) => !acc.some(doc, isScalar) || acc.some(doc, test);
      return (doc) => acc.some(doc, test);
    }
    const values = this.values(left);
    return (doc) => {
      const vs = values(doc);
      return (matchesNull && vs.length === 0) || vs.some(test);
    };
  }

  private inList(ci: boolean, left: Expr, list: Expr[]): DocFn<boolean> {
    if (left.kind === "field" && list.every((e) => e.kind === "literal")) {
      const set = new Set<string>();
      // decimal literals meet JSON numbers as numbers (see "Values compare as keyword text")
      const decimals = new Set<number>();
      for (const e of list as Literal[]) {
        // a null in the list matches nothing: `terms` ignores it
        const kw = literalKeyword(e);
        if (kw !== undefined) set.add(ci ? kw.toLowerCase() : kw);
        if (e.numberKind === "decimal" && typeof e.value === "number") decimals.add(e.value);
      }
      const acc = this.accessor(left.path);
      return (doc) =>
        acc.some(doc, (v) => {
          if (typeof v === "number" && decimals.has(v)) return true;
          const k = toKeyword(v);
          return k !== undefined && set.has(ci ? k.toLowerCase() : k);
        });
    }
    const l = this.values(left);
    const items = list.map((e) => this.values(e));
    return (doc) => {
      const lv = l(doc);
      for (const item of items) {
        for (const b of item(doc)) {
          for (const a of lv) {
            if (ci) {
              const ka = toKeyword(a);
              const kb = toKeyword(b);
              if (ka !== undefined && kb !== undefined && ka.toLowerCase() === kb.toLowerCase()) return true;
            } else if (compareValues(a, b, "==")) return true;
          }
        }
      }
      return false;
    };
  }
}

/**
 * The alternatives of the top-level `or` (also when it is the only `or` inside a top-level `and`), else the whole
 * condition.
 */
function topLevelBranches(condition: Expr): Expr[] {
  if (condition.kind === "or") return condition.operands;
  if (condition.kind === "and") {
    const ors = condition.operands.filter((o) => o.kind === "or");
    if (ors.length === 1 && ors[0].kind === "or") return ors[0].operands;
  }
  return [condition];
}

function compileQuery(query: EqlQuery): CompiledQuery {
  const cached = compiledCache.get(query);
  if (cached) return cached;
  const compiler = new Compiler();
  const condition = compiler.bool(query.condition);
  const categoryName = query.category;
  const category = categoryName === null ? null : compiler.accessor("event.category");
  // `<category> where` is a term filter on event.category (EQL syntax reference, "Basic syntax")
  const matcher: DocFn<boolean> =
    category === null ? condition : (doc) => category.some(doc, (v) => v === categoryName) && condition(doc);
  const compiled: CompiledQuery = {
    matcher,
    leaves: compiler.leaves,
    category,
    branches: topLevelBranches(query.condition),
  };
  compiledCache.set(query, compiled);
  return compiled;
}

/** A fast `(doc) => boolean` for scanning: closures compiled once, no allocation for the common predicates. */
export function compileMatcher(query: EqlQuery): (doc: Record<string, unknown>) => boolean {
  return compileQuery(query).matcher;
}

/** Evaluate with an explanation: every predicate of every branch is evaluated and traced. */
export function evaluateQuery(
  query: EqlQuery,
  doc: Record<string, unknown>,
  opts: { explain?: boolean } = {},
): EvalResult {
  const compiled = compileQuery(query);
  if (opts.explain === false) {
    const matched = compiled.matcher(doc);
    if (!matched) return { matched, branch: null, trace: [] };
  }
  const trace: PredicateTrace[] = [];
  const text = (node: Expr) => query.source.slice(node.span.start, node.span.end);
  let categoryHeld = true;
  if (compiled.category !== null) {
    const values = compiled.category.values(doc);
    categoryHeld = values.some((v) => v === query.category);
    trace.push({
      text: `${query.category} where`,
      field: "event.category",
      values,
      held: categoryHeld,
      branchIndex: null,
      negated: false,
    });
  }
  const branchValues = new Map<number, boolean>();
  const visit = (node: Expr, branchIndex: number | null, negated: boolean): boolean => {
    const own = compiled.branches.indexOf(node);
    if (own >= 0) branchIndex = own;
    let result: boolean;
    switch (node.kind) {
      case "and":
        result = node.operands.map((o) => visit(o, branchIndex, negated)).every(Boolean);
        break;
      case "or":
        result = node.operands.map((o) => visit(o, branchIndex, negated)).some(Boolean);
        break;
      case "not":
        result = !visit(node.operand, branchIndex, !negated);
        break;
      default: {
        const leaf = compiled.leaves.get(node);
        if (!leaf) throw new Error(`internal: predicate ${text(node)} was not compiled`);
        result = leaf.test(doc);
        trace.push({
          text: text(node),
          field: leaf.field?.path ?? null,
          values: leaf.field ? leaf.field.values(doc) : [],
          held: result,
          branchIndex,
          negated,
        });
      }
    }
    if (own >= 0) branchValues.set(own, result);
    return result;
  };
  const matched = visit(query.condition, null, false) && categoryHeld;
  let branch: EvalResult["branch"] = null;
  if (matched) {
    const index = compiled.branches.findIndex((_, i) => branchValues.get(i) === true);
    if (index >= 0) branch = { index, text: text(compiled.branches[index]) };
  }
  return { matched, branch, trace };
}

/**
 * The predicates that kept a non-matching document out, taken from the closest branch
 * (the one with most predicates satisfied) plus the conditions shared by all branches.
 */
export function describeFailure(result: EvalResult): PredicateTrace[] {
  if (result.matched) return [];
  const satisfied = (t: PredicateTrace) => t.held !== t.negated;
  const score = new Map<number, number>();
  for (const t of result.trace) {
    if (t.branchIndex === null) continue;
    score.set(t.branchIndex, (score.get(t.branchIndex) ?? 0) + (satisfied(t) ? 1 : 0));
  }
  let best: number | null = null;
  for (const [index, s] of [...score.entries()].sort((a, b) => a[0] - b[0])) {
    if (best === null || s > (score.get(best) ?? 0)) best = index;
  }
  return result.trace.filter((t) => !satisfied(t) && (t.branchIndex === null || t.branchIndex === best));
}
