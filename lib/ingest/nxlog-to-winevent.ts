/**
 * NXLog `im_msvistalog` + `to_json` records → WinEvent. NXLog flattens an event: its own fields
 * (documented in the NXLog User Guide, im_msvistalog "Fields") sit beside every EventData field at
 * the top level. Shippers add more (Logstash: `@timestamp`, `@version`, `host`, `port`, `tags`,
 * `type`). This splits them back: known system fields → WinEvent.system, shipper fields dropped
 * (they stay in ParsedRecord.original), everything else → eventData. Pure.
 */
import type { NormalizeHints } from "@/lib/ecs/normalize-winevent";
import { RecordFieldError } from "@/lib/ingest/record-error";
import type { WinEvent, WinEventSystem } from "@/lib/winevent/types";

/**
 * NXLog's own EventType values; any other `EventType` is the event's EventData field (Sysmon's "WmiBindingEvent",
 * "CreateKey"…).
 */
const NXLOG_EVENT_TYPES = new Set([
  "CRITICAL",
  "ERROR",
  "WARNING",
  "INFO",
  "AUDIT_SUCCESS",
  "AUDIT_FAILURE",
  "VERBOSE",
  "DEBUG",
]);

/** NXLog and shipper fields that are not EventData. `ProcessID` is handled apart (see below). */
const NXLOG_FIELDS = new Set([
  "EventTime",
  "EventReceivedTime",
  "Hostname",
  "Keywords",
  "SeverityValue",
  "Severity",
  "EventID",
  "SourceName",
  "ProviderGuid",
  "Version",
  "Task",
  "OpcodeValue",
  "Opcode",
  "Category",
  "RecordNumber",
  "ActivityID",
  "RelatedActivityID",
  "ExecutionProcessID",
  "ThreadID",
  "Channel",
  "Domain",
  "AccountName",
  "UserID",
  "AccountType",
  "Message",
  "SourceModuleName",
  "SourceModuleType",
  "ERROR_EVT_UNRESOLVED",
  "MessageSourceAddress",
  "EventTypeOrignal", // sic: the Mordor/OTRF Logstash pipeline's rename of NXLog's EventType
  "Qualifiers",
  "Level",
  // Logstash / shipper envelope
  "@timestamp",
  "@version",
  "host",
  "port",
  "tags",
  "type",
]);

const SEVERITY_TO_LEVEL: Record<string, string> = {
  CRITICAL: "Critical",
  ERROR: "Error",
  WARNING: "Warning",
  INFO: "Information",
  DEBUG: "Verbose",
  VERBOSE: "Verbose",
};

export interface NxlogConversion {
  event: WinEvent;
  hints: NormalizeHints;
}

export function convertNxlogRecord(record: Record<string, unknown>, raw?: string): NxlogConversion {
  if (record.EventID === undefined || record.EventID === null || record.EventID === "")
    throw new RecordFieldError("EventID is missing");
  const eventId = Number(record.EventID);
  if (!Number.isInteger(eventId))
    throw new RecordFieldError(`EventID is not an integer (${JSON.stringify(record.EventID)})`);
  const sys: WinEventSystem = { eventId };
  const str = (k: string) => {
    const v = record[k];
    if (v === undefined || v === null) return undefined;
    if (typeof v === "object")
      throw new RecordFieldError(`${k} is not a single value (${JSON.stringify(v).slice(0, 80)})`);
    return typeof v === "string" ? v : String(v);
  };
  const int = (k: string) => {
    const v = record[k];
    if (v === undefined || v === null || v === "") return undefined;
    const n = Number(v);
    if (!Number.isInteger(n)) throw new RecordFieldError(`${k} is not an integer (${JSON.stringify(v)})`);
    return n;
  };
  const set = <K extends keyof WinEventSystem>(key: K, value: WinEventSystem[K] | undefined) => {
    if (value !== undefined) sys[key] = value;
  };
  set("providerName", str("SourceName"));
  set("providerGuid", str("ProviderGuid"));
  set("version", int("Version"));
  set("task", int("Task"));
  set("opcode", int("OpcodeValue"));
  set("level", int("Level"));
  set("keywords", keywordsHex(record.Keywords, raw));
  set("eventRecordId", int("RecordNumber"));
  set("activityId", str("ActivityID"));
  set("relatedActivityId", str("RelatedActivityID"));
  set("threadId", int("ThreadID"));
  set("channel", str("Channel"));
  set("computer", str("Hostname"));
  set("userId", str("UserID"));
  set("systemTime", eventTimeToUtc(str("EventTime"), str("EventReceivedTime"), str("@timestamp")));
  // NXLog before 5 wrote the Execution ProcessID as `ProcessID`; later versions call it
  // `ExecutionProcessID` and leave `ProcessID` to EventData (Security 5156 has one).
  const processIdIsSystem = !("ExecutionProcessID" in record);
  set("processId", int("ExecutionProcessID") ?? (processIdIsSystem ? int("ProcessID") : undefined));

  const eventData: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(record)) {
    if (NXLOG_FIELDS.has(key)) continue;
    if (key === "ProcessID" && processIdIsSystem) continue;
    if (key === "EventType" && typeof value === "string" && NXLOG_EVENT_TYPES.has(value)) continue;
    eventData[key] = Array.isArray(value) ? value.map(stringOf) : stringOf(value);
  }
  const message = str("Message");
  // Some NXLog records lack Sysmon EventData fields the rendered message still shows: NXLog before 5
  // overwrote `EventType` with its own, and the OTRF sets drop every field of some 19/20 events
  // (long script consumers). Sysmon's message template is "Title:\r\nName: value\r\n…", so the
  // missing fields are read back from it; fields present in the record always win.
  if (message && sys.providerName === "Microsoft-Windows-Sysmon") {
    for (const [key, value] of Object.entries(parseSysmonMessage(message)))
      if (!(key in eventData)) eventData[key] = value;
  }
  const event: WinEvent = { system: sys, eventData };
  const rendering: NonNullable<WinEvent["renderingInfo"]> = {};
  if (message !== undefined) rendering.message = message;
  const severity = str("Severity");
  if (severity && SEVERITY_TO_LEVEL[severity]) rendering.level = SEVERITY_TO_LEVEL[severity];
  if (str("Category")) rendering.task = str("Category");
  if (str("Opcode")) rendering.opcode = str("Opcode");
  if (Object.keys(rendering).length) event.renderingInfo = rendering;
  const hints: NormalizeHints = {};
  if (str("AccountName") !== undefined || str("Domain") !== undefined) {
    hints.winlogUser = { name: str("AccountName"), domain: str("Domain"), type: str("AccountType") };
  }
  return { event, hints };
}

function stringOf(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/**
 * NXLog writes the 64-bit Keywords mask as a signed decimal (-9223372036854775808 for
 * 0x8000000000000000); JSON.parse would round it, so the digits are taken from the raw line.
 */
export function keywordsHex(value: unknown, raw?: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  let digits: string | undefined;
  if (raw) digits = /"Keywords"\s*:\s*(-?\d+)/.exec(raw)?.[1];
  if (!digits) {
    if (typeof value === "string" && /^0x[0-9a-f]+$/i.test(value)) return value;
    if (typeof value !== "number" && typeof value !== "string") return undefined;
    digits = typeof value === "number" ? BigInt(Math.trunc(value)).toString() : value;
  }
  if (!/^-?\d+$/.test(digits)) return typeof value === "string" ? value : undefined;
  let n = BigInt(digits);
  if (n < BigInt(0)) n += BigInt(1) << BigInt(64);
  return `0x${n.toString(16)}`;
}

/**
 * `EventTime` is the event's creation time in the NXLog host's local time zone, without the zone.
 * When the shipper stamped a UTC `@timestamp` at receipt, the zone offset is the difference between
 * that and `EventReceivedTime` (rounded to 15 minutes, the finest real zone step). Without it, the
 * time is taken as UTC.
 */
export function eventTimeToUtc(eventTime?: string, receivedLocal?: string, receivedUtc?: string): string | undefined {
  if (!eventTime) return undefined;
  const local = parseLocal(eventTime);
  if (local === undefined) return undefined;
  let offsetMs = 0;
  const recvLocal = receivedLocal ? parseLocal(receivedLocal) : undefined;
  const recvUtc = receivedUtc ? Date.parse(receivedUtc) : NaN;
  if (recvLocal !== undefined && !Number.isNaN(recvUtc)) {
    const quarter = 15 * 60 * 1000;
    offsetMs = Math.round((recvLocal - recvUtc) / quarter) * quarter;
  }
  return new Date(local - offsetMs).toISOString();
}

function parseLocal(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(\.\d+)?$/.exec(text.trim());
  if (!m) return undefined;
  const ms = m[7] ? Math.round(Number(m[7]) * 1000) : 0;
  return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], ms);
}

/**
 * "Title:\r\nKey: value\r\nKey: value…" → { Key: value }. A line that does not start with a
 * field name continues the previous value (script bodies span lines), re-joined with "\r\n".
 */
export function parseSysmonMessage(message: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = message.split("\r\n");
  let current: string | undefined;
  for (const line of lines.slice(1)) {
    const m = /^([A-Za-z][A-Za-z0-9]*): ?(.*)$/s.exec(line);
    if (m && !(m[1] in out)) {
      current = m[1];
      out[current] = m[2];
    } else if (current !== undefined) out[current] += `\r\n${line}`;
  }
  return out;
}
