import type { WinEvent, WinEventSystem } from "@/lib/winevent/types";
import { findChild, getAttr, getTextContent, isElement, type XElement } from "./xml-tree";

function toInt(s: string | undefined): number | undefined {
  if (s === undefined || s === "") return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

function addValue(target: Record<string, string | string[]>, key: string, value: string): void {
  const prev = target[key];
  if (prev === undefined) target[key] = value;
  else if (Array.isArray(prev)) prev.push(value);
  else target[key] = [prev, value];
}

function readSystem(sys: XElement): WinEventSystem {
  const s: WinEventSystem = {};
  for (const c of sys.children) {
    if (!isElement(c)) continue;
    switch (c.name) {
      case "Provider":
        s.providerName = getAttr(c, "Name");
        s.providerGuid = getAttr(c, "Guid");
        s.eventSourceName = getAttr(c, "EventSourceName");
        break;
      case "EventID":
        s.eventId = toInt(getTextContent(c));
        s.eventIdQualifiers = toInt(getAttr(c, "Qualifiers"));
        break;
      case "Version":
        s.version = toInt(getTextContent(c));
        break;
      case "Level":
        s.level = toInt(getTextContent(c));
        break;
      case "Task":
        s.task = toInt(getTextContent(c));
        break;
      case "Opcode":
        s.opcode = toInt(getTextContent(c));
        break;
      case "Keywords":
        s.keywords = getTextContent(c);
        break;
      case "TimeCreated":
        s.systemTime = getAttr(c, "SystemTime");
        break;
      case "EventRecordID":
        s.eventRecordId = toInt(getTextContent(c));
        break;
      case "Correlation":
        s.activityId = getAttr(c, "ActivityID");
        s.relatedActivityId = getAttr(c, "RelatedActivityID");
        break;
      case "Execution":
        s.processId = toInt(getAttr(c, "ProcessID"));
        s.threadId = toInt(getAttr(c, "ThreadID"));
        break;
      case "Channel":
        s.channel = getTextContent(c);
        break;
      case "Computer":
        s.computer = getTextContent(c);
        break;
      case "Security":
        s.userId = getAttr(c, "UserID");
        break;
    }
  }
  for (const k of Object.keys(s) as (keyof WinEventSystem)[]) if (s[k] === undefined) delete s[k];
  return s;
}

/**
 * `<Data Name="X">v</Data>` → X: v; unnamed Data → `param<position>` (Winlogbeat's
 * `winlog.event_data` naming); `<Binary>` → `Binary` as the hex string Windows shows.
 */
function readEventData(ed: XElement): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  let position = 0;
  for (const c of ed.children) {
    if (!isElement(c)) continue;
    position++;
    if (c.name === "Data") addValue(out, getAttr(c, "Name") ?? `param${position}`, getTextContent(c));
    else addValue(out, c.name, getTextContent(c));
  }
  return out;
}

/** UserData's root element children, flattened one level (Winlogbeat's `winlog.user_data`). */
function readUserData(ud: XElement): Record<string, string | string[]> | undefined {
  const root = ud.children.find(isElement);
  if (!root) return undefined;
  const out: Record<string, string | string[]> = { xml_name: root.name };
  for (const c of root.children) if (isElement(c)) addValue(out, c.name, getTextContent(c));
  return out;
}

export function toWinEvent(event: XElement): WinEvent {
  const sys = findChild(event, "System");
  const result: WinEvent = { system: sys ? readSystem(sys) : {} };
  const ed = findChild(event, "EventData");
  if (ed) result.eventData = readEventData(ed);
  const ud = findChild(event, "UserData");
  if (ud) {
    const u = readUserData(ud);
    if (u) result.userData = u;
  }
  return result;
}
