/**
 * evtx→JSON converter output (omerbenamram/evtx `evtx_dump -o json`, and tools built on it such
 * as the SigmaHQ regression data) → WinEvent. Its shape mirrors the XML: attributes under
 * `#attributes`, text under `#text`, EventData as name → value. Its typed values (numbers,
 * booleans) are turned back into the strings the XML rendering shows. Pure.
 */
import { isObject } from "@/lib/ingest/detect-format";
import { RecordFieldError } from "@/lib/ingest/record-error";
import type { WinEvent, WinEventSystem } from "@/lib/winevent/types";

export function convertEvtxJson(record: Record<string, unknown>): WinEvent {
  const event = record.Event;
  if (!isObject(event)) throw new RecordFieldError("Event is missing");
  const system = event.System;
  if (!isObject(system)) throw new RecordFieldError("Event.System is missing");
  const out: WinEvent = { system: convertSystem(system) };
  if (isObject(event.EventData)) out.eventData = convertEventData(event.EventData);
  if (isObject(event.UserData)) out.userData = convertUserData(event.UserData);
  if (isObject(event.RenderingInfo)) {
    const message = textOf(event.RenderingInfo.Message);
    if (message !== undefined) out.renderingInfo = { message };
  }
  return out;
}

function attrs(node: unknown): Record<string, unknown> {
  return isObject(node) && isObject(node["#attributes"]) ? node["#attributes"] : {};
}

function textOf(node: unknown): string | undefined {
  if (node === undefined) return undefined;
  if (node === null) return "";
  if (isObject(node)) return "#text" in node ? textOf(node["#text"]) : "";
  if (Array.isArray(node)) return node.map((v) => textOf(v) ?? "").join("");
  return String(node);
}

function intOf(node: unknown, field: string): number | undefined {
  const t = textOf(node);
  if (t === undefined || t === "") return undefined;
  const n = Number(t);
  if (!Number.isInteger(n)) throw new RecordFieldError(`${field} is not an integer (${JSON.stringify(t)})`);
  return n;
}

/** Windows renders GUIDs in braces; the evtx crate drops them. */
function braceGuid(guid: string | undefined): string | undefined {
  if (!guid) return guid;
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(guid) ? `{${guid}}` : guid;
}

function convertSystem(s: Record<string, unknown>): WinEventSystem {
  if (s.EventID === undefined || textOf(s.EventID) === "")
    throw new RecordFieldError("Event.System.EventID is missing");
  const sys: WinEventSystem = {};
  const set = <K extends keyof WinEventSystem>(key: K, value: WinEventSystem[K] | undefined) => {
    if (value !== undefined) sys[key] = value;
  };
  const provider = attrs(s.Provider);
  set("providerName", textOf(provider.Name));
  set("providerGuid", braceGuid(textOf(provider.Guid)));
  set("eventSourceName", textOf(provider.EventSourceName));
  set("eventId", intOf(s.EventID, "Event.System.EventID"));
  set("eventIdQualifiers", intOf(attrs(s.EventID).Qualifiers, "Event.System.EventID.#attributes.Qualifiers"));
  set("version", intOf(s.Version, "Event.System.Version"));
  set("level", intOf(s.Level, "Event.System.Level"));
  set("task", intOf(s.Task, "Event.System.Task"));
  set("opcode", intOf(s.Opcode, "Event.System.Opcode"));
  set("keywords", textOf(s.Keywords));
  set("systemTime", textOf(attrs(s.TimeCreated).SystemTime));
  set("eventRecordId", intOf(s.EventRecordID, "Event.System.EventRecordID"));
  const corr = attrs(s.Correlation);
  set("activityId", braceGuid(textOf(corr.ActivityID)));
  set("relatedActivityId", braceGuid(textOf(corr.RelatedActivityID)));
  const exec = attrs(s.Execution);
  set("processId", intOf(exec.ProcessID, "Event.System.Execution.#attributes.ProcessID"));
  set("threadId", intOf(exec.ThreadID, "Event.System.Execution.#attributes.ThreadID"));
  set("channel", textOf(s.Channel));
  set("computer", textOf(s.Computer));
  set("userId", textOf(attrs(s.Security).UserID));
  return sys;
}

function convertEventData(node: Record<string, unknown>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  let unnamed = 0;
  for (const [key, value] of Object.entries(node)) {
    if (key === "#attributes") continue;
    if (key === "Data" || key === "#text") {
      // unnamed <Data> elements: a value or a list of values
      for (const v of Array.isArray(value) ? value : [value]) out[`param${++unnamed}`] = textOf(v) ?? "";
      continue;
    }
    out[key] = Array.isArray(value) ? value.map((v) => textOf(v) ?? "") : (textOf(value) ?? "");
  }
  return out;
}

function convertUserData(node: Record<string, unknown>): Record<string, string | string[]> {
  const rootName = Object.keys(node).find((k) => k !== "#attributes");
  if (!rootName) return {};
  const out: Record<string, string | string[]> = { xml_name: rootName };
  const root = node[rootName];
  if (isObject(root)) {
    for (const [key, value] of Object.entries(root)) {
      if (key === "#attributes") continue;
      out[key] = Array.isArray(value) ? value.map((v) => textOf(v) ?? "") : (textOf(value) ?? "");
    }
  }
  return out;
}
