/**
 * One Windows event's XML (`<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event">`)
 * → WinEvent. Values are kept exactly as Windows rendered them: no trimming (Sysmon 19/20/21 values
 * start with a space), entities and character references decoded, as any XML reader (and
 * Winlogbeat's) would. Pure.
 */
import { XMLParser } from "fast-xml-parser";
import { RecordFieldError } from "@/lib/ingest/record-error";
import type { WinEvent, WinEventSystem } from "@/lib/winevent/types";

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "",
  attributesGroupName: "$",
  trimValues: false,
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: true,
  // numeric character references are decoded by decodeCharRefs below: fast-xml-parser's htmlEntities
  // option does it too but costs ~45% of the parse time
  htmlEntities: false,
  removeNSPrefix: true,
  isArray: (name) => name === "Data" || name === "Keyword" || name === "Binary",
});

type Node = Record<string, unknown> | string | undefined;

export function parseEventXml(xml: string): WinEvent {
  let doc: Record<string, unknown>;
  try {
    // no validation pass (it doubles the cost); a structurally broken event still fails on its fields
    doc = parser.parse(decodeCharRefs(xml)) as Record<string, unknown>;
  } catch (e) {
    throw new RecordFieldError(`invalid XML (${(e as Error).message.split("\n")[0]})`);
  }
  const event = doc.Event as Node;
  if (!event || typeof event !== "object") throw new RecordFieldError("Event element is missing");
  const system = event.System as Node;
  if (!system || typeof system !== "object") throw new RecordFieldError("Event.System is missing");
  const out: WinEvent = { system: parseSystem(system) };
  const eventData = event.EventData as Node;
  if (eventData && typeof eventData === "object") out.eventData = parseEventData(eventData);
  const userData = event.UserData as Node;
  if (userData && typeof userData === "object") {
    const parsed = parseUserData(userData);
    if (parsed) out.userData = parsed;
  }
  const rendering = event.RenderingInfo as Node;
  if (rendering && typeof rendering === "object") out.renderingInfo = parseRenderingInfo(rendering);
  return out;
}

function textOf(node: unknown): string | undefined {
  if (node === undefined || node === null) return undefined;
  if (typeof node === "string") return restoreCr(node);
  if (Array.isArray(node)) return textOf(node[0]);
  if (typeof node === "object") {
    const t = (node as Record<string, unknown>)["#text"];
    return typeof t === "string" ? restoreCr(t) : "";
  }
  return String(node);
}

function attr(node: unknown, name: string): string | undefined {
  if (!node || typeof node !== "object") return undefined;
  const attrs = (node as Record<string, unknown>).$ as Record<string, string> | undefined;
  const value = attrs?.[name];
  return value === undefined ? undefined : restoreCr(value);
}

function intOf(value: string | undefined, field: string): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const n = Number(value.trim());
  if (!Number.isInteger(n)) throw new RecordFieldError(`${field} is not an integer (${JSON.stringify(value)})`);
  return n;
}

function parseSystem(s: Record<string, unknown>): WinEventSystem {
  const eventIdText = textOf(s.EventID);
  if (eventIdText === undefined || eventIdText.trim() === "")
    throw new RecordFieldError("Event.System.EventID is missing");
  const sys: WinEventSystem = {};
  const set = <K extends keyof WinEventSystem>(key: K, value: WinEventSystem[K] | undefined) => {
    if (value !== undefined) sys[key] = value;
  };
  set("providerName", attr(s.Provider, "Name"));
  set("providerGuid", attr(s.Provider, "Guid"));
  set("eventSourceName", attr(s.Provider, "EventSourceName"));
  set("eventId", intOf(eventIdText, "Event.System.EventID"));
  set("eventIdQualifiers", intOf(attr(s.EventID, "Qualifiers"), "Event.System.EventID@Qualifiers"));
  set("version", intOf(textOf(s.Version), "Event.System.Version"));
  set("level", intOf(textOf(s.Level), "Event.System.Level"));
  set("task", intOf(textOf(s.Task), "Event.System.Task"));
  set("opcode", intOf(textOf(s.Opcode), "Event.System.Opcode"));
  const keywords = textOf(s.Keywords);
  if (keywords) set("keywords", keywords);
  set("systemTime", attr(s.TimeCreated, "SystemTime"));
  set("eventRecordId", intOf(textOf(s.EventRecordID), "Event.System.EventRecordID"));
  set("activityId", attr(s.Correlation, "ActivityID"));
  set("relatedActivityId", attr(s.Correlation, "RelatedActivityID"));
  set("processId", intOf(attr(s.Execution, "ProcessID"), "Event.System.Execution@ProcessID"));
  set("threadId", intOf(attr(s.Execution, "ThreadID"), "Event.System.Execution@ThreadID"));
  set("channel", textOf(s.Channel));
  set("computer", textOf(s.Computer));
  set("userId", attr(s.Security, "UserID"));
  return sys;
}

/** Unnamed `<Data>` become param1, param2, … (Winlogbeat sys/winevent does the same). */
function parseEventData(node: Record<string, unknown>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  const add = (key: string, value: string) => {
    const prev = out[key];
    if (prev === undefined) out[key] = value;
    else out[key] = Array.isArray(prev) ? [...prev, value] : [prev, value];
  };
  let unnamed = 0;
  for (const d of (node.Data as unknown[]) ?? []) {
    const name = attr(d, "Name");
    add(name ?? `param${++unnamed}`, textOf(d) ?? "");
  }
  for (const b of (node.Binary as unknown[]) ?? []) add("Binary", textOf(b) ?? "");
  return out;
}

/** `<UserData><Root xmlns=…><A>1</A></Root></UserData>` → { xml_name: "Root", A: "1" } (winlog.user_data). */
function parseUserData(node: Record<string, unknown>): Record<string, string | string[]> | undefined {
  const rootName = Object.keys(node).find((k) => k !== "#text" && k !== "$");
  if (!rootName) return undefined;
  const out: Record<string, string | string[]> = { xml_name: rootName };
  const root = node[rootName];
  if (root && typeof root === "object" && !Array.isArray(root)) {
    for (const [key, value] of Object.entries(root as Record<string, unknown>)) {
      if (key === "#text" || key === "$") continue;
      if (Array.isArray(value)) out[key] = value.map((v) => textOf(v) ?? "");
      else out[key] = textOf(value) ?? "";
    }
  }
  return out;
}

function parseRenderingInfo(node: Record<string, unknown>): NonNullable<WinEvent["renderingInfo"]> {
  const out: NonNullable<WinEvent["renderingInfo"]> = {};
  const fields = [
    ["Message", "message"],
    ["Level", "level"],
    ["Task", "task"],
    ["Opcode", "opcode"],
    ["Channel", "channel"],
    ["Provider", "provider"],
  ] as const;
  for (const [tag, key] of fields) {
    const t = textOf(node[tag]);
    if (t !== undefined && t !== "") out[key] = t;
  }
  const keywords = node.Keywords;
  if (keywords && typeof keywords === "object") {
    const list = ((keywords as Record<string, unknown>).Keyword as unknown[] | undefined) ?? [];
    out.keywords = list.map((k) => textOf(k) ?? "").filter(Boolean);
  }
  return out;
}

/**
 * `&#13;` / `&#x0A;` → the character, in the raw XML. Markup characters (`<`, `&`, quotes, `>`)
 * become the predefined entities the parser decodes, and `&amp;#13;` is not a reference, so nothing is
 * decoded twice.
 */
const MARKUP_ENTITIES: Record<number, string> = {
  0x3c: "&lt;",
  0x3e: "&gt;",
  0x26: "&amp;",
  0x22: "&quot;",
  0x27: "&apos;",
};
const CR_PLACEHOLDER = "\uE00D"; // private-use code point, not found in rendered event text

function restoreCr(value: string): string {
  return value.includes(CR_PLACEHOLDER) ? value.replaceAll(CR_PLACEHOLDER, "\r") : value;
}

export function decodeCharRefs(xml: string): string {
  if (!xml.includes("&#")) return xml;
  return xml.replace(/&#(x[0-9a-fA-F]+|[0-9]+);/g, (ref, body: string) => {
    const code = body[0] === "x" || body[0] === "X" ? parseInt(body.slice(1), 16) : parseInt(body, 10);
    if (!Number.isFinite(code) || code > 0x10ffff) return ref;
    if (MARKUP_ENTITIES[code]) return MARKUP_ENTITIES[code];
    // a decoded CR would be folded into LF by XML end-of-line handling: carried as a placeholder
    return code === 0x0d ? CR_PLACEHOLDER : String.fromCodePoint(code);
  });
}
