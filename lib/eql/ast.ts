/**
 * AST of single-event EQL (`<category> where <condition>`), shaped after the
 * grammar of Elasticsearch's EqlBase.g4: booleanExpression > valueExpression
 * (one comparison) > operatorExpression (arithmetic, predicate suffix) > primary.
 */

/** Offsets into the query source, end exclusive: `source.slice(start, end)` is the node's text. */
export interface Span {
  start: number;
  end: number;
}

export type LiteralValue = string | number | boolean | null;

export interface FieldRef {
  kind: "field";
  /** dotted path, e.g. `winlog.event_data.Consumer` */
  path: string;
  /** `?field`: Elastic resolves a field missing from the mapping to null instead of failing */
  optional: boolean;
  span: Span;
}

export interface Literal {
  kind: "literal";
  value: LiteralValue;
  /** integer vs decimal literal: Elastic keeps them as Java Integer/Long vs Double */
  numberKind?: "integer" | "decimal";
  span: Span;
}

export interface FunctionCall {
  kind: "call";
  /** canonical name without the `~` suffix, e.g. `startsWith` */
  name: FunctionName;
  caseInsensitive: boolean;
  args: Expr[];
  span: Span;
}

export interface Arithmetic {
  kind: "arith";
  op: "+" | "-" | "*" | "/" | "%";
  left: Expr;
  right: Expr;
  span: Span;
}

export interface Negate {
  kind: "neg";
  operand: Expr;
  span: Span;
}

export interface Logical {
  kind: "and" | "or";
  /** flattened chain: `a and b and c` is one node with three operands */
  operands: Expr[];
  span: Span;
}

export interface Not {
  kind: "not";
  operand: Expr;
  span: Span;
}

export type CompareOp = "==" | "!=" | "<" | "<=" | ">" | ">=";

export interface Compare {
  kind: "compare";
  op: CompareOp;
  left: Expr;
  right: Expr;
  span: Span;
}

/** `:` (wildcard, case-insensitive), `like`/`like~` (wildcard), `regex`/`regex~` (Lucene regexp) */
export interface PatternMatch {
  kind: "match";
  op: ":" | "like" | "regex";
  caseInsensitive: boolean;
  left: Expr;
  patterns: Literal[];
  span: Span;
}

export interface InList {
  kind: "in";
  negated: boolean;
  caseInsensitive: boolean;
  left: Expr;
  list: Expr[];
  span: Span;
}

export type Expr =
  FieldRef | Literal | FunctionCall | Arithmetic | Negate | Logical | Not | Compare | PatternMatch | InList;

export const FUNCTION_NAMES = [
  "add",
  "between",
  "cidrMatch",
  "concat",
  "divide",
  "endsWith",
  "indexOf",
  "length",
  "modulo",
  "multiply",
  "number",
  "startsWith",
  "string",
  "stringContains",
  "substring",
  "subtract",
  "wildcard",
] as const;

export type FunctionName = (typeof FUNCTION_NAMES)[number];

export interface EqlQuery {
  /** the query text as given; spans index into it */
  source: string;
  /** event category to match in `event.category`; null for `any` */
  category: string | null;
  condition: Expr;
}
