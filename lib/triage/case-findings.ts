import type { EcsDocument } from "@/lib/ecs/document";
import { decodePayloads } from "./decode-payload";
import { getEventTime, getString } from "./fields";
import type { SubscriptionLife } from "./subscription-life";
import type { RebuiltSubscription } from "./wmi-subscription";

/**
 * What a case report tells its reader about the attack, from the events of the case's alerts:
 * the timeline (filter, consumer and binding changes of each alert's subscription, then what the
 * consumers ran — processes whose parent is WmiPrvSE.exe for command-line consumers or
 * scrcons.exe for script consumers) and the indicators. Pure: the data layer loads the events.
 */

export interface CaseAlertEvidence {
  alertId: string;
  host: string | null;
  user: string | null;
  command: string | null;
  sub: RebuiltSubscription;
  life: SubscriptionLife;
}

export interface AttackStep {
  /** ISO time with milliseconds */
  time: string;
  what: "Filter" | "Consumer" | "Binding" | "Consumer execution";
  operation: string;
  host: string | null;
  user: string | null;
  /** the query, command, script or process command line the event logged */
  detail: string | null;
  /** the alert whose subscription this belongs to */
  alertId: string | null;
}

export interface Indicators {
  hosts: string[];
  users: string[];
  consumers: string[];
  filters: string[];
  commands: string[];
  payloads: { kind: string; source: string; decoded: string }[];
  hashes: string[];
}

const PART: Record<string, AttackStep["what"]> = { filter: "Filter", consumer: "Consumer", binding: "Binding" };
/**
 * the processes WMI runs a consumer in: WmiPrvSE.exe (CommandLineEventConsumer), scrcons.exe
 * (ActiveScriptEventConsumer)
 */
export const CONSUMER_HOST_PROCESS = /^(wmiprvse|scrcons)\.exe$/i;

export function isConsumerExecution(doc: EcsDocument): boolean {
  const parent = getString(doc, "process.parent.name");
  return parent !== undefined && CONSUMER_HOST_PROCESS.test(parent);
}

const processLine = (doc: EcsDocument) =>
  getString(doc, "process.command_line") ??
  getString(doc, "process.executable") ??
  getString(doc, "process.name") ??
  null;

/** Oldest first; one row per event even when several alerts share a subscription. */
export function buildAttackTimeline(alerts: CaseAlertEvidence[], executions: EcsDocument[]): AttackStep[] {
  const rows = new Map<string, AttackStep>();
  for (const a of alerts)
    for (const e of a.life.events) {
      const key = `${e.time}|${e.part}|${e.operation}|${a.host}|${e.detail ?? ""}`;
      if (!rows.has(key))
        rows.set(key, {
          time: e.time,
          what: PART[e.part],
          operation: e.operation,
          host: a.host,
          user: e.user ?? null,
          detail: e.detail ?? null,
          alertId: a.alertId,
        });
    }
  for (const doc of executions) {
    const t = getEventTime(doc);
    if (t === undefined) continue;
    const time = new Date(t).toISOString();
    const detail = processLine(doc);
    const host = getString(doc, "host.name") ?? null;
    rows.set(`${time}|exec|${host}|${detail}`, {
      time,
      what: "Consumer execution",
      operation: `run by ${getString(doc, "process.parent.name")}`,
      host,
      user: getString(doc, "user.name") ?? null,
      detail,
      alertId: null,
    });
  }
  return [...rows.values()].sort((a, b) => a.time.localeCompare(b.time));
}

const HASH_FIELDS = [
  "process.hash.sha256",
  "process.hash.sha1",
  "process.hash.md5",
  "file.hash.sha256",
  "file.hash.sha1",
];

/** Sysmon's `Hashes` field: `SHA1=…,MD5=…,SHA256=…,IMPHASH=…`. */
function sysmonHashes(value: string | undefined): string[] {
  if (!value) return [];
  return value
    .split(",")
    .map((p) => p.trim())
    .filter((p) => /^[A-Z0-9]+=[0-9A-Fa-f]{16,}$/.test(p));
}

const sorted = (values: Iterable<string | null | undefined>) =>
  [...new Set([...values].filter((v): v is string => !!v))].sort((a, b) => a.localeCompare(b));

export function collectIndicators(alerts: CaseAlertEvidence[], executions: EcsDocument[]): Indicators {
  const commands = [
    ...alerts.map((a) => a.command ?? a.sub.consumer?.destination ?? null),
    ...executions.map(processLine),
  ];
  const payloads = new Map<string, Indicators["payloads"][number]>();
  for (const command of sorted(commands))
    for (const p of decodePayloads(command))
      if (p.decoded && p.kind !== "script" && !payloads.has(p.source))
        payloads.set(p.source, { kind: p.kind, source: p.source, decoded: p.decoded });
  const hashes = executions.flatMap((doc) => [
    ...HASH_FIELDS.flatMap((f) => {
      const v = getString(doc, f);
      return v ? [`${f.split(".").pop()!.toUpperCase()}=${v}`] : [];
    }),
    ...sysmonHashes(getString(doc, "winlog.event_data.Hashes")),
  ]);
  return {
    hosts: sorted([...alerts.map((a) => a.host), ...executions.map((d) => getString(d, "host.name"))]),
    users: sorted([
      ...alerts.map((a) => a.user),
      ...alerts.flatMap((a) => a.life.events.map((e) => e.user)),
      ...executions.map((d) => getString(d, "user.name")),
    ]),
    consumers: sorted(alerts.map((a) => a.sub.consumer?.name ?? a.sub.binding?.consumer?.name)),
    filters: sorted(alerts.map((a) => a.sub.filter?.name ?? a.sub.binding?.filter?.name)),
    commands: sorted(commands),
    payloads: [...payloads.values()],
    hashes: sorted(hashes),
  };
}
