/**
 * Lucene RegExp (what EQL `regex`/`regex~` run as a `regexp` query) translated to a JS
 * RegExp. Lucene patterns always match the whole value, so the result is anchored.
 * Elastic enables all optional operators (flags ALL): `#` `@` `&` `~` `<n-m>` are
 * operators there; they are rejected here instead of being guessed at.
 */

export class UnsupportedRegexError extends Error {
  constructor(pattern: string, offset: number, reason: string) {
    super(`regex ${JSON.stringify(pattern)} at position ${offset}: ${reason}`);
    this.name = "UnsupportedRegexError";
  }
}

const JS_SPECIAL = new Set([..."\\^$.|?*+()[]{}/-"]);
const escapeChar = (ch: string) => (JS_SPECIAL.has(ch) ? `\\${ch}` : ch);
const SHORTHAND = new Set(["d", "D", "s", "S", "w", "W"]);
const UNSUPPORTED: Record<string, string> = {
  "#": "the empty-language operator '#' is not supported (escape it as \\#)",
  "@": "the any-string operator '@' is not supported (escape it as \\@)",
  "&": "the intersection operator '&' is not supported (escape it as \\&)",
  "~": "the complement operator '~' is not supported (escape it as \\~)",
  "<": "numeric intervals '<n-m>' are not supported (escape '<' as \\<)",
};

export function translateLuceneRegex(pattern: string): string {
  const chars = [...pattern];
  let i = 0;
  const fail = (reason: string): never => {
    throw new UnsupportedRegexError(pattern, i, reason);
  };

  const parseAlternation = (): string => {
    const parts = [parseSequence()];
    while (chars[i] === "|") {
      i++;
      parts.push(parseSequence());
    }
    return parts.join("|");
  };

  const parseSequence = (): string => {
    let out = "";
    while (i < chars.length && chars[i] !== "|" && chars[i] !== ")") {
      out += parseQuantifiers(parseAtom());
    }
    return out;
  };

  /**
   * Lucene's grammar repeats a repeat (`repeatexp ::= repeatexp ? | repeatexp * | …`), so
   * `.*?` is "optionally `.*`" — Lucene has no lazy quantifiers, and on a whole-value match
   * greediness changes nothing. Each further quantifier wraps what is there (`(?:.*)?`),
   * which JavaScript would otherwise read as lazy or reject.
   */
  const parseQuantifiers = (atom: string): string => {
    let out = atom;
    let quantified = false;
    for (;;) {
      const c = chars[i];
      let q: string;
      if (c === "*" || c === "+" || c === "?") {
        i++;
        q = c;
      } else if (c === "{") {
        const close = chars.indexOf("}", i);
        const body = close < 0 ? "" : chars.slice(i + 1, close).join("");
        if (!/^\d+(,\d*)?$/.test(body)) fail("expected a repeat count {n}, {n,} or {n,m}");
        i = close + 1;
        q = `{${body}}`;
      } else {
        return out;
      }
      out = quantified ? `(?:${out})${q}` : `${out}${q}`;
      quantified = true;
    }
  };

  const parseAtom = (): string => {
    const c = chars[i];
    if (c in UNSUPPORTED) fail(UNSUPPORTED[c]);
    if (c === "*" || c === "+" || c === "?" || c === "{") fail(`'${c}' has nothing to repeat`);
    if (c === "(") {
      i++;
      const inner = parseAlternation();
      if (chars[i] !== ")") fail("missing ')'");
      i++;
      return `(?:${inner})`;
    }
    if (c === ".") {
      i++;
      return "[^]";
    }
    if (c === '"') {
      const close = chars.indexOf('"', i + 1);
      if (close < 0) fail("unterminated quoted string");
      const literal = chars
        .slice(i + 1, close)
        .map(escapeChar)
        .join("");
      i = close + 1;
      return `(?:${literal})`;
    }
    if (c === "\\") {
      const e = chars[i + 1];
      if (e === undefined) fail("trailing backslash");
      i += 2;
      return SHORTHAND.has(e) ? `\\${e}` : escapeChar(e);
    }
    if (c === "[") return parseClass();
    i++;
    return escapeChar(c);
  };

  const parseClass = (): string => {
    i++; // [
    let out = "[";
    if (chars[i] === "^") {
      out += "^";
      i++;
    }
    let first = true;
    while (i < chars.length && (chars[i] !== "]" || first)) {
      first = false;
      const c = chars[i];
      if (c === "\\") {
        const e = chars[i + 1];
        if (e === undefined) fail("trailing backslash in character class");
        out += SHORTHAND.has(e) ? `\\${e}` : escapeChar(e);
        i += 2;
        continue;
      }
      if (c === "-" && out.length > 1 && chars[i + 1] !== "]") {
        out += "-";
        i++;
        continue;
      }
      out += escapeChar(c);
      i++;
    }
    if (chars[i] !== "]") fail("missing ']'");
    i++;
    if (out === "[" || out === "[^") fail("empty character class");
    return `${out}]`;
  };

  const body = parseAlternation();
  if (i < chars.length) fail(`unexpected '${chars[i]}'`);
  return `^(?:${body})$`;
}

/** Compile a Lucene regexp to a whole-value JS RegExp (`u`: code points, as Lucene's automaton). */
export function compileLuceneRegex(pattern: string, caseInsensitive: boolean): RegExp {
  return new RegExp(translateLuceneRegex(pattern), caseInsensitive ? "ui" : "u");
}
