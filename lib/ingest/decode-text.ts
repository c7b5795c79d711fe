/**
 * Byte → text decoding for event exports. Windows PowerShell 5's `>` and `Out-File` write
 * UTF-16LE with a BOM; wevtutil and most Linux tools write UTF-8 (sometimes with a BOM).
 * Pure: TextDecoder is a web-platform global, no Node I/O here.
 */

export type TextEncodingName = "utf-8" | "utf-16le" | "utf-16be";

export interface DetectedEncoding {
  encoding: TextEncodingName;
  /** bytes taken by the byte-order mark, if any */
  bomLength: number;
}

/** Sniffs the BOM; without one, guesses UTF-16 from NUL bytes in ASCII text (`{\0"\0`), else UTF-8. */
export function detectEncoding(head: Uint8Array): DetectedEncoding {
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf)
    return { encoding: "utf-8", bomLength: 3 };
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return { encoding: "utf-16le", bomLength: 2 };
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return { encoding: "utf-16be", bomLength: 2 };
  if (head.length >= 4 && head[0] !== 0 && head[1] === 0 && head[2] !== 0 && head[3] === 0)
    return { encoding: "utf-16le", bomLength: 0 };
  if (head.length >= 4 && head[0] === 0 && head[1] !== 0 && head[2] === 0 && head[3] !== 0)
    return { encoding: "utf-16be", bomLength: 0 };
  return { encoding: "utf-8", bomLength: 0 };
}

/** Streams decoded text; the BOM is dropped, a character split across chunks is kept whole. */
export async function* decodeText(
  source: AsyncIterable<Uint8Array>,
  encoding: TextEncodingName,
): AsyncIterable<string> {
  // ignoreBOM: false → TextDecoder strips a leading BOM of its own encoding (WHATWG Encoding §10.2).
  const decoder = new TextDecoder(encoding, { fatal: false, ignoreBOM: false });
  for await (const chunk of source) {
    const text = decoder.decode(chunk, { stream: true });
    if (text) yield text;
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

/** Bytes `text` occupies in `encoding`: what RecordPosition.offset counts. */
export function measureBytes(text: string, encoding: TextEncodingName): number {
  if (encoding !== "utf-8") return text.length * 2;
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}
