/** Line splitting for NDJSON-like exports (LF or CRLF line ends). Pure. */

export interface TextLine {
  /** the line without its terminator */
  text: string;
  /** 1-based */
  lineNo: number;
  /** false for a last line that had no terminator (possibly cut off) */
  terminated: boolean;
}

export async function* splitLines(chunks: AsyncIterable<string>): AsyncIterable<TextLine> {
  let carry = "";
  let lineNo = 0;
  for await (const chunk of chunks) {
    const text = carry ? carry + chunk : chunk;
    let start = 0;
    let nl = text.indexOf("\n", start);
    while (nl !== -1) {
      const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      yield { text: text.slice(start, end), lineNo: ++lineNo, terminated: true };
      start = nl + 1;
      nl = text.indexOf("\n", start);
    }
    carry = text.slice(start);
  }
  if (carry) {
    const text = carry.endsWith("\r") ? carry.slice(0, -1) : carry;
    yield { text, lineNo: ++lineNo, terminated: false };
  }
}
