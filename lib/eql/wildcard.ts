/**
 * EQL wildcard patterns (`:`, `like`, `wildcard()`): `*` is any sequence (also empty),
 * `?` exactly one character; both match the whole value. Elastic's
 * `StringUtils.toLikePattern` escapes with a character that cannot occur in the
 * pattern, so `*` and `?` can never be escaped and `\` is an ordinary character.
 */

export function hasWildcard(pattern: string): boolean {
  return pattern.includes("*") || pattern.includes("?");
}

const REGEX_SPECIAL = /[.*+?^${}()|[\]\\/]/g;

export function escapeRegExp(s: string): string {
  return s.replace(REGEX_SPECIAL, "\\$&");
}

/** Compile to a predicate on the value; case-insensitive lowercases both sides (as Postgres `lower()` does). */
export function compileWildcard(pattern: string, caseInsensitive: boolean): (value: string) => boolean {
  const p = caseInsensitive ? pattern.toLowerCase() : pattern;
  if (!hasWildcard(p)) return caseInsensitive ? (v) => v.toLowerCase() === p : (v) => v === p;
  let source = "";
  for (const ch of p) {
    if (ch === "*") source += "[^]*";
    else if (ch === "?") source += "[^]";
    else source += escapeRegExp(ch);
  }
  // `u`: `?` is one code point, as in Lucene's automaton and Postgres `_`
  const re = new RegExp(`^${source}$`, "u");
  return caseInsensitive ? (v) => re.test(v.toLowerCase()) : (v) => re.test(v);
}

/** The pattern as a Postgres LIKE pattern with `\` as escape character. */
export function wildcardToLike(pattern: string): string {
  let out = "";
  for (const ch of pattern) {
    if (ch === "*") out += "%";
    else if (ch === "?") out += "_";
    else if (ch === "%" || ch === "_" || ch === "\\") out += `\\${ch}`;
    else out += ch;
  }
  return out;
}
