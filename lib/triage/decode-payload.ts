/**
 * Decodes what a WMI consumer hides: PowerShell's `-EncodedCommand` (base64 of UTF-16LE, see
 * `powershell.exe -?`: "-EncodedCommand Accepts a base-64-encoded string version of a command")
 * and other long base64 blobs. Attacker text is only decoded to text for display, never run.
 */

export type PayloadKind = "powershell-encoded" | "base64" | "script";

export interface DecodedPayload {
  kind: PayloadKind;
  /** the text as found (the base64 or the inline script) */
  source: string;
  /** decoded text; control characters shown as `\xNN` */
  decoded: string;
  /** set when decoding failed; `decoded` is then empty */
  error?: string;
  /** set when the bytes are binary: what they look like; `decoded` then holds their printable strings */
  note?: string;
  /** 0 for the input text, 1 for a payload found inside a decoded payload, … */
  depth: number;
}

const MAX_DEPTH = 3;

/**
 * PowerShell's parameter binder accepts any unambiguous prefix of a parameter name, with `-` or
 * `/`; `-e`, `-en`, `-enc` … `-encodedcommand` and the alias `-ec` all select EncodedCommand.
 * (`-ex` is ExecutionPolicy, so it is excluded because it is not a prefix of "encodedcommand".)
 */
const ENCODED_SWITCH =
  /(?:^|[\s"'])[-/\u2013\u2014](ec|e(?:n(?:c(?:o(?:d(?:e(?:d(?:c(?:o(?:m(?:m(?:a(?:n(?:d)?)?)?)?)?)?)?)?)?)?)?)?)?)(?=[\s:"'])[\s:]*(["']?)([^\s"']*)\2/gi;
const COMMAND_SWITCH = /(?:^|[\s"'])[-/](?:c|co|com|comm|comma|comman|command)\s+(["']?)([\s\S]+?)\1\s*$/i;
const BARE_BASE64 = /(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{40,}={0,2}/g;
const FROM_BASE64_CALL = /FromBase64String\(\s*["']([^"']*)["']\s*\)/gi;

function showControlChars(text: string): string {
  // keep tab, LF, CR; everything else below 0x20 (and DEL) would vanish or break the UI
  return text.replace(
    /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g,
    (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`,
  );
}

type Bytes = { ok: true; bytes: Uint8Array } | { ok: false; error: string };

function decodeBase64Strict(text: string): Bytes {
  const compact = text.replace(/\s+/g, "");
  if (compact.length === 0) return { ok: false, error: "empty base64" };
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) {
    const bad = compact.match(/[^A-Za-z0-9+/=]/)?.[0];
    return { ok: false, error: `invalid base64: character ${JSON.stringify(bad ?? "=")} is not allowed` };
  }
  // Convert.FromBase64String (what powershell.exe uses) rejects lengths that are not a multiple of 4
  if (compact.length % 4 !== 0)
    return { ok: false, error: `invalid base64: length ${compact.length} is not a multiple of 4` };
  return { ok: true, bytes: new Uint8Array(Buffer.from(compact, "base64")) };
}

function isMostlyPrintable(text: string): boolean {
  if (text.length === 0) return false;
  let printable = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c === 9 || c === 10 || c === 13 || (c >= 0x20 && c !== 0x7f && c !== 0xfffd)) printable++;
  }
  return printable / text.length >= 0.9;
}

function decodeUtf16le(bytes: Uint8Array): { ok: true; text: string } | { ok: false; error: string } {
  if (bytes.length % 2 !== 0) return { ok: false, error: `not UTF-16LE: odd byte count ${bytes.length}` };
  return { ok: true, text: new TextDecoder("utf-16le").decode(bytes) };
}

/** Runs of 6+ printable ASCII characters, as `strings` shows them. */
function extractStrings(bytes: Uint8Array, limit = 4000): string {
  const runs = new TextDecoder("latin1").decode(bytes).match(/[\x20-\x7e\t]{6,}/g) ?? [];
  const joined = runs.join("\n");
  return joined.length > limit ? `${joined.slice(0, limit)}\n…` : joined;
}

/**
 * Bare base64 may be UTF-8 text, UTF-16LE text, or binary (a .NET BinaryFormatter blob as in
 * DotNetToJScript/GadgetToJScript stagers, a PE): say which, and show binary as its strings.
 */
function decodeBareBase64(bytes: Uint8Array): { text: string; note?: string } {
  const hasNul = bytes.includes(0);
  const utf8 = new TextDecoder("utf-8").decode(bytes);
  if (!hasNul && isMostlyPrintable(utf8)) return { text: utf8 };
  const utf16 = decodeUtf16le(bytes);
  if (utf16.ok && isMostlyPrintable(utf16.text)) return { text: utf16.text };
  const head = Array.from(bytes.slice(0, 16), (b) => b.toString(16).padStart(2, "0")).join(" ");
  const kind =
    bytes[0] === 0x4d && bytes[1] === 0x5a
      ? ", an MZ executable header"
      : bytes[0] === 0x00 && bytes[1] === 0x01 && bytes[5] === 0xff
        ? ", a .NET BinaryFormatter stream"
        : "";
  return { text: extractStrings(bytes), note: `binary data (${bytes.length} bytes, starts ${head}${kind})` };
}

function decodeAt(text: string, depth: number, out: DecodedPayload[]): void {
  if (depth >= MAX_DEPTH) return;
  const taken = new Set<string>();

  const looksLikePowerShell = /powershell|pwsh/i.test(text);
  for (const m of text.matchAll(ENCODED_SWITCH)) {
    const source = m[3];
    taken.add(source);
    // `/e:on` of cmd.exe and the like: only complain about a bad value where PowerShell is named
    if (!looksLikePowerShell && decodeBase64Strict(source).ok === false) continue;
    if (source.length === 0) {
      out.push({
        kind: "powershell-encoded",
        source,
        decoded: "",
        error: `-${m[1]} is not followed by a value`,
        depth,
      });
      continue;
    }
    const raw = decodeBase64Strict(source);
    if (!raw.ok) {
      out.push({ kind: "powershell-encoded", source, decoded: "", error: raw.error, depth });
      continue;
    }
    const utf16 = decodeUtf16le(raw.bytes);
    if (!utf16.ok) {
      out.push({ kind: "powershell-encoded", source, decoded: "", error: utf16.error, depth });
      continue;
    }
    out.push({ kind: "powershell-encoded", source, decoded: showControlChars(utf16.text), depth });
    decodeAt(utf16.text, depth + 1, out);
  }

  // a FromBase64String argument is base64 by intent (report it if broken); a bare run only if it
  // looks like base64 and not like a long identifier (DisableActivitySurrogateSelectorTypeCheck)
  const candidates = [...text.matchAll(FROM_BASE64_CALL)].map((m) => ({ source: m[1], explicit: true }));
  for (const m of text.matchAll(BARE_BASE64)) {
    const s = m[0];
    if (s.length % 4 === 0 && /[0-9+/]/.test(s) && /[a-z]/.test(s) && /[A-Z]/.test(s))
      candidates.push({ source: s, explicit: false });
  }
  for (const { source, explicit } of candidates) {
    if (taken.has(source)) continue;
    taken.add(source);
    const raw = decodeBase64Strict(source);
    if (!raw.ok) {
      if (explicit) out.push({ kind: "base64", source, decoded: "", error: raw.error, depth });
      continue;
    }
    const { text: decoded, note } = decodeBareBase64(raw.bytes);
    out.push({ kind: "base64", source, decoded: showControlChars(decoded), ...(note ? { note } : {}), depth });
    if (decoded && !note) decodeAt(decoded, depth + 1, out);
  }
}

/** Every payload found in a command line or script, in the order found; never throws on bad input. */
export function decodePayloads(text: string): DecodedPayload[] {
  const out: DecodedPayload[] = [];
  const inline = COMMAND_SWITCH.exec(text);
  if (inline && !new RegExp(ENCODED_SWITCH.source, "i").test(text)) {
    out.push({ kind: "script", source: inline[2], decoded: showControlChars(inline[2]), depth: 0 });
  }
  decodeAt(text, 0, out);
  return out;
}
