/**
 * Streaming JSON reader for documents that are not one-per-line: a JSON array of documents, a
 * pretty-printed document (or several concatenated), or an Elasticsearch `_search` response whose
 * `hits.hits` array is streamed element by element. Node adapter: stream-json works on node:stream,
 * so this file is the I/O side; the values it yields go to the pure converters.
 */
import { Readable, Transform, pipeline } from "node:stream";
import StreamJson from "stream-json";
import Pick from "stream-json/filters/Pick.js";
import StreamArray from "stream-json/streamers/StreamArray.js";
import StreamValues from "stream-json/streamers/StreamValues.js";
import type { JsonLayout } from "@/lib/ingest/detect-format";
import { numberTokenValue } from "@/lib/ingest/number-text";

export type JsonValueItem = { ok: true; value: unknown } | { ok: false; error: string };

/**
 * Hands a number token JavaScript would write differently from its text (21.0, 2.1e1) on as a
 * string token holding that text: the keyword view of numbers (see number-text.ts).
 */
function inexactNumbersAsText(): Transform {
  return new Transform({
    objectMode: true,
    transform(token: { name: string; value?: unknown }, _encoding, done) {
      if (token.name === "numberValue" && typeof numberTokenValue(token.value as string) === "string")
        done(null, { name: "stringValue", value: token.value });
      else done(null, token);
    },
  });
}

export async function* streamJsonValues(
  text: AsyncIterable<string>,
  layout: Exclude<JsonLayout, "lines">,
  opts: { numbersAsWritten?: boolean } = {},
): AsyncIterable<JsonValueItem> {
  const stages: NodeJS.ReadWriteStream[] = [StreamJson.parser({ jsonStreaming: true })];
  if (opts.numbersAsWritten) stages.push(inexactNumbersAsText());
  if (layout === "search-response") stages.push(Pick.pick({ filter: "hits.hits" }), StreamArray.streamArray());
  else if (layout === "array") stages.push(StreamArray.streamArray());
  else stages.push(StreamValues.streamValues());
  const streams = [Readable.from(text), ...stages] as NodeJS.ReadWriteStream[];
  // pipeline() destroys every stage on error, so the iteration below sees a parse error as a rejection.
  const tail = (pipeline as unknown as (...s: unknown[]) => NodeJS.ReadableStream)(...streams, () => {});
  try {
    for await (const item of tail as AsyncIterable<{ key: number; value: unknown }>)
      yield { ok: true, value: item.value };
  } catch (e) {
    yield { ok: false, error: (e as Error).message };
  }
}
