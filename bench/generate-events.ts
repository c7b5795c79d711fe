// Generated ECS events for the benchmarks: shapes taken from the real datasets (Sysmon 1/3/11/19/20/21
// and Elastic Defend API events), values varied, ~3 % matching the rule. Deterministic (seeded).
import { once } from "node:events";
import { createWriteStream, existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const BENCH_TMP = join(dirname(fileURLToPath(import.meta.url)), "tmp");

// deterministic pseudo-random (mulberry32) so runs are comparable
export function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `matching` forces (true) or forbids (false) a rule match; by default ~3 % match. */
export function makeEvent(r: () => number, i: number, matching?: boolean): Record<string, unknown> {
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
  const host = { name: `WS-${Math.floor(r() * 500)}`, os: { family: "windows" } };
  const ts = new Date(Date.UTC(2024, 0, 1) + i * 1000).toISOString();
  const user = { name: pick(["alice", "bob", "svc_backup", "SYSTEM"]), domain: "CORP" };
  const image = pick([
    "C:\\Windows\\System32\\svchost.exe",
    "C:\\Windows\\System32\\wbem\\WmiPrvSE.exe",
    "C:\\Program Files\\App\\app.exe",
  ]);
  const sysmon = (code: number, data: Record<string, unknown>) => ({
    "@timestamp": ts,
    host,
    user,
    event: {
      dataset: "windows.sysmon_operational",
      code: String(code),
      module: "sysmon",
      category: pick([["process"], ["network"], ["file"]]),
    },
    winlog: {
      channel: "Microsoft-Windows-Sysmon/Operational",
      event_id: String(code),
      computer_name: host.name,
      event_data: data,
    },
  });
  const roll = r();
  matching ??= roll < 0.03;
  const kind = matching ? pick([21, 21, 100]) : pick([1, 1, 1, 3, 3, 11, 11, 19, 20, 21, 100]);
  switch (kind) {
    case 1:
      return sysmon(1, {
        Image: image,
        CommandLine: `${image} -k netsvcs -p ${Math.floor(r() * 1e6)}`,
        ProcessId: String(Math.floor(r() * 65535)),
        User: `CORP\\${user.name}`,
      });
    case 3:
      return sysmon(3, {
        Image: image,
        DestinationIp: `10.0.${Math.floor(r() * 255)}.${Math.floor(r() * 255)}`,
        DestinationPort: String(pick([80, 443, 445, 135])),
      });
    case 11:
      return sysmon(11, {
        Image: image,
        TargetFilename: `C:\\Users\\${user.name}\\AppData\\Local\\Temp\\${Math.floor(r() * 1e9).toString(36)}.tmp`,
      });
    case 19:
      return sysmon(19, {
        Operation: "Created",
        EventNamespace: '"root\\\\CimV2"',
        Name: `"Filter${i}"`,
        Query: '"SELECT * FROM __InstanceModificationEvent WITHIN 60"',
      });
    case 20:
      return sysmon(20, {
        Operation: "Created",
        Name: `"Consumer${i}"`,
        Type: "Command Line",
        Destination: '"C:\\\\Windows\\\\System32\\\\cmd.exe /c calc.exe"',
      });
    case 21: {
      const consumer = matching
        ? `\\\\.\\ROOT\\subscription:${pick(["CommandLineEventConsumer", "ActiveScriptEventConsumer"])}.Name="c${i}"`
        : ` "${pick(["CommandLineEventConsumer", "NTEventLogEventConsumer"])}.Name=\\"c${i}\\""`;
      return sysmon(21, {
        Operation: matching ? "Created" : pick(["Created", "Deleted"]),
        Consumer: consumer,
        Filter: `"__EventFilter.Name=\\"f${i}\\""`,
      });
    }
    default:
      return {
        "@timestamp": ts,
        host,
        user,
        event: {
          dataset: "endpoint.events.api",
          provider: matching
            ? "Microsoft-Windows-WMI-Activity"
            : pick(["Microsoft-Windows-WMI-Activity", "Microsoft-Windows-Threat-Intelligence"]),
          category: ["api"],
          kind: "event",
        },
        process: {
          name: "WmiPrvSE.exe",
          pid: Math.floor(r() * 65535),
          Ext: {
            api: {
              name: matching ? "IWbemServices::PutInstance" : pick(["IWbemServices::PutInstance", "VirtualAlloc"]),
              parameters: { consumer_type: matching ? "ActiveScriptEventConsumer" : "LogFileEventConsumer" },
            },
          },
        },
      };
  }
}

/** Writes (once) an NDJSON of `count` events and returns its path. */
export async function ensureEventFile(count: number): Promise<string> {
  const file = join(BENCH_TMP, `detect-events-${count}.ndjson`);
  if (existsSync(file)) return file;
  mkdirSync(BENCH_TMP, { recursive: true });
  const out = createWriteStream(file);
  const r = rng(42);
  let chunk = "";
  for (let i = 0; i < count; i++) {
    chunk += `${JSON.stringify(makeEvent(r, i))}\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, "drain");
      chunk = "";
    }
  }
  out.end(chunk);
  await once(out, "finish");
  return file;
}
