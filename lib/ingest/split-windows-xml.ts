/**
 * Finds `<Event …>…</Event>` elements in a stream of Windows event XML text, whatever wraps them:
 * `wevtutil qe /f:xml` (concatenated, no root), `Get-WinEvent | % ToXml` (one per line or
 * pretty-printed), `evtxexport -f xml` (inside `<Events>`). Each event is handed on alone, so the
 * file is never parsed as one document. Pure.
 */
import { measureBytes, type DetectedEncoding } from "@/lib/ingest/decode-text";

export interface XmlEventPiece {
  xml: string;
  /** 1-based line of `<Event` */
  line: number;
  /** byte offset of `<Event` in the decoded file (BOM included) */
  offset: number;
  /** false when the text ended before `</Event>` */
  complete: boolean;
}

const CLOSE = "</Event>";
// `<Event` followed by whitespace, `>` or `/`: not `<Events>`, `<EventData>`, `<EventID>`.
const OPEN = /<Event[\s>/]/g;

export async function* splitWindowsXml(
  text: AsyncIterable<string>,
  encoding: DetectedEncoding,
): AsyncIterable<XmlEventPiece> {
  let buf = "";
  let bufOffset = encoding.bomLength; // bytes before buf[0]
  let bufLine = 1; // line of buf[0]
  for await (const chunk of text) {
    buf += chunk;
    for (;;) {
      OPEN.lastIndex = 0;
      const open = OPEN.exec(buf);
      if (!open) {
        // keep a tail long enough to hold a `<Event` split across chunks
        const keep = Math.max(0, buf.length - 7);
        ({ bufOffset, bufLine } = advance(buf.slice(0, keep), bufOffset, bufLine, encoding));
        buf = buf.slice(keep);
        break;
      }
      const close = buf.indexOf(CLOSE, open.index);
      if (close === -1) {
        if (open.index > 0) {
          ({ bufOffset, bufLine } = advance(buf.slice(0, open.index), bufOffset, bufLine, encoding));
          buf = buf.slice(open.index);
        }
        break;
      }
      const before = advance(buf.slice(0, open.index), bufOffset, bufLine, encoding);
      const end = close + CLOSE.length;
      const xml = buf.slice(open.index, end);
      yield { xml, line: before.bufLine, offset: before.bufOffset, complete: true };
      ({ bufOffset, bufLine } = advance(xml, before.bufOffset, before.bufLine, encoding));
      buf = buf.slice(end);
    }
  }
  OPEN.lastIndex = 0;
  const open = OPEN.exec(buf);
  if (open) {
    const before = advance(buf.slice(0, open.index), bufOffset, bufLine, encoding);
    yield { xml: buf.slice(open.index), line: before.bufLine, offset: before.bufOffset, complete: false };
  }
}

function advance(
  consumed: string,
  bufOffset: number,
  bufLine: number,
  encoding: DetectedEncoding,
): { bufOffset: number; bufLine: number } {
  let lines = 0;
  for (let i = consumed.indexOf("\n"); i !== -1; i = consumed.indexOf("\n", i + 1)) lines++;
  return { bufOffset: bufOffset + measureBytes(consumed, encoding.encoding), bufLine: bufLine + lines };
}
