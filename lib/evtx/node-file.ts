/**
 * Node I/O adapter for the pure reader: the only file in lib/evtx that touches the file system.
 */
import { createReadStream } from "node:fs";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { parseEvtxRecords, type EvtxReadOptions, type EvtxRecordResult } from "./reader";

/** Streams a file in 64 KiB pieces so the reader holds one chunk at a time. */
export function openEvtxStream(file: string): AsyncIterable<Uint8Array> {
  return createReadStream(file, { highWaterMark: 65536 });
}

export function readEvtxFile(file: string, opts?: EvtxReadOptions): AsyncIterable<EvtxRecordResult> {
  return parseEvtxRecords(openEvtxStream(file), opts);
}

/** Every `.evtx` below `dir`, sorted, as absolute paths. */
export async function listEvtxFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.toLowerCase().endsWith(".evtx"))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}
