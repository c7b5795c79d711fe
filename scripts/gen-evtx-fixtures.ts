/**
 * Builds lib/evtx/fixtures/evtxexport-digest.json.gz: what an independent EVTX reader,
 * libyal's `evtxexport` (Debian libevtx-utils), reads from every .evtx under
 * /work/shared/datasets. lib/evtx/evtxexport-agreement.test.ts checks our reader against it.
 *
 * Command run per file (argument vector, no shell; paths contain spaces):
 *   evtxexport -f xml <file>
 * Run: npx tsx scripts/gen-evtx-fixtures.ts
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { XMLParser } from "fast-xml-parser";
import { listEvtxFiles } from "@/lib/evtx/node-file";

export const EVTXEXPORT_ARGS = ["-f", "xml"] as const;
const DATASETS = path.resolve(process.cwd(), "../shared/datasets");
const OUT = path.resolve(process.cwd(), "lib/evtx/fixtures/evtxexport-digest.json.gz");

/** One record as evtxexport rendered it; eventData/userData keyed as our WinEvent keys them. */
interface DigestRecord {
  id: number;
  eid: number;
  provider: string;
  time: string;
  computer: string;
  channel: string;
  eventData?: Record<string, string | string[]>;
  userData?: Record<string, string | string[]>;
}

type OrderedNode = Record<string, unknown> & { ":@"?: Record<string, string> };

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: "",
  trimValues: false,
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: true,
});

function tagOf(n: OrderedNode): string | undefined {
  return Object.keys(n).find((k) => k !== ":@" && k !== "#text");
}

function childrenOf(n: OrderedNode): OrderedNode[] {
  const t = tagOf(n);
  return t ? (n[t] as OrderedNode[]) : [];
}

function textOf(n: OrderedNode): string {
  if ("#text" in n) return String(n["#text"]);
  const kids = childrenOf(n);
  // Containers carry evtxexport's indentation as text; only leaf text is data.
  if (kids.some((k) => tagOf(k)))
    return kids
      .filter((k) => tagOf(k))
      .map(textOf)
      .join("");
  return kids.map(textOf).join("");
}

function add(target: Record<string, string | string[]>, key: string, value: string): void {
  const prev = target[key];
  if (prev === undefined) target[key] = value;
  else if (Array.isArray(prev)) prev.push(value);
  else target[key] = [prev, value];
}

function child(n: OrderedNode, name: string): OrderedNode | undefined {
  return childrenOf(n).find((k) => tagOf(k) === name);
}

function digestEvent(ev: OrderedNode): DigestRecord {
  const sys = child(ev, "System");
  const s = (name: string) => (sys ? child(sys, name) : undefined);
  const rec: DigestRecord = {
    id: Number(textOf(s("EventRecordID") ?? {})),
    eid: Number(textOf(s("EventID") ?? {})),
    provider: s("Provider")?.[":@"]?.Name ?? "",
    time: s("TimeCreated")?.[":@"]?.SystemTime ?? "",
    computer: textOf(s("Computer") ?? {}),
    channel: textOf(s("Channel") ?? {}),
  };
  const ed = child(ev, "EventData");
  if (ed) {
    const out: Record<string, string | string[]> = {};
    let position = 0;
    for (const k of childrenOf(ed)) {
      const t = tagOf(k);
      if (!t) continue;
      position++;
      add(out, t === "Data" ? (k[":@"]?.Name ?? `param${position}`) : t, textOf(k));
    }
    rec.eventData = out;
  }
  const ud = child(ev, "UserData");
  const root = ud && childrenOf(ud).find((k) => tagOf(k));
  if (root) {
    const out: Record<string, string | string[]> = { xml_name: tagOf(root)! };
    for (const k of childrenOf(root)) if (tagOf(k)) add(out, tagOf(k)!, textOf(k));
    rec.userData = out;
  }
  return rec;
}

// XML parsers normalise CR LF to LF (XML 1.0 §2.11) but the values evtxexport prints keep
// Windows' CR LF; carry CR through the parser as a private-use character.
const CR_STANDIN = "\ue00d";

function restoreCr<T>(value: T): T {
  if (typeof value === "string") return value.replaceAll(CR_STANDIN, "\r") as T;
  if (Array.isArray(value)) return value.map(restoreCr) as T;
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, restoreCr(v)])) as T;
  return value;
}

export function digestEvtxexportXml(xml: string): DigestRecord[] {
  const body = xml.replace(/<\?xml[^>]*\?>/g, "").replaceAll("\r", CR_STANDIN);
  const doc = restoreCr(parser.parse(`<Events>${body}</Events>`) as OrderedNode[]);
  const events = childrenOf(doc.find((n) => tagOf(n) === "Events") ?? {});
  return events.filter((n) => tagOf(n) === "Event").map(digestEvent);
}

async function main(): Promise<void> {
  const version = spawnSync("evtxexport", ["-V"], { encoding: "utf8" });
  if (version.error) throw new Error(`evtxexport not found (apt-get install libevtx-utils): ${version.error.message}`);
  const files: Record<string, { exitCode: number; error?: string; count: number; records: DigestRecord[] }> = {};
  for (const file of await listEvtxFiles(DATASETS)) {
    const r = spawnSync("evtxexport", [...EVTXEXPORT_ARGS, file], { encoding: "utf8", maxBuffer: 1 << 30 });
    const records = digestEvtxexportXml(r.stdout);
    const rel = path.relative(DATASETS, file);
    files[rel] = { exitCode: r.status ?? -1, count: records.length, records };
    if (r.status !== 0) files[rel].error = r.stderr.trim().split("\n").slice(0, 3).join(" | ");
  }
  const digest = {
    tool: version.stdout.trim().split("\n")[0],
    command: `evtxexport ${EVTXEXPORT_ARGS.join(" ")} <file>`,
    root: "/work/shared/datasets",
    files,
  };
  mkdirSync(path.dirname(OUT), { recursive: true });
  writeFileSync(OUT, gzipSync(JSON.stringify(digest), { level: 9 }));
  const total = Object.values(files).reduce((n, f) => n + f.count, 0);
  const failed = Object.entries(files).filter(([, f]) => f.exitCode !== 0);
  console.log(`${Object.keys(files).length} files, ${total} records -> ${OUT}`);
  for (const [f, v] of failed) console.log(`evtxexport failed on ${f}: ${v.error}`);
}

await main();
