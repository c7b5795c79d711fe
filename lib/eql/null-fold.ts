/**
 * Elasticsearch's optimizer folds an ordering with the null literal (`x < null`, `null >= x`) to
 * null, and null flows through `not`/`and`/`or` with three-valued logic before a filter keeps only
 * true: `where x < null` and `where not (x < null)` both match nothing, `where not (a and x < null)`
 * matches what `not a` matches. Our evaluator and SQL are two-valued, so a condition holding such a
 * constant is rewritten here into the equivalent two-valued one: T(e) is "e is true", F(e) "e is
 * false"; the null constant is neither. Conditions without one are returned unchanged (the same
 * node objects, so explanations and branches are untouched).
 */
import type { Expr, Literal } from "./ast";

const ORDERINGS = new Set(["<", "<=", ">", ">="]);

function isNullLiteral(e: Expr): boolean {
  return e.kind === "literal" && e.value === null;
}

function isNullOrdering(e: Expr): boolean {
  return e.kind === "compare" && ORDERINGS.has(e.op) && (isNullLiteral(e.left) || isNullLiteral(e.right));
}

function holdsNullOrdering(e: Expr): boolean {
  if (isNullOrdering(e)) return true;
  if (e.kind === "not") return holdsNullOrdering(e.operand);
  if (e.kind === "and" || e.kind === "or") return e.operands.some(holdsNullOrdering);
  return false;
}

function falseAt(e: Expr): Literal {
  return { kind: "literal", value: false, span: e.span };
}

const isFalse = (e: Expr) => e.kind === "literal" && e.value === false;

function all(kind: "and" | "or", operands: Expr[], at: Expr): Expr {
  const kept = kind === "and" ? operands : operands.filter((o) => !isFalse(o));
  if (kind === "and" && kept.some(isFalse)) return falseAt(at);
  if (kept.length === 0) return falseAt(at);
  if (kept.length === 1) return kept[0];
  return { kind, operands: kept, span: at.span };
}

function negate(e: Expr): Expr {
  return e.kind === "not" ? e.operand : { kind: "not", operand: e, span: e.span };
}

/** The two-valued condition that holds exactly when `e` is true under three-valued logic. */
function whenTrue(e: Expr): Expr {
  if (isNullOrdering(e)) return falseAt(e);
  switch (e.kind) {
    case "not":
      return whenFalse(e.operand);
    case "and":
    case "or":
      return all(e.kind, e.operands.map(whenTrue), e);
    default:
      return e;
  }
}

/** The two-valued condition that holds exactly when `e` is false under three-valued logic. */
function whenFalse(e: Expr): Expr {
  if (isNullOrdering(e)) return falseAt(e);
  switch (e.kind) {
    case "not":
      return whenTrue(e.operand);
    case "and":
      return all("or", e.operands.map(whenFalse), e);
    case "or":
      return all("and", e.operands.map(whenFalse), e);
    default:
      return negate(e);
  }
}

export function foldNullOrderings(condition: Expr): Expr {
  return holdsNullOrdering(condition) ? whenTrue(condition) : condition;
}
