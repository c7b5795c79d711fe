/**
 * JSON numbers as Elasticsearch's keyword fields see them. Pure.
 *
 * A JSON number sent to a `keyword` field is indexed as its text as written — `21.0` becomes the
 * term "21.0", `2.1e1` the term "2.1e1" (Jackson hands the mapper the number token's text) — so
 * `event.code == "21"` does not match `"event": {"code": 21.0}` in Elasticsearch. `JSON.parse`
 * reads both as the number 21, whose text is "21". For the numbers JSON.parse renders back as
 * written (integers of up to 15 digits, the usual case) nothing changes; the others are read as
 * strings holding their text, so that keyword comparisons see what Elasticsearch indexed.
 */

// where a fraction, an exponent, 16 digits or -0 may be: a candidate counts only if it is at the
// start of a token (see startsToken)
const CANDIDATE = /\d[.eE]|\d{16}|-0/g;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
// a character that can start a JSON number
const isNumberStart = (c: number) => c === 0x2d || (c >= 0x30 && c <= 0x39);
// a character that can continue one: digits, sign, point, exponent
const isNumberPart = (c: number) =>
  (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2b || c === 0x2e || c === 0x65 || c === 0x45;

/**
 * `text` (valid JSON) with every number JavaScript would write differently from the text wrapped
 * in quotes; the same string when there is none.
 */
export function quoteInexactNumbers(text: string): string {
  // Only fractions, exponents, 16 digits or more and -0 can read back differently; most lines
  // have no such token (nor text that looks like one inside a string) and are not scanned.
  if (!mayHaveInexactNumber(text)) return text;
  let out: string[] | null = null;
  let copied = 0;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      // skip the string: to the next quote not escaped
      i++;
      for (;;) {
        const quote = text.indexOf('"', i);
        if (quote < 0) return text; // not valid JSON: left to JSON.parse to report
        let backslashes = 0;
        for (let j = quote - 1; j >= i && text.charCodeAt(j) === BACKSLASH; j--) backslashes++;
        i = quote + 1;
        if (backslashes % 2 === 0) break;
      }
      continue;
    }
    if (isNumberStart(c)) {
      const start = i;
      i++;
      while (i < n && isNumberPart(text.charCodeAt(i))) i++;
      const token = text.slice(start, i);
      if (String(Number(token)) !== token) {
        out ??= [];
        out.push(text.slice(copied, start), '"', token, '"');
        copied = i;
      }
      continue;
    }
    i++;
  }
  if (!out) return text;
  out.push(text.slice(copied));
  return out.join("");
}

/**
 * Whether a candidate's digits start a token: after `"…":`, `,` or `[` (and spaces). Digits in
 * strings ("10.0.17763", "1.2.3.4", "00:00:00.000Z") follow a quote, a point or a letter, or a
 * colon after a digit. A string that happens to hold `…, 1.5` only costs the full scan.
 */
function mayHaveInexactNumber(text: string): boolean {
  CANDIDATE.lastIndex = 0;
  for (let m = CANDIDATE.exec(text); m; m = CANDIDATE.exec(text)) {
    let i = m.index;
    while (i > 0 && text.charCodeAt(i - 1) >= 0x30 && text.charCodeAt(i - 1) <= 0x39) i--;
    if (i > 0 && text.charCodeAt(i - 1) === 0x2d) i--;
    while (i > 0 && isSpace(text.charCodeAt(i - 1))) i--;
    const before = text.charCodeAt(i - 1);
    if (before === 0x2c || before === 0x5b) return true;
    if (before === 0x3a) {
      let k = i - 2;
      while (k >= 0 && isSpace(text.charCodeAt(k))) k--;
      if (text.charCodeAt(k) === QUOTE) return true;
    }
    CANDIDATE.lastIndex = m.index + 1;
  }
  return false;
}

const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

/**
 * Whether a parsed JSON value holds a number anywhere (documents without one need no second look
 * at their text). Looks no deeper than `depth` levels: records nested deeper are rejected whole.
 */
export function holdsNumber(value: unknown, depth = 100): boolean {
  if (typeof value === "number") return true;
  if (typeof value !== "object" || value === null || depth === 0) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (holdsNumber(value[i], depth - 1)) return true;
    return false;
  }
  for (const key in value) if (holdsNumber((value as Record<string, unknown>)[key], depth - 1)) return true;
  return false;
}

/** The value of a number token as the keyword view keeps it (for streaming parsers that hand over the token's text). */
export function numberTokenValue(token: string): number | string {
  const value = Number(token);
  return String(value) === token ? value : token;
}
