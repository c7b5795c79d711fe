/**
 * Contract between the file readers (lib/ingest, lib/evtx) and their consumers
 * (the offline `detect` CLI, the ingest service that stores events).
 */
import type { EcsDocument } from "@/lib/ecs/document";

/**
 * Every input format, in the order the upload picker, the API's `format=` and the CLIs' `--format`
 * list them. Format detection returns one of these.
 */
export const INPUT_FORMATS = [
  "ecs-ndjson", // one ECS document per line
  "ecs-json", // a JSON array of ECS documents (or a single document)
  "es-search", // Elasticsearch `_search` response / Kibana / elasticdump export (hits.hits[]._source)
  "windows-xml", // wevtutil qe /f:xml, Get-WinEvent | % ToXml, evtxexport -f xml
  "nxlog-json", // NXLog im_msvistalog + to_json, one flattened event per line
  "evtx-json", // evtx→JSON converters: { Event: { System, EventData } }
  "evtx", // binary .evtx
] as const;

export type InputFormat = (typeof INPUT_FORMATS)[number];

export function isInputFormat(value: string): value is InputFormat {
  return (INPUT_FORMATS as readonly string[]).includes(value);
}

/** Where a record sits in its file: what an error message names. */
export interface RecordPosition {
  /** 0-based index of the record among the records of its file (what `detect --json` reports as `index`) */
  index: number;
  /** 1-based line number for line-oriented formats */
  line?: number;
  /** byte offset of the record's start in the (decompressed) file */
  offset?: number;
  /** EVTX: chunk number and record id */
  chunk?: number;
  recordId?: number;
}

export interface ParsedRecord {
  ok: true;
  position: RecordPosition;
  /** the normalised ECS document */
  document: EcsDocument;
  /** Elasticsearch `_id` / `_index` when the source carried them */
  sourceId?: string;
  sourceIndex?: string;
  /** the original record as read (parsed JSON, or the XML text of the event) */
  original: unknown;
  /** the JSON text `document` was parsed from, when the document is that text's value (NDJSON lines) */
  text?: string;
}

export interface RejectedRecord {
  ok: false;
  position: RecordPosition;
  /** what is wrong, naming the field where there is one: "line 7: invalid JSON (Unexpected token } at column 12)" */
  reason: string;
}

export type ReadResult = ParsedRecord | RejectedRecord;

/** Thrown when a file as a whole cannot be read (unknown format, not gzip though named .gz, binary garbage). */
export class UnreadableInputError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = "UnreadableInputError";
  }
}
