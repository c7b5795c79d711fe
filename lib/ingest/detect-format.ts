/**
 * Format sniffing from the first bytes/characters of a file and its name. Pure.
 * Content decides; the file name only breaks ties (a `.xml` that starts with `<`).
 */
import type { InputFormat } from "@/lib/ingest/types";

const EVTX_MAGIC = [0x45, 0x6c, 0x66, 0x46, 0x69, 0x6c, 0x65, 0x00]; // "ElfFile\0", EVTX file header signature

export function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

export function isEvtx(head: Uint8Array): boolean {
  return head.length >= 8 && EVTX_MAGIC.every((b, i) => head[i] === b);
}

/** How the records are laid out in the text, independent of what each record is. */
export type JsonLayout = "lines" | "array" | "values" | "search-response";

/** Classifies one parsed JSON record. */
export function classifyJsonRecord(value: unknown): Exclude<InputFormat, "windows-xml" | "evtx" | "ecs-json"> {
  if (!isObject(value)) return "ecs-ndjson";
  if ("_source" in value && ("_id" in value || "_index" in value)) return "es-search";
  if (isObject(value.hits) && Array.isArray(value.hits.hits)) return "es-search";
  if (isObject(value.Event) && (isObject(value.Event.System) || isObject(value.Event.EventData))) return "evtx-json";
  if (isNxlogRecord(value)) return "nxlog-json";
  return "ecs-ndjson";
}

/** NXLog im_msvistalog + to_json: a flat record with `EventID` and NXLog's own fields, no ECS objects. */
export function isNxlogRecord(value: Record<string, unknown>): boolean {
  if (value.EventID === undefined || isObject(value.winlog) || isObject(value.event)) return false;
  return "SourceModuleType" in value || "EventReceivedTime" in value || ("Hostname" in value && "Channel" in value);
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export interface TextSniff {
  format: InputFormat;
  layout?: JsonLayout;
}

/**
 * Sniffs a text export from its first characters (BOM already removed). Returns undefined when
 * nothing matches. `head` should hold at least the first line (up to ~64 KiB).
 */
export function sniffText(head: string, fileName: string): TextSniff | undefined {
  const text = head.replace(/^\s+/, "");
  if (text.startsWith("<"))
    return /<Event[\s>]/.test(text) || /\.xml$/i.test(fileName) ? { format: "windows-xml" } : undefined;
  if (text.startsWith("[")) {
    const first = sniffFirstArrayElement(text);
    return { format: first === "ecs-ndjson" ? "ecs-json" : first, layout: "array" };
  }
  if (!text.startsWith("{")) return undefined;
  const nl = text.indexOf("\n");
  const firstLine = (nl === -1 ? text : text.slice(0, nl)).trim();
  const parsed = tryParseJson(firstLine);
  if (parsed.ok && isObject(parsed.value)) {
    const kind = classifyJsonRecord(parsed.value);
    if (kind === "es-search" && !("_source" in parsed.value)) return { format: "es-search", layout: "search-response" };
    return { format: kind, layout: "lines" };
  }
  // The first line is not a JSON value of its own: either a pretty-printed document (or several
  // concatenated, as `Get-Content | ConvertTo-Json` writes) or a broken JSON line.
  if (/^\{\s*"(took|timed_out|_shards|hits|_scroll_id|pit_id)"\s*:/.test(text) && /"hits"\s*:\s*\{/.test(text))
    return { format: "es-search", layout: "search-response" };
  if (/^\{\s*"Event"\s*:/.test(text)) return { format: "evtx-json", layout: "values" };
  if (nl !== -1 && firstLine.endsWith("}")) return { format: "ecs-ndjson", layout: "lines" };
  return { format: "ecs-json", layout: "values" };
}

function sniffFirstArrayElement(text: string): "ecs-ndjson" | "es-search" | "evtx-json" | "nxlog-json" {
  const window = text.slice(0, 4096);
  if (/^\[\s*\{\s*"Event"\s*:/.test(window)) return "evtx-json";
  if (/"_source"\s*:/.test(window) && /"_(id|index)"\s*:/.test(window)) return "es-search";
  if (/"EventID"\s*:/.test(window) && /"(SourceModuleType|EventReceivedTime)"\s*:/.test(window)) return "nxlog-json";
  return "ecs-ndjson";
}

export function tryParseJson(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}
