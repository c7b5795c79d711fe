import { foldNullOrderings } from "./null-fold";
import { FUNCTION_NAMES } from "./ast";
import type {
  EqlQuery,
  EqlStatement,
  Expr,
  FieldRef,
  FunctionName,
  Literal,
  SequenceQuery,
  SequenceStage,
  Span,
} from "./ast";
import { tokenize } from "./lexer";
import type { Token } from "./lexer";
import { EqlSyntaxError } from "./syntax-error";

export { EqlSyntaxError } from "./syntax-error";

/** Functions Elastic offers a `~` (case-insensitive) variant of (EQL function reference). */
const CASE_INSENSITIVE_FUNCTIONS = new Set<FunctionName>([
  "between",
  "endsWith",
  "indexOf",
  "startsWith",
  "stringContains",
  "wildcard",
]);

const ARITY: Record<FunctionName, [number, number]> = {
  add: [2, 2],
  between: [3, 4],
  cidrMatch: [2, Infinity],
  concat: [1, Infinity],
  divide: [2, 2],
  endsWith: [2, 2],
  indexOf: [2, 3],
  length: [1, 1],
  modulo: [2, 2],
  multiply: [2, 2],
  number: [1, 2],
  startsWith: [2, 2],
  string: [1, 1],
  stringContains: [2, 2],
  substring: [2, 3],
  subtract: [2, 2],
  wildcard: [2, Infinity],
};

/** Elastic resolves function names case-insensitively (QL FunctionRegistry normalises names). */
const FUNCTION_BY_LOWER = new Map<string, FunctionName>(FUNCTION_NAMES.map((f) => [f.toLowerCase(), f]));

const COMPARISON_OPS = new Set(["==", "!=", "<", "<=", ">", ">="]);

function describe(t: Token): string {
  if (t.type === "eof") return "end of query";
  if (t.type === "string") return `string ${JSON.stringify(t.value)}`;
  if (t.type === "quoted-ident") return `\`${t.value}\``;
  return `'${t.value}'`;
}

/** Parse a single-event EQL query (`<category> where <condition>`). Throws EqlSyntaxError. */
export function parseEql(source: string): EqlQuery {
  return new Parser(source).parseQuery();
}

/** Parse a single-event query or a sequence (what the hunt runs). Throws EqlSyntaxError. */
export function parseEqlStatement(source: string): EqlStatement {
  return new Parser(source).parseStatement();
}

/** Elasticsearch time units a `maxspan` takes (API conventions, "Time units"), in milliseconds. */
const TIME_UNITS: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, ms: 1 };

/** `runs` is bounded by Elasticsearch: "The runs value must be between 1 and 100 (inclusive)". */
const MAX_RUNS = 100;

class Parser {
  private readonly tokens: Token[];
  private pos = 0;

  constructor(private readonly source: string) {
    this.tokens = tokenize(source);
  }

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)];
  }

  private next(): Token {
    const t = this.peek();
    if (t.type !== "eof") this.pos++;
    return t;
  }

  private isKeyword(value: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.type === "keyword" && t.value === value;
  }

  private isOp(value: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.type === "op" && t.value === value;
  }

  private error(t: Token, expected: string): never {
    let hint = "";
    if (
      t.type === "ident" &&
      ["AND", "OR", "NOT", "IN", "WHERE", "LIKE", "REGEX", "TRUE", "FALSE", "NULL", "ANY"].includes(
        t.value.toUpperCase(),
      ) &&
      t.value !== t.value.toLowerCase()
    ) {
      hint = ` (EQL keywords are lowercase: '${t.value.toLowerCase()}')`;
    }
    throw EqlSyntaxError.at(this.source, t.start, `expected ${expected} but found ${describe(t)}${hint}`);
  }

  private expectOp(value: string, context: string): Token {
    if (!this.isOp(value)) this.error(this.peek(), `'${value}' ${context}`);
    return this.next();
  }

  parseQuery(): EqlQuery {
    const first = this.peek();
    if (first.type === "keyword" && (first.value === "sequence" || first.value === "join")) {
      throw EqlSyntaxError.at(
        this.source,
        first.start,
        `'${first.value}' queries are not supported here: only single-event queries ('<category> where <condition>')`,
      );
    }
    const query = this.parseEventQuery();
    this.expectEnd("'and', 'or' or end of query");
    return query;
  }

  parseStatement(): EqlStatement {
    const first = this.peek();
    if (first.type === "keyword" && first.value === "sequence") return this.parseSequence();
    if (first.type === "keyword" && first.value === "join") {
      throw EqlSyntaxError.at(this.source, first.start, "'join' queries are not supported (Elasticsearch has none)");
    }
    if (first.type === "ident" && first.value === "sample" && this.isKeyword("by", 1)) {
      throw EqlSyntaxError.at(this.source, first.start, "'sample' queries are not supported: use a sequence");
    }
    return this.parseQuery();
  }

  private expectEnd(expected: string): void {
    const end = this.peek();
    if (end.type === "op" && end.value === "|") {
      const pipe = this.peek(1);
      const name = pipe.type === "ident" || pipe.type === "keyword" ? ` '| ${pipe.value}'` : "";
      throw EqlSyntaxError.at(
        this.source,
        end.start,
        `pipes${name || " ('|')"} are not supported: the hunt's row limit bounds the results`,
      );
    }
    // the lineage of EQL's first versions (`child of`, `descendant of`, `event of`): the EQL
    // syntax reference lists it as unsupported in Elasticsearch
    const before = this.pos > 0 ? this.peek(-1) : null;
    if (
      end.type === "keyword" &&
      end.value === "of" &&
      before &&
      ["child", "descendant", "event"].includes(before.value)
    ) {
      throw EqlSyntaxError.at(
        this.source,
        before.start,
        `lineage ('${before.value} of [ … ]') is not supported (Elasticsearch's EQL has none); use a sequence`,
      );
    }
    if (end.type !== "eof") this.error(end, expected);
  }

  private parseJoinKeys(): FieldRef[] {
    const keys = [this.parseField(true)];
    while (this.isOp(",")) {
      this.next();
      keys.push(this.parseField(true));
    }
    return keys;
  }

  private parseSequence(): SequenceQuery {
    const seq = this.next();
    let joinKeys: FieldRef[] = [];
    let maxspanMs: number | null = null;
    if (this.isKeyword("by")) {
      this.next();
      joinKeys = this.parseJoinKeys();
    }
    if (this.isKeyword("with")) {
      const w = this.next();
      if (!this.isKeyword("maxspan")) this.error(this.peek(), "'maxspan' after 'with'");
      this.next();
      this.expectOp("=", "after 'maxspan'");
      const t = this.peek();
      if (t.type === "integer") {
        throw EqlSyntaxError.at(this.source, t.start, `maxspan needs a time unit (ms, s, m, h, d): '${t.value}'`);
      }
      if (t.type !== "time") this.error(t, "a time span such as 5m after 'maxspan='");
      this.next();
      const [, amount, unit] = /^(\d+)([a-zA-Z]+)$/.exec(t.value) ?? [];
      const factor = TIME_UNITS[unit];
      if (factor === undefined) {
        throw EqlSyntaxError.at(this.source, t.start, `unknown time unit '${unit}' in maxspan (ms, s, m, h, d)`);
      }
      maxspanMs = Number(amount) * factor;
      if (this.isKeyword("by")) {
        throw EqlSyntaxError.at(
          this.source,
          this.peek().start,
          `'by' must come before 'with' ('sequence by … with maxspan=…'), not after '${this.source.slice(w.start, t.end)}'`,
        );
      }
    }
    const stages: SequenceStage[] = [];
    let until: SequenceStage | null = null;
    while (this.isOp("[") || this.isOp("![")) {
      const { stage, runs } = this.parseStage();
      for (let i = 0; i < runs; i++) stages.push(stage);
    }
    if (this.isKeyword("until")) {
      const u = this.next();
      if (!this.isOp("[")) this.error(this.peek(), "'[' after 'until'");
      const { stage, runs } = this.parseStage();
      if (runs !== 1 || stage.missing) {
        throw EqlSyntaxError.at(this.source, u.start, "'until' takes one plain stage ('until [ … ]')");
      }
      until = stage;
    }
    this.expectEnd(stages.length === 0 ? "'[' to open the first stage" : "'[', 'until' or end of query");
    if (stages.length < 2) {
      throw EqlSyntaxError.at(this.source, seq.start, "a sequence needs at least two stages ('[ … ] [ … ]')");
    }
    if (stages.every((s) => s.missing)) {
      throw EqlSyntaxError.at(
        this.source,
        seq.start,
        "a sequence needs at least one stage that is not missing ('![ … ]')",
      );
    }
    if (maxspanMs === null && stages.some((s) => s.missing)) {
      const missing = stages.find((s) => s.missing)!;
      throw EqlSyntaxError.at(
        this.source,
        missing.span.start,
        "missing events ('![ … ]') need 'with maxspan=…' on the sequence (EQL syntax reference)",
      );
    }
    const width = joinKeys.length + stages[0].keys.length;
    for (const s of [...stages, ...(until ? [until] : [])]) {
      if (joinKeys.length + s.keys.length !== width) {
        throw EqlSyntaxError.at(
          this.source,
          s.span.start,
          `every stage needs the same number of join keys: this one has ${joinKeys.length + s.keys.length}, the first has ${width}`,
        );
      }
    }
    return { kind: "sequence", source: this.source, joinKeys, maxspanMs, stages, until };
  }

  private parseStage(): { stage: SequenceStage; runs: number } {
    const open = this.next();
    const missing = open.value === "![";
    const query = this.parseEventQuery();
    const close = this.expectOp("]", "to close the stage");
    let keys: FieldRef[] = [];
    if (this.isKeyword("by")) {
      this.next();
      keys = this.parseJoinKeys();
    }
    let runs = 1;
    if (this.isKeyword("with")) {
      const w = this.next();
      const key = this.peek();
      if (key.type === "keyword" && key.value === "maxspan") {
        throw EqlSyntaxError.at(this.source, w.start, "'with maxspan' belongs after 'sequence [by …]', not on a stage");
      }
      if (key.type !== "ident" || key.value !== "runs") this.error(key, "'runs' after 'with' on a stage");
      this.next();
      this.expectOp("=", "after 'runs'");
      const n = this.peek();
      if (n.type !== "integer") this.error(n, "a whole number after 'runs='");
      this.next();
      runs = Number(n.value);
      if (runs < 1 || runs > MAX_RUNS) {
        throw EqlSyntaxError.at(this.source, n.start, `runs must be between 1 and ${MAX_RUNS}, not ${n.value}`);
      }
      if (missing && runs !== 1) {
        throw EqlSyntaxError.at(this.source, n.start, "a missing event stage ('![ … ]') cannot repeat with runs");
      }
    }
    return { stage: { query, keys, missing, span: this.span(open.start, close.end) }, runs };
  }

  private parseEventQuery(): EqlQuery {
    const first = this.peek();
    let category: string | null;
    if (this.isKeyword("any")) {
      this.next();
      category = null;
    } else if (first.type === "ident" || first.type === "string") {
      this.next();
      category = first.value;
    } else {
      this.error(first, "an event category, 'any' or a quoted category");
    }
    if (!this.isKeyword("where")) this.error(this.peek(), "'where' after the event category");
    this.next();
    const condition = foldNullOrderings(this.parseOr());
    return { source: this.source, category, condition };
  }

  private span(start: number, end: number): Span {
    return { start, end };
  }

  private parseOr(): Expr {
    const first = this.parseAnd();
    if (!this.isKeyword("or")) return first;
    const operands = [first];
    while (this.isKeyword("or")) {
      this.next();
      operands.push(this.parseAnd());
    }
    return { kind: "or", operands, span: this.span(first.span.start, operands[operands.length - 1].span.end) };
  }

  private parseAnd(): Expr {
    const first = this.parseNot();
    if (!this.isKeyword("and")) return first;
    const operands = [first];
    while (this.isKeyword("and")) {
      this.next();
      operands.push(this.parseNot());
    }
    return { kind: "and", operands, span: this.span(first.span.start, operands[operands.length - 1].span.end) };
  }

  private parseNot(): Expr {
    if (this.isKeyword("not")) {
      const t = this.next();
      const operand = this.parseNot();
      return { kind: "not", operand, span: this.span(t.start, operand.span.end) };
    }
    return this.parseComparison();
  }

  private parseComparison(): Expr {
    const left = this.parseAdditive();
    const t = this.peek();
    if (t.type === "op" && COMPARISON_OPS.has(t.value)) {
      this.next();
      const right = this.parseAdditive(`a value after '${t.value}'`);
      return { kind: "compare", op: t.value as "==", left, right, span: this.span(left.span.start, right.span.end) };
    }
    return left;
  }

  private parseAdditive(expected?: string): Expr {
    let left = this.parseMultiplicative(expected);
    while (this.isOp("+") || this.isOp("-")) {
      const op = this.next().value as "+" | "-";
      const right = this.parseMultiplicative(`a value after '${op}'`);
      left = { kind: "arith", op, left, right, span: this.span(left.span.start, right.span.end) };
    }
    return left;
  }

  private parseMultiplicative(expected?: string): Expr {
    let left = this.parseUnary(expected);
    while (this.isOp("*") || this.isOp("/") || this.isOp("%")) {
      const op = this.next().value as "*" | "/" | "%";
      const right = this.parseUnary(`a value after '${op}'`);
      left = { kind: "arith", op, left, right, span: this.span(left.span.start, right.span.end) };
    }
    return left;
  }

  private parseUnary(expected?: string): Expr {
    if (this.isOp("-") || this.isOp("+")) {
      const t = this.next();
      const operand = this.parseUnary(`a value after '${t.value}'`);
      const span = this.span(t.start, operand.span.end);
      if (t.value === "+") return { ...operand, span } as Expr;
      // Elastic folds `-<number literal>` into a negative literal
      if (operand.kind === "literal" && typeof operand.value === "number") {
        return { kind: "literal", value: -operand.value, numberKind: operand.numberKind, span };
      }
      return { kind: "neg", operand, span };
    }
    return this.parsePredicated(expected);
  }

  private parsePredicated(expected?: string): Expr {
    const left = this.parsePrimary(expected);
    const t = this.peek();
    // predicate: NOT? (IN | IN_INSENSITIVE) '(' expression (',' expression)* ')'
    if (
      t.type === "keyword" &&
      (t.value === "in" ||
        t.value === "in~" ||
        (t.value === "not" && (this.isKeyword("in", 1) || this.isKeyword("in~", 1))))
    ) {
      const negated = t.value === "not";
      if (negated) this.next();
      const kw = this.next();
      this.expectOp("(", `after '${kw.value}'`);
      const list: Expr[] = [this.parseOr()];
      while (this.isOp(",")) {
        this.next();
        list.push(this.parseOr());
      }
      const close = this.expectOp(")", `or ',' to close the '${kw.value}' list`);
      return {
        kind: "in",
        negated,
        caseInsensitive: kw.value === "in~",
        left,
        list,
        span: this.span(left.span.start, close.end),
      };
    }
    // predicate: (SEQ | LIKE | LIKE_INSENSITIVE | REGEX | REGEX_INSENSITIVE)
    //            (constant | '(' constant (',' constant)* ')')
    const isMatch =
      (t.type === "op" && t.value === ":") ||
      (t.type === "keyword" && ["like", "like~", "regex", "regex~"].includes(t.value));
    if (!isMatch) return left;
    this.next();
    const op = t.value.replace("~", "") as ":" | "like" | "regex";
    const caseInsensitive = op === ":" || t.value.endsWith("~");
    const patterns: Literal[] = [];
    let end: number;
    if (this.isOp("(")) {
      this.next();
      patterns.push(this.parseConstant(t.value, true));
      while (this.isOp(",")) {
        this.next();
        patterns.push(this.parseConstant(t.value, true));
      }
      end = this.expectOp(")", `or ',' to close the '${t.value}' list`).end;
    } else {
      const c = this.parseConstant(t.value, false);
      patterns.push(c);
      end = c.span.end;
    }
    if (op !== ":") {
      // like/regex patterns must be strings (Elastic: "Invalid like pattern received")
      for (const p of patterns) {
        if (typeof p.value !== "string") {
          throw EqlSyntaxError.at(
            this.source,
            p.span.start,
            `'${t.value}' expects string patterns but found ${this.source.slice(p.span.start, p.span.end)}`,
          );
        }
      }
    }
    return { kind: "match", op, caseInsensitive, left, patterns, span: this.span(left.span.start, end) };
  }

  private parseConstant(after: string, inList: boolean): Literal {
    const t = this.peek();
    const expected = inList ? `a string or number in the '${after}' list` : `a value or '(' after '${after}'`;
    let negative = false;
    if (this.isOp("-") && (this.peek(1).type === "integer" || this.peek(1).type === "decimal")) {
      negative = true;
      this.next();
    }
    const c = this.peek();
    const lit = this.literalFromToken(c);
    if (lit === null || (negative && typeof lit.value !== "number")) this.error(negative ? c : t, expected);
    this.next();
    if (negative) return { ...lit, value: -(lit.value as number), span: this.span(t.start, c.end) };
    return lit;
  }

  private literalFromToken(t: Token): Literal | null {
    const span = this.span(t.start, t.end);
    if (t.type === "string") return { kind: "literal", value: t.value, span };
    if (t.type === "integer") return { kind: "literal", value: Number(t.value), numberKind: "integer", span };
    if (t.type === "decimal") return { kind: "literal", value: Number(t.value), numberKind: "decimal", span };
    if (t.type === "keyword" && (t.value === "true" || t.value === "false"))
      return { kind: "literal", value: t.value === "true", span };
    if (t.type === "keyword" && t.value === "null") return { kind: "literal", value: null, span };
    return null;
  }

  private parsePrimary(expected = "a field, value, function call or '('"): Expr {
    const t = this.peek();
    const lit = this.literalFromToken(t);
    if (lit) {
      this.next();
      return lit;
    }
    if (t.type === "op" && t.value === "(") {
      this.next();
      const inner = this.parseOr();
      this.expectOp(")", "to close '('");
      return inner;
    }
    if ((t.type === "ident" || t.type === "tilde-ident") && this.isOp("(", 1)) return this.parseCall();
    if (t.type === "tilde-ident") this.error(this.peek(1), `'(' after function name '${t.value}'`);
    if (t.type === "ident" || t.type === "quoted-ident" || (t.type === "op" && t.value === "?"))
      return this.parseField();
    this.error(t, expected);
  }

  /** `joinKey`: a `by` key, after which `[` opens the next stage rather than indexing the field */
  private parseField(joinKey = false): FieldRef {
    const first = this.peek();
    let optional = false;
    if (first.type === "op" && first.value === "?") {
      optional = true;
      this.next();
    }
    const segments: string[] = [];
    const readSegment = (context: string) => {
      const t = this.peek();
      // keywords are accepted after a dot so ECS names like `x.in` stay addressable
      if (
        t.type === "ident" ||
        t.type === "quoted-ident" ||
        (segments.length > 0 && t.type === "keyword" && !t.value.endsWith("~"))
      ) {
        this.next();
        segments.push(t.value);
        return t;
      }
      return this.error(t, context);
    };
    let last = readSegment(optional ? "a field name after '?'" : "a field name");
    for (;;) {
      if (this.isOp(".")) {
        this.next();
        last = readSegment("a field name after '.'");
        continue;
      }
      if (this.isOp("[") && !joinKey) {
        throw EqlSyntaxError.at(this.source, this.peek().start, "array indexing ('field[0]') is not supported");
      }
      break;
    }
    return { kind: "field", path: segments.join("."), optional, span: this.span(first.start, last.end) };
  }

  private parseCall(): Expr {
    const nameToken = this.next();
    const raw = nameToken.value;
    const caseInsensitive = raw.endsWith("~");
    const bare = caseInsensitive ? raw.slice(0, -1) : raw;
    const name = FUNCTION_BY_LOWER.get(bare.toLowerCase());
    if (!name) {
      throw EqlSyntaxError.at(
        this.source,
        nameToken.start,
        `unknown function '${bare}' (supported: ${FUNCTION_NAMES.join(", ")})`,
      );
    }
    if (caseInsensitive && !CASE_INSENSITIVE_FUNCTIONS.has(name)) {
      throw EqlSyntaxError.at(this.source, nameToken.start, `function '${name}' has no case-insensitive '~' variant`);
    }
    this.next(); // '('
    const args: Expr[] = [];
    if (!this.isOp(")")) {
      args.push(this.parseOr());
      while (this.isOp(",")) {
        this.next();
        args.push(this.parseOr());
      }
    }
    const close = this.expectOp(")", `or ',' in the arguments of '${raw}'`);
    const [min, max] = ARITY[name];
    if (args.length < min || args.length > max) {
      const want = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
      throw EqlSyntaxError.at(
        this.source,
        nameToken.start,
        `function '${raw}' takes ${want} argument(s) but got ${args.length}`,
      );
    }
    return { kind: "call", name, caseInsensitive, args, span: this.span(nameToken.start, close.end) };
  }
}
