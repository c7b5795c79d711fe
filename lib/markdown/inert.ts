/**
 * Attacker-controlled strings (consumer names, command lines, filter queries, case titles) written
 * into Markdown so that no renderer can read them as markup. Follows CommonMark 0.31.2 and GFM 0.29:
 *
 * - Lines are split before any inline parsing (CommonMark §2.2: LF, CR and CRLF all end a line),
 *   so a lone CR inside a code span still starts a new block (`# heading`, `[link](…)`). Every
 *   C0 control and DEL is therefore replaced by its Unicode control picture (U+2400 + code,
 *   U+2421 for DEL): the value stays on one line and the reader still sees where the control was.
 * - Inside a code span nothing is parsed except the closing backtick run (§6.1), so a fence one
 *   backtick longer than the longest run in the value cannot be closed early. Backslash escapes
 *   are not enough outside code: GFM's autolink literals (`www.x`, `https://x`, `a@x`, GFM §6.9)
 *   are found in the text after escapes are resolved (cmark-gfm and remark-gfm alike), so every
 *   attacker string, case titles included, goes into a code span or a fenced block.
 * - GFM tables split rows on `|` before inline parsing, even inside code spans, and `\|` is the
 *   one escape GFM honours there (GFM §4.10); outside a table `\|` inside a code span would show
 *   its backslash, hence the `table` option. The row splitter pairs backslashes left to right, so
 *   an odd run of backslashes right before a `|` would pair with the escape and free the pipe: such
 *   a run gets one more backslash, and the cell shows one backslash more than the value has there
 *   (GFM has no way to write it exactly; the JSON export carries the exact value).
 */

const CONTROL = /[\u0000-\u001f\u007f]/g;

/** C0 controls and DEL as their visible control pictures (LF → ␊, CR → ␍, TAB → ␉, NUL → ␀). */
export function controlPictures(value: string): string {
  return value.replace(CONTROL, (c) => {
    const code = c.charCodeAt(0);
    return String.fromCharCode(code === 0x7f ? 0x2421 : 0x2400 + code);
  });
}

export type CodeOptions = {
  /** the span sits in a GFM table cell, where `|` must be escaped even inside code */
  table?: boolean;
  /** what to write for null, undefined or "" (a code span cannot be empty) */
  empty?: string;
};

/** A code span showing the value exactly, controls made visible, on one line. */
export function inertCode(value: string | number | null | undefined, options: CodeOptions = {}): string {
  const empty = options.empty ?? "—";
  if (value === null || value === undefined || value === "") return empty;
  let text = controlPictures(String(value));
  if (options.table) text = text.replace(/(\\*)\|/g, (_, run: string) => `${run}${run.length % 2 ? "\\" : ""}\\|`);
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((m) => m.length));
  const fence = "`".repeat(longest + 1);
  // one space each side is stripped when both are present (§6.1): pad when the value has a
  // backtick at an edge (it would join the fence) or a space at both (one would be stripped)
  const pad = /^`|`$/.test(text) || /^ [^]*[^ ][^]* $/.test(text) ? " " : "";
  return `${fence}${pad}${text}${pad}${fence}`;
}

/**
 * A fenced code block for multi-line text (notes, comments, scripts): shown, never rendered. The
 * fence is longer than any backtick run in the text, so no line of the text can close it (§4.5);
 * CRLF and lone CR become LF so every renderer sees the same lines; other controls but TAB are shown.
 */
export function inertBlock(text: string, info = "text"): string {
  const lines = text.replace(/\r\n?/g, "\n");
  const shown = lines.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, (c) => controlPictures(c));
  const longest = Math.max(2, ...(shown.match(/`+/g) ?? []).map((m) => m.length));
  const fence = "`".repeat(longest + 1);
  return `${fence}${info}\n${shown}\n${fence}`;
}
