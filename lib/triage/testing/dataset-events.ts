/**
 * Test support only: reads the real public datasets in /work/shared/datasets and maps them to a
 * minimal ECS shape (the fields the triage engines read), keeping every event_data value exactly
 * as the exporter wrote it (leading spaces, quotes, MOF escaping), as Elastic's Windows
 * integration keeps them in `winlog.event_data.*`. This is the only file under lib/triage that does I/O.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { XMLParser } from "fast-xml-parser";
import type { EcsDocument } from "@/lib/ecs/document";

export const DATASETS_DIR = path.resolve(process.cwd(), "../shared/datasets");

function asArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function toEcs(
  eventId: number,
  provider: string,
  computer: string,
  timestamp: string,
  data: Record<string, string>,
): EcsDocument {
  const isSysmon = provider === "Microsoft-Windows-Sysmon";
  const doc: EcsDocument = {
    "@timestamp": timestamp,
    event: {
      code: String(eventId),
      provider,
      ...(isSysmon ? { dataset: "windows.sysmon_operational", module: "sysmon" } : {}),
    },
    host: { name: computer.toLowerCase() },
    winlog: { computer_name: computer, event_id: String(eventId), provider_name: provider, event_data: data },
  };
  if (isSysmon && eventId === 1) {
    doc.process = {
      name: data.Image ? data.Image.split("\\").pop() : undefined,
      executable: data.Image,
      command_line: data.CommandLine,
      pid: Number(data.ProcessId),
      hash: parseSysmonHashes(data.Hashes),
      parent: {
        executable: data.ParentImage,
        name: data.ParentImage?.split("\\").pop(),
        command_line: data.ParentCommandLine,
      },
    };
  }
  if (isSysmon && data.User) {
    const [domain, name] = data.User.includes("\\") ? data.User.split("\\", 2) : [undefined, data.User];
    doc.user = { name, ...(domain ? { domain } : {}) };
  }
  return doc;
}

function parseSysmonHashes(value: string | undefined): Record<string, string> | undefined {
  if (!value) return undefined;
  const out: Record<string, string> = {};
  for (const part of value.split(",")) {
    const [k, v] = part.split("=", 2);
    if (k && v) out[k.toLowerCase()] = v.toLowerCase();
  }
  return out;
}

/** Windows event XML (`<Events><Event>…`) as written by `evtxexport -f xml`. */
export function loadWindowsXmlEvents(relativePath: string): EcsDocument[] {
  const xml = readFileSync(path.join(DATASETS_DIR, relativePath), "utf8");
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: "@",
    trimValues: false,
    parseTagValue: false,
    parseAttributeValue: false,
    textNodeName: "#text",
  });
  const root = parser.parse(xml) as { Events?: { Event?: unknown } };
  type XmlNode = { [key: string]: XmlNode | XmlNode[] | string | undefined };
  const events = asArray(root.Events?.Event) as XmlNode[];
  return events.map((ev) => {
    const sys = ev.System as XmlNode & { EventID: XmlNode | string; Provider: XmlNode; TimeCreated: XmlNode };
    const evData = ev.EventData as XmlNode | undefined;
    const eventId = Number(typeof sys.EventID === "object" ? sys.EventID["#text"] : sys.EventID);
    const data: Record<string, string> = {};
    for (const d of asArray(evData?.Data) as Array<Record<string, unknown>>) {
      const name = d["@Name"];
      if (typeof name === "string") data[name] = typeof d["#text"] === "string" ? d["#text"] : "";
    }
    return toEcs(
      eventId,
      String(sys.Provider["@Name"]),
      String(sys.Computer).trim(),
      String(sys.TimeCreated["@SystemTime"]),
      data,
    );
  });
}

const NXLOG_SYSTEM_KEYS = new Set([
  "EventID",
  "Hostname",
  "Channel",
  "SourceName",
  "ProviderGuid",
  "EventTime",
  "EventReceivedTime",
  "@timestamp",
  "Message",
  "Keywords",
  "Severity",
  "SeverityValue",
  "EventType",
  "Task",
  "OpcodeValue",
  "Opcode",
  "RecordNumber",
  "ProcessID",
  "ThreadID",
  "ExecutionProcessID",
  "Version",
  "Category",
  "Domain",
  "AccountName",
  "AccountType",
  "UserID",
  "SourceModuleName",
  "SourceModuleType",
  "host",
  "port",
  "type",
  "tags",
  "@version",
  "EventTypeOrignal",
]);

/** NXLog JSON lines (OTRF Security-Datasets); `filter` keeps the memory small on the big files. */
export function loadNxlogEvents(
  relativePath: string,
  filter: (raw: Record<string, unknown>) => boolean,
): EcsDocument[] {
  const text = readFileSync(path.join(DATASETS_DIR, relativePath), "utf8");
  const out: EcsDocument[] = [];
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    const raw = JSON.parse(line) as Record<string, unknown>;
    if (!filter(raw)) continue;
    const data: Record<string, string> = {};
    for (const [k, v] of Object.entries(raw)) {
      if (!NXLOG_SYSTEM_KEYS.has(k) && (typeof v === "string" || typeof v === "number")) data[k] = String(v);
    }
    // Sysmon's own EventType (WmiBindingEvent…) collides with NXLog's severity EventType
    if (typeof raw.EventType === "string" && raw.EventType.startsWith("Wmi")) data.EventType = raw.EventType;
    const utc = typeof raw.UtcTime === "string" ? `${raw.UtcTime.replace(" ", "T")}Z` : String(raw["@timestamp"]);
    out.push(toEcs(Number(raw.EventID), String(raw.SourceName), String(raw.Hostname), utc, data));
  }
  return out;
}
