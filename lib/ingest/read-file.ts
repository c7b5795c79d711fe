/**
 * Event file reader: the I/O adapter. Opens the file, undoes gzip, sniffs encoding and format,
 * and hands text/values to the pure parsers and normalisers. Nothing here holds a whole file:
 * every stage is an async iterator over chunks.
 */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { basename } from "node:path";
import { Readable, pipeline } from "node:stream";
import { createGunzip } from "node:zlib";
import { normalizeWinEvent } from "@/lib/ecs/normalize-winevent";
import { parseEvtxRecords } from "@/lib/evtx/reader";
import { convertJsonRecord, rejectRecord } from "@/lib/ingest/convert-record";
import { decodeText, detectEncoding, type DetectedEncoding } from "@/lib/ingest/decode-text";
import { isEvtx, isGzip, sniffText, tryParseJson, type JsonLayout } from "@/lib/ingest/detect-format";
import { streamJsonValues } from "@/lib/ingest/json-value-stream";
import { holdsNumber, quoteInexactNumbers } from "@/lib/ingest/number-text";
import { parseEventXml } from "@/lib/ingest/parse-event-xml";
import { RecordFieldError } from "@/lib/ingest/record-error";
import { splitLines } from "@/lib/ingest/split-lines";
import { UnreadableInputError, type InputFormat, type ReadResult, type RecordPosition } from "@/lib/ingest/types";
import { splitWindowsXml } from "@/lib/ingest/split-windows-xml";

export interface ReadOptions {
  /** skips detection; the layout (lines, array, …) is still read from the content */
  format?: InputFormat;
  /**
   * Reads ECS documents' numbers as Elasticsearch's keyword fields index them: those JavaScript
   * would write differently (21.0, 2.1e1) become strings of their text (see number-text.ts).
   * For evaluating the rule (the offline scan), not for storing: stored documents keep numbers.
   */
  numbersAsWritten?: boolean;
}

/** formats whose JSON documents reach Elasticsearch as they are (raw Windows formats are normalised first) */
const AS_IS_FORMATS = new Set<InputFormat>(["ecs-ndjson", "ecs-json", "es-search"]);

export async function* readEventFile(path: string, opts: ReadOptions = {}): AsyncIterable<ReadResult> {
  const name = basename(path);
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new UnreadableInputError(name, "not a regular file");
  } catch (e) {
    if (e instanceof UnreadableInputError) throw e;
    throw new UnreadableInputError(name, `cannot open (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  yield* readEventStream(createReadStream(path, { highWaterMark: 1 << 16 }), { ...opts, fileName: name });
}

/** Where a stream stopped early (a gzip member cut off): reported after the records before the cut. */
interface Truncation {
  reason: string;
  bytes: number;
}

export async function* readEventStream(
  source: AsyncIterable<Uint8Array>,
  opts: ReadOptions & { fileName: string; onFormat?: (format: InputFormat, compressed: boolean) => void },
): AsyncIterable<ReadResult> {
  const { fileName } = opts;
  let compressed = false;
  let input = await peekBytes(source, 4096, fileName);
  const cut: { value?: Truncation } = {};
  if (isGzip(input.head)) {
    compressed = true;
    const gunzipped = gunzipChunks(input.stream, fileName, cut);
    input = await peekBytes(gunzipped, 4096, fileName);
  } else if (/\.gz$/i.test(fileName) && input.head.length > 0) {
    throw new UnreadableInputError(fileName, "named .gz but not gzip-compressed (no 1f 8b magic)");
  }
  if (input.head.length === 0) {
    if (cut.value)
      yield rejectRecord(
        { index: 0, offset: 0 },
        `input ended early after ${cut.value.bytes} bytes (${cut.value.reason})`,
      );
    return;
  }
  if (opts.format === "evtx" || (!opts.format && isEvtx(input.head))) {
    opts.onFormat?.("evtx", compressed);
    yield* readEvtx(input.stream);
    return;
  }
  const encoding = detectEncoding(input.head);
  const text = await peekText(decodeText(input.stream, encoding.encoding), fileName);
  // only blank lines (peekText reads up to 64 KiB, so a shorter head is the whole text): like an empty file, no records
  if (text.head.length < 65536 && text.head.trim() === "") return;
  if (looksBinary(text.head))
    throw new UnreadableInputError(fileName, "binary data, not a Windows event export (EVTX, XML, JSON)");
  const sniffed = sniffText(text.head, fileName);
  if (!sniffed && !opts.format)
    throw new UnreadableInputError(
      fileName,
      `unknown format (first characters: ${JSON.stringify(text.head.slice(0, 40))})`,
    );
  const format = opts.format ?? sniffed!.format;
  opts.onFormat?.(format, compressed);
  if (format === "windows-xml") {
    yield* readWindowsXml(text.stream, encoding, cut);
    return;
  }
  const layout = sniffed?.layout ?? guessLayout(text.head);
  const numbersAsWritten = opts.numbersAsWritten === true && AS_IS_FORMATS.has(format);
  if (layout === "lines") yield* readJsonLines(text.stream, format, cut, numbersAsWritten);
  else yield* readJsonValues(text.stream, format, layout, cut, numbersAsWritten);
}

function guessLayout(head: string): JsonLayout {
  const t = head.trimStart();
  if (t.startsWith("[")) return "array";
  const nl = t.indexOf("\n");
  return tryParseJson(nl === -1 ? t : t.slice(0, nl)).ok ? "lines" : "values";
}

async function* readJsonLines(
  text: AsyncIterable<string>,
  format: InputFormat,
  cut: { value?: Truncation },
  numbersAsWritten: boolean,
): AsyncIterable<ReadResult> {
  let index = 0;
  for await (const line of splitLines(text)) {
    const trimmed = line.text.trim();
    if (!trimmed) continue;
    const position: RecordPosition = { index: index++, line: line.lineNo };
    if (!line.terminated && cut.value) {
      yield rejectRecord(
        position,
        `input ended early after ${cut.value.bytes} bytes, in the middle of this record (${cut.value.reason})`,
      );
      return;
    }
    const parsed = tryParseJson(trimmed);
    if (!parsed.ok) {
      yield rejectRecord(position, `invalid JSON (${parsed.error})`);
      continue;
    }
    let value = parsed.value;
    if (numbersAsWritten && holdsNumber(value)) {
      const quoted = quoteInexactNumbers(trimmed);
      if (quoted !== trimmed) value = JSON.parse(quoted);
    }
    yield convertJsonRecord(format, value, position, trimmed);
  }
  if (cut.value)
    yield rejectRecord({ index }, `input ended early after ${cut.value.bytes} bytes (${cut.value.reason})`);
}

async function* readJsonValues(
  text: AsyncIterable<string>,
  format: InputFormat,
  layout: Exclude<JsonLayout, "lines">,
  cut: { value?: Truncation },
  numbersAsWritten: boolean,
): AsyncIterable<ReadResult> {
  let index = 0;
  for await (const item of streamJsonValues(text, layout, { numbersAsWritten })) {
    const position: RecordPosition = { index: index++ };
    if (!item.ok) {
      yield rejectRecord(
        position,
        cut.value
          ? `input ended early after ${cut.value.bytes} bytes (${cut.value.reason})`
          : `invalid JSON (${item.error})`,
      );
      return;
    }
    yield convertJsonRecord(format, item.value, position);
  }
  if (cut.value)
    yield rejectRecord({ index }, `input ended early after ${cut.value.bytes} bytes (${cut.value.reason})`);
}

async function* readWindowsXml(
  text: AsyncIterable<string>,
  encoding: DetectedEncoding,
  cut: { value?: Truncation },
): AsyncIterable<ReadResult> {
  let index = 0;
  for await (const piece of splitWindowsXml(text, encoding)) {
    const position: RecordPosition = { index: index++, line: piece.line, offset: piece.offset };
    if (!piece.complete) {
      const why = cut.value
        ? `input ended early after ${cut.value.bytes} bytes (${cut.value.reason})`
        : "input ends inside this event (no </Event>)";
      yield rejectRecord(position, why);
      return;
    }
    try {
      const event = parseEventXml(piece.xml);
      yield { ok: true, position, document: normalizeWinEvent(event), original: piece.xml };
    } catch (e) {
      if (!(e instanceof RecordFieldError)) throw e;
      yield rejectRecord(position, e.message);
    }
  }
  if (cut.value)
    yield rejectRecord({ index }, `input ended early after ${cut.value.bytes} bytes (${cut.value.reason})`);
}

async function* readEvtx(bytes: AsyncIterable<Uint8Array>): AsyncIterable<ReadResult> {
  let index = 0;
  for await (const item of parseEvtxRecords(bytes)) {
    const position: RecordPosition = { index: index++, chunk: item.chunk, offset: item.offset };
    if (item.recordId !== undefined) position.recordId = item.recordId;
    if (!item.ok) {
      yield rejectRecord(position, item.reason);
      continue;
    }
    yield { ok: true, position, document: normalizeWinEvent(item.event), original: item.xml };
  }
}

function looksBinary(head: string): boolean {
  const sample = head.slice(0, 4096);
  if (sample.includes("\u0000")) return true;
  let bad = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if (c === 0xfffd || (c < 0x20 && c !== 9 && c !== 10 && c !== 13 && c !== 12)) bad++;
  }
  return bad > sample.length * 0.05;
}

interface Peeked<T> {
  head: T;
  stream: AsyncIterable<T>;
}

/** Reads at least `min` bytes (or to the end) and returns them plus a stream that replays them. */
async function peekBytes(
  source: AsyncIterable<Uint8Array>,
  min: number,
  fileName: string,
): Promise<Peeked<Uint8Array>> {
  const it = source[Symbol.asyncIterator]();
  const taken: Uint8Array[] = [];
  let size = 0;
  let done = false;
  try {
    while (size < min) {
      const r = await it.next();
      if (r.done) {
        done = true;
        break;
      }
      taken.push(r.value);
      size += r.value.length;
    }
  } catch (e) {
    if (e instanceof UnreadableInputError) throw e;
    throw new UnreadableInputError(fileName, `cannot read (${(e as Error).message})`);
  }
  const head = concatBytes(taken, size);
  async function* replay(): AsyncIterable<Uint8Array> {
    if (head.length) yield head;
    if (done) return;
    for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
  }
  return { head, stream: replay() };
}

/** Decodes until the head holds a full first line (or 1 MiB), so detection sees a complete record. */
async function peekText(source: AsyncIterable<string>, fileName: string): Promise<Peeked<string>> {
  const it = source[Symbol.asyncIterator]();
  let head = "";
  let done = false;
  try {
    while (head.length < 65536 || (!head.trimStart().includes("\n") && head.length < 1 << 20)) {
      const r = await it.next();
      if (r.done) {
        done = true;
        break;
      }
      head += r.value;
    }
  } catch (e) {
    if (e instanceof UnreadableInputError) throw e;
    throw new UnreadableInputError(fileName, `cannot read (${(e as Error).message})`);
  }
  async function* replay(): AsyncIterable<string> {
    if (head) yield head;
    if (done) return;
    for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
  }
  return { head, stream: replay() };
}

function concatBytes(parts: Uint8Array[], size: number): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Streams gzip (multi-member too, as `cat a.gz b.gz` makes). A stream that fails before giving any
 * byte is not gzip at all → UnreadableInputError; one cut off later keeps what it gave and records
 * the cut in `cut`, so the caller can report it after the last good record.
 */
async function* gunzipChunks(
  source: AsyncIterable<Uint8Array>,
  fileName: string,
  cut: { value?: Truncation },
): AsyncIterable<Uint8Array> {
  const gunzip = createGunzip();
  pipeline(Readable.from(source), gunzip, () => {});
  let bytes = 0;
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      yield new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length);
    }
  } catch (e) {
    const reason = (e as Error).message;
    if (bytes === 0) throw new UnreadableInputError(fileName, `gzip stream is unreadable (${reason})`);
    cut.value = { reason: `gzip: ${reason}`, bytes };
  }
}
