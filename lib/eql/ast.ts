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

/** One `[ <category> where <condition> ]` of a sequence; `runs=n` is expanded into n stages. */
export interface SequenceStage {
  /** the stage's event query; its `source` is the whole sequence text, so spans index into it */
  query: EqlQuery;
  /** `[…] by a, b`: join keys after the sequence's own `sequence by` keys */
  keys: FieldRef[];
  /** `![…]`: a missing event, one that must not occur there (EQL syntax reference, "Missing events") */
  missing: boolean;
  /** position of `[`…`]` in the source */
  span: Span;
}

/** `sequence [by k…] [with maxspan=t] [..] [..]… [until [..]]` (EQL syntax reference, "Sequences") */
export interface SequenceQuery {
  kind: "sequence";
  source: string;
  /** `sequence by`: join keys shared by every stage */
  joinKeys: FieldRef[];
  /** `with maxspan=…` in milliseconds; null when not given */
  maxspanMs: number | null;
  stages: SequenceStage[];
  /** `until [..]`: an event with the same keys that expires the sequences in progress */
  until: SequenceStage | null;
}

/** What the hunt accepts: a single-event query or a sequence. */
export type EqlStatement = EqlQuery | SequenceQuery;

export const isSequence = (q: EqlStatement): q is SequenceQuery => "kind" in q && q.kind === "sequence";
