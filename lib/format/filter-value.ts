import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";

/**
 * How a host, user or consumer filter is written in the alerts page's URL, and read back.
 * Typed by an analyst it is KQL-like: case-insensitive, `*` matches any run of characters, `\*`
 * and `\\` are a literal star and backslash. Built by the UI from an event's value (a group-by or
 * "only this host" link) it must match exactly that value: stars and backslashes are escaped,
 * and a value that is long (a 20,000-character consumer name would make the URL exceed header
 * limits — HTTP 431) or that holds whitespace at its ends or invisible characters (which the
 * URL's trimming or a case-insensitive match would blur into a look-alike) is sent as
 * `sha256:<hex>` of its exact UTF-8 text, matched exactly by the server.
 * Pure: the server and the browser share it.
 */

export const HASH_PREFIX = "sha256:";
/** longer typed or built values go as their hash */
export const MAX_FILTER_TEXT = 200;

const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u00a0\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]/;

export function sha256Hex(value: string): string {
  return bytesToHex(sha256(utf8ToBytes(value)));
}

/** The URL value that selects exactly the alerts whose field is `value`. */
export function exactFilterValue(value: string): string {
  const escaped = value.replace(/[\\*]/g, (c) => `\\${c}`);
  if (escaped.length > MAX_FILTER_TEXT || value !== value.trim() || INVISIBLE.test(value))
    return `${HASH_PREFIX}${sha256Hex(value)}`;
  return escaped;
}

export type FilterMatch =
  | { kind: "sha256"; hex: string }
  /** compare lower-cased */
  | { kind: "equals"; value: string }
  /** a LIKE pattern (`\` escapes), compare lower-cased */
  | { kind: "like"; pattern: string };

/** A filter value from the URL (already trimmed) as what the server compares. */
export function parseFilterValue(raw: string): FilterMatch {
  const hashed = /^sha256:([0-9a-f]{64})$/i.exec(raw);
  if (hashed) return { kind: "sha256", hex: hashed[1].toLowerCase() };
  // too long to be typed on purpose: still filters (exactly), never silently dropped
  if (raw.length > MAX_FILTER_TEXT * 5) return { kind: "sha256", hex: sha256Hex(raw) };
  let pattern = "";
  let literal = "";
  let wildcard = false;
  for (let i = 0; i < raw.length; i++) {
    let c = raw[i];
    if (c === "*") {
      wildcard = true;
      pattern += "%";
      continue;
    }
    if (c === "\\" && i + 1 < raw.length) c = raw[++i];
    literal += c;
    pattern += /[\\%_]/.test(c) ? `\\${c}` : c;
  }
  return wildcard ? { kind: "like", pattern } : { kind: "equals", value: literal };
}
