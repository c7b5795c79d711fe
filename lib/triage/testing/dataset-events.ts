/**
 * Test support only: reads the real public datasets in /work/shared/datasets and turns each event
 * into the document ingest stores, through ingest's own pure mapping (parseEventXml and
 * convertJsonRecord, both ending in normalizeWinEvent), so the triage engines are tested on what
 * they read in production. This is the only file under lib/triage that does I/O.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { normalizeWinEvent } from "@/lib/ecs/normalize-winevent";
import type { EcsDocument } from "@/lib/ecs/document";
import { convertJsonRecord } from "@/lib/ingest/convert-record";
import { parseEventXml } from "@/lib/ingest/parse-event-xml";

export const DATASETS_DIR = path.resolve(process.cwd(), "../shared/datasets");

/** Windows event XML (`<Events><Event>…`) as written by `evtxexport -f xml`. */
export function loadWindowsXmlEvents(relativePath: string): EcsDocument[] {
  const xml = readFileSync(path.join(DATASETS_DIR, relativePath), "utf8");
  return [...xml.matchAll(/<Event[\s>][\s\S]*?<\/Event>/g)].map((m) => normalizeWinEvent(parseEventXml(m[0])));
}

/** NXLog JSON lines (OTRF Security-Datasets); `filter` (on the raw record) keeps the memory small on the big files. */
export function loadNxlogEvents(
  relativePath: string,
  filter: (raw: Record<string, unknown>) => boolean,
): EcsDocument[] {
  const text = readFileSync(path.join(DATASETS_DIR, relativePath), "utf8");
  const out: EcsDocument[] = [];
  let index = 0;
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    const raw = JSON.parse(line) as Record<string, unknown>;
    if (!filter(raw)) continue;
    const result = convertJsonRecord("nxlog-json", raw, { index: index++ }, line);
    if (!result.ok) throw new Error(`${relativePath}: ${result.reason}`);
    out.push(result.document as EcsDocument);
  }
  return out;
}
