/**
 * Whether a JSON text is already what `JSON.stringify` writes for the value `JSON.parse` reads
 * from it, so that an NDJSON line can be stored and hashed as it is instead of being serialised
 * again (the ingest's largest cost after parsing). Pure.
 *
 * Conservative: it says no to anything it cannot vouch for with one pass over the characters —
 * whitespace between tokens, numbers other than short integers, escapes JSON.stringify would not
 * write (`\/`, `\u0041`, upper-case hex, surrogates), keys that start with a digit (V8 puts
 * array-index keys first, whatever their place in the text). Repeated keys are the one thing a
 * pass over the text cannot see: JSON.parse keeps one of them, so the caller compares the member
 * count returned here with the parsed value's (see `countMembers`).
 */

const QUOTE = 0x22;
const COLON = 0x3a;
const SURROGATE = /[\ud800-\udfff]/;

/** Members (key/value pairs) in the text when it is in JSON.stringify's form, else -1. The text must be valid JSON. */
export function stringifiedMemberCount(text: string): number {
  // JSON.stringify escapes lone surrogates; pairs are rare enough not to tell the two apart here
  if (SURROGATE.test(text)) return -1;
  const n = text.length;
  let members = 0;
  let i = 0;
  // valid JSON has backslashes only inside strings: the next one is looked up once, not per character
  let backslash = text.indexOf("\\");
  if (backslash < 0) backslash = n;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const start = i;
      i++;
      for (;;) {
        const quote = text.indexOf('"', i);
        if (quote < 0) return -1;
        if (quote < backslash) {
          i = quote + 1;
          break;
        }
        i = backslash;
        const escaped = text.charCodeAt(i + 1);
        if (escaped === 0x75 /* u */) {
          // JSON.stringify writes \u only for control characters without a short escape, in lower-case hex
          if (text.charCodeAt(i + 2) !== 0x30 || text.charCodeAt(i + 3) !== 0x30) return -1;
          const high = text.charCodeAt(i + 4);
          const low = text.charCodeAt(i + 5);
          if (high !== 0x30 && high !== 0x31) return -1;
          const lowValue = low >= 0x30 && low <= 0x39 ? low - 0x30 : low >= 0x61 && low <= 0x66 ? low - 0x61 + 10 : -1;
          if (lowValue < 0) return -1;
          const v = (high - 0x30) * 16 + lowValue;
          if (v === 0x08 || v === 0x09 || v === 0x0a || v === 0x0c || v === 0x0d) return -1;
          i += 6;
        } else {
          // \" \\ \b \f \n \r \t are JSON.stringify's own; \/ is not
          if (escaped === 0x2f) return -1;
          i += 2;
        }
        backslash = text.indexOf("\\", i);
        if (backslash < 0) backslash = n;
      }
      if (text.charCodeAt(i) === COLON) {
        const first = text.charCodeAt(start + 1);
        if (first >= 0x30 && first <= 0x39) return -1;
        members++;
        i++;
      }
      continue;
    }
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      // integers of up to 15 digits come back as written; "-0", fractions and exponents may not
      if (c === 0x2d) i++;
      const digits = i;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d < 0x30 || d > 0x39) break;
        i++;
      }
      const next = text.charCodeAt(i);
      if (next === 0x2e || next === 0x65 || next === 0x45) return -1;
      const length = i - digits;
      if (length > 15 || (length > 1 && text.charCodeAt(digits) === 0x30)) return -1;
      if (c === 0x2d && length === 1 && text.charCodeAt(digits) === 0x30) return -1;
      continue;
    }
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) return -1;
    i++;
  }
  return members;
}

/** Members of every object in a parsed JSON value. */
export function countMembers(value: unknown): number {
  if (typeof value !== "object" || value === null) return 0;
  let members = 0;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) members += countMembers(value[i]);
    return members;
  }
  for (const key in value) {
    members += 1 + countMembers((value as Record<string, unknown>)[key]);
  }
  return members;
}
