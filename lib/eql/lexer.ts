import { EqlSyntaxError } from "./syntax-error";

/**
 * Tokens of EqlBase.g4 (Elasticsearch x-pack/plugin/eql). Keywords are lowercase
 * literals in that grammar (`AND: 'and'`), so `AND` lexes as an identifier.
 */
export type TokenType =
  | "ident" // IDENTIFIER: (LETTER | '_' | '@') (LETTER | DIGIT | '_')*
  | "quoted-ident" // `my field`
  | "tilde-ident" // startsWith~
  | "keyword" // and or not in in~ like like~ regex regex~ any where true false null …
  | "string"
  | "integer"
  | "decimal"
  | "op" // == != < <= > >= : + - * / % . , ( ) [ ] | ? and, in sequences, = ![
  | "time" // maxspan=5m: TIME_UNITS in EqlBase.g4 (number + unit)
  | "eof";

export interface Token {
  type: TokenType;
  /** decoded value: identifier name, keyword, unescaped string, operator text */
  value: string;
  start: number;
  end: number;
}

const KEYWORDS = new Set([
  "and",
  "any",
  "by",
  "false",
  "in",
  "join",
  "like",
  "maxspan",
  "not",
  "null",
  "of",
  "or",
  "regex",
  "sequence",
  "true",
  "until",
  "where",
  "with",
]);
/** `in~`, `like~`, `regex~` are their own tokens (IN_INSENSITIVE, LIKE_INSENSITIVE, REGEX_INSENSITIVE) */
const TILDE_KEYWORDS = new Set(["in", "like", "regex"]);

const isLetter = (c: string) => (c >= "a" && c <= "z") || (c >= "A" && c <= "Z");
const isDigit = (c: string) => c >= "0" && c <= "9";
const isHex = (c: string) => isDigit(c) || (c >= "a" && c <= "f") || (c >= "A" && c <= "F");

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = source.length;
  const fail = (offset: number, message: string): never => {
    throw EqlSyntaxError.at(source, offset, message);
  };

  while (i < n) {
    const c = source[i];
    if (c === " " || c === "\t" || c === "\r" || c === "\n") {
      i++;
      continue;
    }
    if (c === "/" && source[i + 1] === "/") {
      while (i < n && source[i] !== "\n") i++;
      continue;
    }
    if (c === "/" && source[i + 1] === "*") {
      const close = source.indexOf("*/", i + 2);
      if (close < 0) fail(i, "unterminated comment '/*'");
      i = close + 2;
      continue;
    }
    const start = i;
    if (isLetter(c) || c === "_" || c === "@") {
      i++;
      while (i < n && (isLetter(source[i]) || isDigit(source[i]) || source[i] === "_")) i++;
      const word = source.slice(start, i);
      if (source[i] === "~" && isLetter(c)) {
        i++;
        tokens.push({ type: TILDE_KEYWORDS.has(word) ? "keyword" : "tilde-ident", value: `${word}~`, start, end: i });
      } else {
        tokens.push({ type: KEYWORDS.has(word) ? "keyword" : "ident", value: word, start, end: i });
      }
      continue;
    }
    if (c === "`") {
      // QUOTED_IDENTIFIER: '`' ( ~'`' | '``' )* '`'
      let name = "";
      i++;
      for (;;) {
        if (i >= n) fail(start, "unterminated backtick-quoted field name");
        if (source[i] === "`") {
          if (source[i + 1] === "`") {
            name += "`";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        name += source[i++];
      }
      tokens.push({ type: "quoted-ident", value: name, start, end: i });
      continue;
    }
    if (c === "'") {
      fail(i, 'single-quoted strings are not supported in EQL; use double quotes ("…") or a raw string ("""…""")');
    }
    if (c === "?" && (source[i + 1] === '"' || source[i + 1] === "'")) {
      fail(i, '?"…" strings are not supported in EQL; use a raw string ("""…""")');
    }
    if (c === '"') {
      if (source.startsWith('"""', i)) {
        // '"""' (~[\r\n])*? '"""' '"'? '"'? — raw string, no escapes, up to two trailing quotes belong to the value
        const close = source.indexOf('"""', i + 3);
        const newline = source.slice(i + 3, close < 0 ? n : close).search(/[\r\n]/);
        if (close < 0 || newline >= 0) fail(i, 'unterminated raw string \'"""\'');
        let end = close + 3;
        let extra = 0;
        while (extra < 2 && source[end] === '"') {
          end++;
          extra++;
        }
        tokens.push({ type: "string", value: source.slice(i + 3, end - 3), start, end });
        i = end;
        continue;
      }
      i++;
      let value = "";
      for (;;) {
        if (i >= n || source[i] === "\r" || source[i] === "\n") fail(start, "unterminated string literal");
        const ch = source[i];
        if (ch === '"') {
          i++;
          break;
        }
        if (ch !== "\\") {
          value += ch;
          i++;
          continue;
        }
        // STRING_ESCAPE: '\\' [btnfr"'\\] and UNICODE_ESCAPE: '\\u' '{' HEX_DIGIT+ '}'
        const e = source[i + 1];
        const simple: Record<string, string> = {
          b: "\b",
          t: "\t",
          n: "\n",
          f: "\f",
          r: "\r",
          '"': '"',
          "'": "'",
          "\\": "\\",
        };
        if (e !== undefined && e in simple) {
          value += simple[e];
          i += 2;
          continue;
        }
        if (e === "u" && source[i + 2] === "{") {
          let j = i + 3;
          while (j < n && isHex(source[j])) j++;
          const hex = source.slice(i + 3, j);
          if (source[j] !== "}" || hex.length < 1 || hex.length > 8) {
            fail(i, "invalid unicode escape: expected \\u{XXXX} with 1 to 8 hex digits");
          }
          const code = parseInt(hex, 16);
          if (code > 0x10ffff) fail(i, `invalid unicode escape \\u{${hex}}: code point above U+10FFFF`);
          value += String.fromCodePoint(code);
          i = j + 1;
          continue;
        }
        fail(
          i,
          `invalid escape sequence '\\${e ?? ""}' in string (allowed: \\b \\t \\n \\f \\r \\" \\' \\\\ \\u{XXXX})`,
        );
      }
      tokens.push({ type: "string", value, start, end: i });
      continue;
    }
    const prev = tokens[tokens.length - 1];
    const afterName =
      prev !== undefined &&
      (prev.type === "ident" || prev.type === "quoted-ident" || (prev.type === "op" && prev.value === "]"));
    if (isDigit(c) || (c === "." && isDigit(source[i + 1] ?? "") && !afterName)) {
      // INTEGER_VALUE: DIGIT+ ; DECIMAL_VALUE: DIGIT+ '.' DIGIT* | '.' DIGIT+ , each with optional EXPONENT
      while (i < n && isDigit(source[i])) i++;
      let decimal = false;
      if (source[i] === ".") {
        decimal = true;
        i++;
        while (i < n && isDigit(source[i])) i++;
      }
      if (
        (source[i] === "e" || source[i] === "E") &&
        (isDigit(source[i + 1] ?? "") ||
          ((source[i + 1] === "+" || source[i + 1] === "-") && isDigit(source[i + 2] ?? "")))
      ) {
        decimal = true;
        i += 2;
        while (i < n && isDigit(source[i])) i++;
      }
      if (!decimal && prev?.type === "op" && prev.value === "=" && i < n && isLetter(source[i])) {
        // `maxspan=5m`: the unit follows the number
        while (i < n && isLetter(source[i])) i++;
        tokens.push({ type: "time", value: source.slice(start, i), start, end: i });
        continue;
      }
      if (i < n && (isLetter(source[i]) || source[i] === "_"))
        fail(start, `invalid number '${source.slice(start, i + 1)}'`);
      tokens.push({ type: decimal ? "decimal" : "integer", value: source.slice(start, i), start, end: i });
      continue;
    }
    const two = source.slice(i, i + 2);
    if (two === "==" || two === "!=" || two === "<=" || two === ">=") {
      tokens.push({ type: "op", value: two, start, end: i + 2 });
      i += 2;
      continue;
    }
    if ("<>:+-*/%.,()[]|?".includes(c)) {
      tokens.push({ type: "op", value: c, start, end: i + 1 });
      i++;
      continue;
    }
    const last = tokens[tokens.length - 1];
    const assigns = last !== undefined && (last.value === "maxspan" || last.value === "runs");
    if (c === "=" && assigns) {
      // ASGN, only in `with maxspan=…` and `with runs=…`
      tokens.push({ type: "op", value: "=", start, end: i + 1 });
      i++;
      continue;
    }
    if (c === "!" && source[i + 1] === "[") {
      // MISSING_EVENT_OPEN: a sequence stage that must not occur
      tokens.push({ type: "op", value: "![", start, end: i + 2 });
      i += 2;
      continue;
    }
    if (c === "=") fail(i, "unexpected '=': use '==' for equality or ':' for case-insensitive matching");
    if (c === "!") fail(i, "unexpected '!': use '!=' or 'not'");
    fail(i, `unexpected character '${c}'`);
  }
  tokens.push({ type: "eof", value: "", start: n, end: n });
  return tokens;
}
