/**
 * Turns one parsed record of a known format into a ReadResult. Pure: the I/O side hands it values.
 */
import { normalizeWinEvent } from "@/lib/ecs/normalize-winevent";
import { isObject } from "@/lib/ingest/detect-format";
import { convertEvtxJson } from "@/lib/ingest/evtx-json-to-winevent";
import { convertNxlogRecord } from "@/lib/ingest/nxlog-to-winevent";
import { RecordFieldError, describePosition } from "@/lib/ingest/record-error";
import type { InputFormat, ReadResult, RecordPosition } from "@/lib/ingest/types";

export function rejectRecord(position: RecordPosition, reason: string): ReadResult {
  return { ok: false, position, reason: `${describePosition(position)}: ${reason}` };
}

/**
 * How deeply objects and arrays may nest in a record. Elasticsearch refuses far less (its
 * `index.mapping.depth.limit` is 20 objects); the limit here only keeps one hostile record from
 * exhausting the stack of everything that walks documents after it (normalisation, the
 * evaluator, jsonb), so that it is rejected alone.
 */
export const MAX_RECORD_DEPTH = 100;

/** Whether arrays and objects nest more than `limit` levels in `value` (the recursion stops at the limit). */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  if (typeof value !== "object" || value === null) return false;
  if (limit === 0) return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (nestsDeeperThan(value[i], limit - 1)) return true;
    return false;
  }
  for (const key in value) if (nestsDeeperThan((value as Record<string, unknown>)[key], limit - 1)) return true;
  return false;
}

/** `raw` is the record's source text when there is one (NXLog's 64-bit Keywords need it). */
export function convertJsonRecord(
  format: InputFormat,
  value: unknown,
  position: RecordPosition,
  raw?: string,
): ReadResult {
  try {
    if (nestsDeeperThan(value, MAX_RECORD_DEPTH))
      throw new RecordFieldError(`nested more than ${MAX_RECORD_DEPTH} levels deep`);
    switch (format) {
      case "es-search": {
        if (!isObject(value)) throw new RecordFieldError("not a JSON object");
        if (!("_source" in value)) throw new RecordFieldError("_source is missing");
        if (!isObject(value._source)) throw new RecordFieldError("_source is not an object");
        const result: ReadResult = { ok: true, position, document: value._source, original: value };
        if (typeof value._id === "string" || typeof value._id === "number") result.sourceId = String(value._id);
        if (typeof value._index === "string") result.sourceIndex = value._index;
        return result;
      }
      case "evtx-json":
        if (!isObject(value)) throw new RecordFieldError("not a JSON object");
        return { ok: true, position, document: normalizeWinEvent(convertEvtxJson(value)), original: value };
      case "nxlog-json":
        if (!isObject(value)) throw new RecordFieldError("not a JSON object");
        {
          const { event, hints } = convertNxlogRecord(value, raw);
          return { ok: true, position, document: normalizeWinEvent(event, hints), original: value };
        }
      default:
        // ECS documents are stored as they are (Elasticsearch accepts dotted keys and objects alike).
        if (!isObject(value)) throw new RecordFieldError("not a JSON object");
        return raw === undefined
          ? { ok: true, position, document: value, original: value }
          : { ok: true, position, document: value, original: value, text: raw };
    }
  } catch (e) {
    if (e instanceof RecordFieldError) return rejectRecord(position, e.message);
    throw e;
  }
}
