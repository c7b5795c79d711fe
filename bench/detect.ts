/**
 * `npm run bench:detect`: how fast the rule runs.
 * Part (a): offline scan (read NDJSON lines + JSON.parse + evaluate) vs a bare
 * JSON.parse line loop over the same file; goal: ratio >= 0.5.
 * Part (b) (SQL over stored events) plugs in as another entry of PARTS.
 */
import { createReadStream, createWriteStream, existsSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { once } from "node:events";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { compileMatcher } from "@/lib/eql/evaluate";
import { parseEql } from "@/lib/eql/parser";
import { CURRENT_RULE } from "@/lib/rule/rules";

const ROOT = dirname(fileURLToPath(import.meta.url));
const TMP = join(ROOT, "tmp");
const RESULTS = join(ROOT, "results");
const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const DATA_FILE = join(TMP, `detect-events-${EVENTS}.ndjson`);

export interface BenchSection {
  name: string;
  metrics: Record<string, number | string | boolean>;
  markdown: string;
}

// deterministic pseudo-random (mulberry32) so runs are comparable
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function makeEvent(r: () => number, i: number): Record<string, unknown> {
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
  const host = { name: `WS-${Math.floor(r() * 500)}`, os: { family: "windows" } };
  const ts = new Date(Date.UTC(2024, 0, 1) + i * 1000).toISOString();
  const user = { name: pick(["alice", "bob", "svc_backup", "SYSTEM"]), domain: "CORP" };
  const image = pick(["C:\\Windows\\System32\\svchost.exe", "C:\\Windows\\System32\\wbem\\WmiPrvSE.exe", "C:\\Program Files\\App\\app.exe"]);
  const sysmon = (code: number, data: Record<string, unknown>) => ({
    "@timestamp": ts,
    host,
    user,
    event: { dataset: "windows.sysmon_operational", code: String(code), module: "sysmon", category: pick([["process"], ["network"], ["file"]]) },
    winlog: { channel: "Microsoft-Windows-Sysmon/Operational", event_id: String(code), computer_name: host.name, event_data: data },
  });
  const roll = r();
  const matching = roll < 0.03;
  const kind = matching ? pick([21, 21, 100]) : pick([1, 1, 1, 3, 3, 11, 11, 19, 20, 21, 100]);
  switch (kind) {
    case 1:
      return sysmon(1, { Image: image, CommandLine: `${image} -k netsvcs -p ${Math.floor(r() * 1e6)}`, ProcessId: String(Math.floor(r() * 65535)), User: `CORP\\${user.name}` });
    case 3:
      return sysmon(3, { Image: image, DestinationIp: `10.0.${Math.floor(r() * 255)}.${Math.floor(r() * 255)}`, DestinationPort: String(pick([80, 443, 445, 135])) });
    case 11:
      return sysmon(11, { Image: image, TargetFilename: `C:\\Users\\${user.name}\\AppData\\Local\\Temp\\${Math.floor(r() * 1e9).toString(36)}.tmp` });
    case 19:
      return sysmon(19, { Operation: "Created", EventNamespace: '"root\\\\CimV2"', Name: `"Filter${i}"`, Query: '"SELECT * FROM __InstanceModificationEvent WITHIN 60"' });
    case 20:
      return sysmon(20, { Operation: "Created", Name: `"Consumer${i}"`, Type: "Command Line", Destination: '"C:\\\\Windows\\\\System32\\\\cmd.exe /c calc.exe"' });
    case 21: {
      const consumer = matching
        ? `\\\\.\\ROOT\\subscription:${pick(["CommandLineEventConsumer", "ActiveScriptEventConsumer"])}.Name="c${i}"`
        : ` "${pick(["CommandLineEventConsumer", "NTEventLogEventConsumer"])}.Name=\\"c${i}\\""`;
      return sysmon(21, { Operation: matching ? "Created" : pick(["Created", "Deleted"]), Consumer: consumer, Filter: `"__EventFilter.Name=\\"f${i}\\""` });
    }
    default:
      return {
        "@timestamp": ts,
        host,
        user,
        event: { dataset: "endpoint.events.api", provider: matching ? "Microsoft-Windows-WMI-Activity" : pick(["Microsoft-Windows-WMI-Activity", "Microsoft-Windows-Threat-Intelligence"]), category: ["api"], kind: "event" },
        process: {
          name: "WmiPrvSE.exe",
          pid: Math.floor(r() * 65535),
          Ext: { api: { name: matching ? "IWbemServices::PutInstance" : pick(["IWbemServices::PutInstance", "VirtualAlloc"]), parameters: { consumer_type: matching ? "ActiveScriptEventConsumer" : "LogFileEventConsumer" } } },
        },
      };
  }
}

async function generate(): Promise<void> {
  if (existsSync(DATA_FILE)) return;
  mkdirSync(TMP, { recursive: true });
  const out = createWriteStream(DATA_FILE);
  const r = rng(42);
  let chunk = "";
  for (let i = 0; i < EVENTS; i++) {
    chunk += `${JSON.stringify(makeEvent(r, i))}\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, "drain");
      chunk = "";
    }
  }
  out.end(chunk);
  await once(out, "finish");
}

async function scanLines(onLine: (line: string) => void): Promise<number> {
  const start = process.hrtime.bigint();
  const lines = createInterface({ input: createReadStream(DATA_FILE, { highWaterMark: 1 << 20 }), crlfDelay: Infinity });
  for await (const line of lines) if (line) onLine(line);
  return Number(process.hrtime.bigint() - start) / 1e9;
}

async function benchOfflineScan(): Promise<BenchSection> {
  await generate();
  const matcher = compileMatcher(parseEql(CURRENT_RULE.query));
  let parsed = 0;
  let matched = 0;
  // warm-up, then best of 3 for each loop
  const bare = async () => scanLines((l) => {
    JSON.parse(l);
    parsed++;
  });
  const full = async () => scanLines((l) => {
    if (matcher(JSON.parse(l) as Record<string, unknown>)) matched++;
  });
  await bare();
  const bareTimes: number[] = [];
  const fullTimes: number[] = [];
  for (let i = 0; i < 3; i++) {
    parsed = 0;
    bareTimes.push(await bare());
    matched = 0;
    fullTimes.push(await full());
  }
  const bareRate = parsed / Math.min(...bareTimes);
  const fullRate = parsed / Math.min(...fullTimes);
  const ratio = fullRate / bareRate;
  const metrics = {
    events: parsed,
    fileBytes: statSync(DATA_FILE).size,
    matched,
    bareJsonParseEventsPerSec: Math.round(bareRate),
    scanEventsPerSec: Math.round(fullRate),
    ratio: Number(ratio.toFixed(3)),
    goal: 0.5,
    goalMet: ratio >= 0.5,
  };
  const markdown = [
    "## (a) Offline scan",
    "",
    `${parsed.toLocaleString("en-US")} generated NDJSON events (${(metrics.fileBytes / 1e6).toFixed(0)} MB, ${matched.toLocaleString("en-US")} matching), best of 3 runs.`,
    "",
    "| loop | events/s |",
    "|---|---|",
    `| read lines + JSON.parse | ${metrics.bareJsonParseEventsPerSec.toLocaleString("en-US")} |`,
    `| read lines + JSON.parse + rule | ${metrics.scanEventsPerSec.toLocaleString("en-US")} |`,
    "",
    `Ratio: **${metrics.ratio}** (goal >= 0.5: ${metrics.goalMet ? "met" : "NOT met"}).`,
  ].join("\n");
  return { name: "offlineScan", metrics, markdown };
}

/** Sections run in order; part (b) adds `{ name: "sqlScan", run: benchSqlScan }`. */
const PARTS: { name: string; run: () => Promise<BenchSection> }[] = [{ name: "offlineScan", run: benchOfflineScan }];

async function main(): Promise<void> {
  const sections: BenchSection[] = [];
  for (const part of PARTS) {
    const section = await part.run();
    sections.push(section);
    process.stdout.write(`${section.markdown}\n\n`);
  }
  mkdirSync(RESULTS, { recursive: true });
  const meta = { rule: `${CURRENT_RULE.name} v${CURRENT_RULE.version}`, node: process.version, date: new Date().toISOString() };
  writeFileSync(join(RESULTS, "detect.json"), `${JSON.stringify({ ...meta, ...Object.fromEntries(sections.map((s) => [s.name, s.metrics])) }, null, 2)}\n`);
  writeFileSync(join(RESULTS, "detect.md"), `# bench:detect\n\n${meta.rule}, Node ${meta.node}, ${meta.date}\n\n${sections.map((s) => s.markdown).join("\n\n")}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:detect: ${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
