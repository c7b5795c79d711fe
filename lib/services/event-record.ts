import { hash } from "node:crypto";
import { canonicalizeDocument } from "@/lib/eql/fields";
import { countMembers, stringifiedMemberCount } from "@/lib/ingest/canonical-json";
import { MAX_RECORD_DEPTH, nestsDeeperThan } from "@/lib/ingest/convert-record";
import type { ParsedRecord } from "@/lib/ingest/types";
import { getString } from "@/lib/triage/fields";

/**
 * Turns a parsed record into the row the `event` table stores: the canonical (nested) document,
 * a stable fingerprint, and the columns the rule window and the UI filter on.
 */
export interface EventRow {
  fingerprint: string;
  timestamp: Date;
  detectTime: Date;
  hostName: string | null;
  userName: string | null;
  eventCode: string | null;
  dataset: string | null;
  provider: string | null;
  sourceIndex: string | null;
  sourceId: string | null;
  doc: Record<string, unknown>;
  /** the canonical document as JSON text (computed once: hashed and stored) */
  docJson: string;
  /** the original record as JSON text, when it says more than the document */
  originalJson: string | null;
  /** characters PostgreSQL cannot store (U+0000, lone surrogates) replaced by U+FFFD (see storableJson) */
  replaced: number;
}

export class EventRowError extends Error {}

function firstString(doc: Record<string, unknown>, path: string): string | null {
  return getString(doc, path) ?? null;
}

// PostgreSQL's timestamptz takes years 1 to 9999 as text (and the pg driver sends dates as text)
const MIN_TIME = Date.parse("0001-01-01T00:00:00.000Z");
const MAX_TIME = Date.parse("9999-12-31T23:59:59.999Z");

function parseDate(doc: Record<string, unknown>, path: string): Date | null {
  const raw = firstString(doc, path);
  if (raw === null) return null;
  // epoch millis are valid @timestamp values in Elasticsearch's date type
  const date = /^\d{10,}$/.test(raw) ? new Date(Number(raw)) : new Date(raw);
  if (Number.isNaN(date.getTime())) return null;
  const time = date.getTime();
  if (time < MIN_TIME || time > MAX_TIME)
    throw new EventRowError(`field ${path} ${JSON.stringify(raw)} is outside the years 1 to 9999`);
  return date;
}

/**
 * `_index`+`_id` when the source carried them; else channel + computer + record id (what
 * identifies a Windows event); else a hash of the whole document as read (the same file read
 * again gives the same text, key order included).
 */
export function fingerprintOf(
  doc: Record<string, unknown>,
  docJson: string,
  sourceIndex?: string,
  sourceId?: string,
): string {
  if (sourceId) return `es:${sourceIndex ?? ""}/${sourceId}`;
  const channel = firstString(doc, "winlog.channel");
  const computer = firstString(doc, "winlog.computer_name");
  const recordId = firstString(doc, "winlog.record_id");
  if (channel && computer && recordId) return `win:${channel}|${computer}|${recordId}`;
  // one-shot hash(): a Hash object per event costs more than hashing its few hundred bytes
  return `sha256:${hash("sha256", docJson, "hex")}`;
}

export function toEventRow(record: ParsedRecord): EventRow {
  // documents from a cluster or a shipper come here without a reader's checks
  if (nestsDeeperThan(record.document, MAX_RECORD_DEPTH))
    throw new EventRowError(`document nested more than ${MAX_RECORD_DEPTH} levels deep`);
  const doc = canonicalizeDocument(record.document);
  const timestamp = parseDate(doc, "@timestamp");
  if (!timestamp) throw new EventRowError("field @timestamp is missing or not a date");
  // Kibana's timestamp override: event.ingested when the event has it, else @timestamp.
  const ingested = parseDate(doc, "event.ingested");
  const docText = storableJson(
    doc === record.document && record.text !== undefined && isStringified(record.text, doc)
      ? record.text
      : JSON.stringify(doc),
  );
  const docJson = docText.json;
  const original = originalWorthKeeping(record);
  const originalText = original === null ? null : storableJson(JSON.stringify(original));
  return {
    fingerprint: textSafe(fingerprintOf(doc, docJson, record.sourceIndex, record.sourceId))!,
    timestamp,
    detectTime: ingested ?? timestamp,
    hostName: textSafe(firstString(doc, "host.name") ?? firstString(doc, "winlog.computer_name")),
    userName: textSafe(firstString(doc, "user.name")),
    eventCode: textSafe(firstString(doc, "event.code")),
    dataset: textSafe(firstString(doc, "event.dataset")),
    provider: textSafe(firstString(doc, "event.provider")),
    sourceIndex: textSafe(record.sourceIndex ?? null),
    sourceId: textSafe(record.sourceId ?? null),
    doc,
    docJson,
    originalJson: originalText?.json ?? null,
    replaced: docText.replaced + (originalText?.replaced ?? 0),
  };
}

/**
 * The line a document was read from is its JSON.stringify text already (the usual NDJSON export): no need to write it
 * again.
 */
function isStringified(text: string, value: unknown): boolean {
  const members = stringifiedMemberCount(text);
  return members >= 0 && members === countMembers(value);
}

/**
 * What PostgreSQL's jsonb cannot hold, written as JSON escapes: U+0000 and UTF-16 surrogates that
 * are not a pair (`\ud800` alone: "invalid input syntax for type json" would reject the whole
 * batch). Windows values occasionally contain them, and attackers can put them anywhere. Each is
 * stored as U+FFFD (the replacement character) — the only change ever made to a value — and
 * counted, so the job says how many were replaced. Raw lone surrogates never reach the database:
 * UTF-8 encoding already writes them as U+FFFD.
 */
const UNSTORABLE_ESCAPE =
  /\\u([dD][89abAB][0-9a-fA-F]{2})(\\u[dD][c-fC-F][0-9a-fA-F]{2})?|\\u[dD][c-fC-F][0-9a-fA-F]{2}|\\u0000|\\[^u]/g;

export function storableJson(json: string): { json: string; replaced: number } {
  if (!json.includes("\\u")) return { json, replaced: 0 };
  let replaced = 0;
  const out = json.replace(UNSTORABLE_ESCAPE, (escape: string, high?: string, low?: string) => {
    // an escaped backslash or quote (consumed so that the text after it is not read as an escape), or a pair
    if ((high && low) || escape[1] !== "u") return escape;
    replaced++;
    return "\\ufffd";
  });
  return { json: out, replaced };
}

export function jsonbSafe(json: string): string {
  return storableJson(json).json;
}

/** A text column cannot hold U+0000 either (a Windows value with one would fail its batch). */
function textSafe(value: string | null): string | null {
  return value !== null && value.includes("\u0000") ? value.replaceAll("\u0000", "\ufffd") : value;
}

/**
 * The original record when it says more than the stored document: raw Windows records (XML
 * text, NXLog lines, evtx→JSON) yes; an ECS document is its own original; an Elasticsearch hit
 * keeps its envelope (_index, _id, _score…) without a second copy of _source.
 */
function originalWorthKeeping(record: ParsedRecord): unknown {
  const original = record.original;
  if (original === undefined || original === null || original === record.document) return null;
  if (
    typeof original === "object" &&
    !Array.isArray(original) &&
    (original as Record<string, unknown>)._source === record.document
  ) {
    const { _source: _, ...envelope } = original as Record<string, unknown>;
    return envelope;
  }
  return original;
}
