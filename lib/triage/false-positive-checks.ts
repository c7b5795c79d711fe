import { decodePayloads } from "./decode-payload";
import type { EcsDocument } from "@/lib/ecs/document";
import { getFieldValues } from "@/lib/eql/fields";
import { formatTime } from "@/lib/format/time";
import { describeHost, describeTime, getEventTime, getLoggedField, getString, isSameHost } from "./fields";
import { rebuildSubscription, type RebuiltSubscription } from "./wmi-subscription";

/**
 * Data checks for the guide's five false-positive items (step ids as in the rule's guide).
 * "pass": the data supports the benign explanation (a false positive is likely);
 * "fail": the data contradicts it; "unknown": the data cannot say. Evidence names the event.
 */

export type CheckStatus = "pass" | "fail" | "unknown";
export interface FalsePositiveCheck {
  stepId: FalsePositiveStepId;
  status: CheckStatus;
  evidence: string[];
  /** which events the check looked at, and over which time range */
  scope: string;
}

type CheckResult = Omit<FalsePositiveCheck, "scope">;

export const FALSE_POSITIVE_STEP_IDS = [
  "fp.admin-tools",
  "fp.software-install",
  "fp.security-management-tools",
  "fp.scheduled-maintenance",
  "fp.in-house-scripts",
] as const;
export type FalsePositiveStepId = (typeof FALSE_POSITIVE_STEP_IDS)[number];

export interface AllowlistEntry {
  category: "admin" | "management" | "security";
  /** file name, case-insensitive: `CcmExec.exe` */
  processName?: string;
  /** full path, case-insensitive */
  processPath?: string;
  /** WMI consumer name, case-insensitive */
  consumerName?: string;
  note?: string;
}

/**
 * Shipped defaults; leads edit their own copy. Deliberately absent: WmiPrvSE.exe, svchost.exe
 * (winmgmt) and scrcons.exe. Every subscription, the attacker's included (remote WMI over DCOM
 * lands in WmiPrvSE), is written or run by them, so their presence proves nothing.
 */
export const DEFAULT_ALLOWLIST: AllowlistEntry[] = [
  { category: "management", processName: "CcmExec.exe", note: "Microsoft Configuration Manager (SCCM) client" },
  {
    category: "management",
    consumerName: "SCM Event Log Consumer",
    note: "Configuration Manager's default NTEventLog consumer",
  },
  { category: "management", processName: "TaniumClient.exe", note: "Tanium client" },
  {
    category: "admin",
    consumerName: "BVTConsumer",
    note: "Windows' built-in KernCap.vbs consumer (Windows 7 / 2008 R2)",
  },
  { category: "security", processName: "MsMpEng.exe", note: "Microsoft Defender" },
  { category: "security", processName: "MsSense.exe", note: "Microsoft Defender for Endpoint" },
  { category: "security", processName: "elastic-endpoint.exe", note: "Elastic Defend" },
  { category: "security", processName: "CSFalconService.exe", note: "CrowdStrike Falcon" },
  { category: "security", processName: "SentinelAgent.exe", note: "SentinelOne" },
];

export const DEFAULT_INSTALLER_PROCESS_NAMES = [
  "msiexec.exe",
  "setup.exe",
  "install.exe",
  "TrustedInstaller.exe",
  "TiWorker.exe",
  "wuauclt.exe",
  "usoclient.exe",
  "MoUsoCoreWorker.exe",
  "ccmsetup.exe",
  "GoogleUpdate.exe",
  "MicrosoftEdgeUpdate.exe",
];

export interface MaintenanceWindow {
  start: string;
  end: string;
  label?: string;
}

export interface FalsePositiveInput {
  alert: EcsDocument;
  /** the host's events around the alert (process starts, installer and task events…) */
  hostEvents: EcsDocument[];
  /** how far from the alert an event still counts; default 10 minutes */
  windowMinutes?: number;
  allowlist?: AllowlistEntry[];
  installerProcessNames?: string[];
  maintenanceWindows?: MaintenanceWindow[];
  /** extra scheduled-task events (Security 4698/4702, TaskScheduler 106/140/200…); also looked for in hostEvents */
  scheduledTaskEvents?: EcsDocument[];
  inHouseScripts?: { hashes?: string[]; paths?: string[] };
  /** computed from alert and hostEvents when absent */
  subscription?: RebuiltSubscription;
}

function fileName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

function describeEvent(doc: EcsDocument, detail: string): string {
  const code = getString(doc, "event.code") ?? "?";
  return `${describeTime(doc)} event ${code} on ${getString(doc, "host.name") ?? getString(doc, "winlog.computer_name") ?? "?"}: ${detail}`;
}

function isProcessStart(doc: EcsDocument): boolean {
  const code = getString(doc, "event.code");
  const provider = getString(doc, "event.provider") ?? getString(doc, "winlog.provider_name") ?? "";
  if (code === "1" && /sysmon/i.test(provider + (getString(doc, "event.dataset") ?? ""))) return true;
  if (code === "4688") return true;
  const categories = getFieldValues(doc, "event.category").map(String);
  const types = getFieldValues(doc, "event.type").map(String);
  return categories.includes("process") && types.includes("start");
}

function processIdentity(doc: EcsDocument): { name?: string; path?: string } {
  const path =
    getString(doc, "process.executable") ??
    getString(doc, "winlog.event_data.Image") ??
    getString(doc, "winlog.event_data.NewProcessName");
  const name = getString(doc, "process.name") ?? (path ? fileName(path) : undefined);
  return { name, path };
}

/** The executable a consumer command line starts: first token, quoted or not. */
function commandExecutable(command: string): string | undefined {
  const m = /^\s*(?:"([^"]+)"|(\S+))/.exec(command);
  return m ? (m[1] ?? m[2]) : undefined;
}

function matchAllowlist(
  entries: AllowlistEntry[],
  candidates: { processName?: string; processPath?: string; consumerName?: string },
): AllowlistEntry | undefined {
  const eq = (a?: string, b?: string) => a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();
  return entries.find(
    (e) =>
      eq(e.processName, candidates.processName) ||
      eq(e.processPath, candidates.processPath) ||
      eq(e.consumerName, candidates.consumerName) ||
      (e.processName !== undefined &&
        candidates.processPath !== undefined &&
        eq(e.processName, fileName(candidates.processPath))),
  );
}

function checkTools(
  stepId: FalsePositiveStepId,
  categories: AllowlistEntry["category"][],
  input: FalsePositiveInput,
  sub: RebuiltSubscription,
): CheckResult {
  const entries = (input.allowlist ?? DEFAULT_ALLOWLIST).filter((e) => categories.includes(e.category));
  const evidence: string[] = [];
  const creator = processIdentity(input.alert);
  const consumerName = sub.consumer?.name;
  const command = sub.consumer?.destination;
  const consumerExe = command ? commandExecutable(command) : undefined;

  const hits: string[] = [];
  const byCreator = matchAllowlist(entries, { processName: creator.name, processPath: creator.path });
  if (byCreator)
    hits.push(
      `alert process ${creator.path ?? creator.name} is allowlisted (${byCreator.category}${byCreator.note ? `: ${byCreator.note}` : ""})`,
    );
  const byConsumer = consumerName ? matchAllowlist(entries, { consumerName }) : undefined;
  if (byConsumer)
    hits.push(
      `consumer "${consumerName}" is allowlisted (${byConsumer.category}${byConsumer.note ? `: ${byConsumer.note}` : ""})`,
    );
  const byExe = consumerExe
    ? matchAllowlist(entries, { processPath: consumerExe, processName: fileName(consumerExe) })
    : undefined;
  if (byExe)
    hits.push(`consumer runs ${consumerExe}, allowlisted (${byExe.category}${byExe.note ? `: ${byExe.note}` : ""})`);

  const payloads = command ? decodePayloads(command).filter((p) => p.kind !== "script") : [];
  if (payloads.length > 0) {
    evidence.push(
      describeEvent(
        sub.consumer?.event ?? input.alert,
        `consumer command carries ${payloads.length} encoded payload(s) (${payloads.map((p) => p.kind).join(", ")}), which administrative tools do not need`,
      ),
    );
  }
  if (hits.length > 0 && payloads.length === 0)
    return { stepId, status: "pass", evidence: [...hits.map((h) => describeEvent(input.alert, h)), ...evidence] };
  if (hits.length > 0) evidence.unshift(...hits.map((h) => describeEvent(input.alert, h)));
  if (payloads.length > 0) return { stepId, status: "fail", evidence };
  if (creator.name) {
    evidence.push(
      describeEvent(
        input.alert,
        `alert process ${creator.path ?? creator.name} is not in the ${categories.join("/")} allowlist`,
      ),
    );
    return { stepId, status: "fail", evidence };
  }
  const user = getLoggedField(input.alert, "winlog.event_data.User")?.value;
  evidence.push(
    `no creating process in the alert (Sysmon 21 records only the user${user ? ` ${user}` : ""}) and consumer "${consumerName ?? "?"}" is not allowlisted`,
  );
  return { stepId, status: "unknown", evidence };
}

function withinWindow(doc: EcsDocument, alertTime: number | undefined, windowMs: number): boolean {
  const t = getEventTime(doc);
  return t !== undefined && alertTime !== undefined && Math.abs(t - alertTime) <= windowMs;
}

function checkInstall(input: FalsePositiveInput, alertTime: number | undefined, windowMs: number): CheckResult {
  const stepId = "fp.software-install";
  const names = new Set((input.installerProcessNames ?? DEFAULT_INSTALLER_PROCESS_NAMES).map((n) => n.toLowerCase()));
  const isInstaller = (name?: string) => name !== undefined && names.has(fileName(name).toLowerCase());
  const evidence: string[] = [];
  const creator = processIdentity(input.alert);
  const parent = getString(input.alert, "process.parent.name") ?? getString(input.alert, "process.parent.executable");
  if (isInstaller(creator.name)) evidence.push(describeEvent(input.alert, `created by installer ${creator.name}`));
  if (isInstaller(parent))
    evidence.push(describeEvent(input.alert, `creating process's parent is installer ${parent}`));

  const near = input.hostEvents.filter((e) => isSameHost(input.alert, e) && withinWindow(e, alertTime, windowMs));
  const starts = near.filter(isProcessStart);
  for (const e of starts) {
    const p = processIdentity(e);
    const parentName = getString(e, "process.parent.name") ?? getString(e, "winlog.event_data.ParentImage");
    if (isInstaller(p.name)) evidence.push(describeEvent(e, `installer process ${p.path ?? p.name} started`));
    else if (isInstaller(parentName)) evidence.push(describeEvent(e, `${p.name} started by installer ${parentName}`));
  }
  for (const e of near) {
    const provider = getString(e, "event.provider") ?? getString(e, "winlog.provider_name");
    if (provider === "MsiInstaller")
      evidence.push(describeEvent(e, `MsiInstaller ${getString(e, "message")?.slice(0, 120) ?? "event"}`));
  }
  if (evidence.length > 0) return { stepId, status: "pass", evidence };
  if (starts.length > 0) {
    return {
      stepId,
      status: "fail",
      evidence: [
        `${starts.length} process start(s) on the host within ±${windowMs / 60000} min, none of them an installer or update agent`,
      ],
    };
  }
  return {
    stepId,
    status: "unknown",
    evidence: [`no process start events on the host within ±${windowMs / 60000} min to compare against`],
  };
}

const TASK_EVENTS: Record<string, string> = {
  "Microsoft-Windows-Security-Auditing:4698": "scheduled task created",
  "Microsoft-Windows-Security-Auditing:4702": "scheduled task updated",
  "Microsoft-Windows-TaskScheduler:106": "task registered",
  "Microsoft-Windows-TaskScheduler:140": "task updated",
  "Microsoft-Windows-TaskScheduler:100": "task started",
  "Microsoft-Windows-TaskScheduler:129": "task process created",
  "Microsoft-Windows-TaskScheduler:200": "task action started",
  "Microsoft-Windows-TaskScheduler:201": "task action completed",
};

/** The event's provider, or the one its channel belongs to when only the channel was kept. */
function providerOf(doc: EcsDocument): string {
  const provider = getString(doc, "event.provider") ?? getString(doc, "winlog.provider_name");
  if (provider) return provider;
  const channel = getString(doc, "winlog.channel") ?? "";
  if (channel === "Security") return "Microsoft-Windows-Security-Auditing";
  if (channel.startsWith("Microsoft-Windows-TaskScheduler")) return "Microsoft-Windows-TaskScheduler";
  return "";
}

function taskEventKind(doc: EcsDocument): string | undefined {
  return TASK_EVENTS[`${providerOf(doc)}:${getString(doc, "event.code") ?? ""}`];
}

/**
 * A process start that creates a scheduled task from the command line: `schtasks /create`,
 * `at <time> …` (the legacy AT command) or PowerShell's `Register-ScheduledTask`. The task
 * itself is logged by Task Scheduler 106 and Security 4698 only when that auditing is on, so a
 * Sysmon-only host shows it here alone.
 */
function taskCreationCommand(doc: EcsDocument): string | undefined {
  if (!isProcessStart(doc)) return undefined;
  const name = processIdentity(doc).name?.toLowerCase();
  const command = getString(doc, "process.command_line") ?? getString(doc, "winlog.event_data.CommandLine") ?? "";
  if (name === "schtasks.exe" && /(^|\s)[/-]create\b/i.test(command)) return command;
  if (name === "at.exe" && /\b\d{1,2}:\d{2}\b/.test(command)) return command;
  if (/^(powershell|pwsh)(_ise)?\.exe$/.test(name ?? "") && /\bRegister-ScheduledTask\b/i.test(command)) return command;
  return undefined;
}

function checkMaintenance(input: FalsePositiveInput, alertTime: number | undefined, windowMs: number): CheckResult {
  const stepId = "fp.scheduled-maintenance";
  const evidence: string[] = [];
  const windows = input.maintenanceWindows ?? [];
  if (alertTime !== undefined) {
    for (const w of windows) {
      const start = Date.parse(w.start);
      const end = Date.parse(w.end);
      if (!Number.isNaN(start) && !Number.isNaN(end) && alertTime >= start && alertTime <= end) {
        evidence.push(
          `alert at ${new Date(alertTime).toISOString()} is inside maintenance window ${w.label ?? ""} ${w.start} – ${w.end}`.replace(
            "  ",
            " ",
          ),
        );
      }
    }
  }
  // a covering maintenance window is what confirms expected activity; tasks created nearby are
  // only leads to cross-reference (the attacker may have created them too), never a pass on their own
  const inWindow = evidence.length > 0;
  const seen = new Set<EcsDocument>();
  for (const e of [...(input.scheduledTaskEvents ?? []), ...input.hostEvents]) {
    if (seen.has(e)) continue;
    seen.add(e);
    if (!isSameHost(input.alert, e) || !withinWindow(e, alertTime, windowMs)) continue;
    const kind = taskEventKind(e);
    const created = kind ? undefined : taskCreationCommand(e);
    if (created !== undefined) {
      evidence.push(describeEvent(e, `scheduled task created by command line: ${created.slice(0, 200)}`));
      continue;
    }
    if (!kind) continue;
    const task =
      getString(e, "winlog.event_data.TaskName") ?? getString(e, "winlog.event_data.TaskContent")?.slice(0, 80) ?? "?";
    evidence.push(describeEvent(e, `${kind}: ${task}`));
  }
  if (inWindow) return { stepId, status: "pass", evidence };
  if (evidence.length > 0) {
    const tasks = evidence.length;
    return {
      stepId,
      status: "unknown",
      evidence: [
        ...evidence,
        `${tasks} scheduled task(s) created on the host near the alert${windows.length > 0 ? ", outside every maintenance window" : ""}: confirm with their owner that they are expected maintenance — an attacker may create tasks too`,
      ],
    };
  }
  if (alertTime === undefined) return { stepId, status: "unknown", evidence: ["the alert has no time"] };
  if (windows.length > 0) {
    return {
      stepId,
      status: "fail",
      evidence: [
        `alert at ${new Date(alertTime).toISOString()} is outside all ${windows.length} maintenance window(s) and no scheduled-task event on the host within ±${windowMs / 60000} min`,
      ],
    };
  }
  return {
    stepId,
    status: "unknown",
    evidence: ["no maintenance windows defined and no scheduled-task event on the host nearby"],
  };
}

function checkInHouse(
  input: FalsePositiveInput,
  sub: RebuiltSubscription,
  alertTime: number | undefined,
  windowMs: number,
): CheckResult {
  const stepId = "fp.in-house-scripts";
  const hashes = new Set((input.inHouseScripts?.hashes ?? []).map((h) => h.trim().toLowerCase()));
  const paths = (input.inHouseScripts?.paths ?? []).map((p) => p.trim().toLowerCase()).filter(Boolean);
  if (hashes.size === 0 && paths.length === 0) {
    return { stepId, status: "unknown", evidence: ["no in-house scripts are documented (hashes or paths)"] };
  }
  const evidence: string[] = [];
  const command = sub.consumer?.destination;
  if (command) {
    for (const p of paths)
      if (command.toLowerCase().includes(p))
        evidence.push(
          describeEvent(sub.consumer?.event ?? input.alert, `consumer command names documented script ${p}`),
        );
  }
  // consumer executions: children of WmiPrvSE (CommandLineEventConsumer) or scrcons.exe (ActiveScriptEventConsumer)
  for (const e of input.hostEvents) {
    if (!isSameHost(input.alert, e) || !withinWindow(e, alertTime, windowMs)) continue;
    for (const field of [
      "process.hash.sha256",
      "process.hash.sha1",
      "process.hash.md5",
      "file.hash.sha256",
      "file.hash.sha1",
      "file.hash.md5",
    ]) {
      const h = getString(e, field)?.toLowerCase();
      if (h && hashes.has(h)) evidence.push(describeEvent(e, `${field}=${h} is a documented in-house script`));
    }
    const exe = processIdentity(e).path?.toLowerCase();
    if (exe && isProcessStart(e) && paths.some((p) => exe === p))
      evidence.push(describeEvent(e, `documented script ${exe} ran`));
  }
  if (evidence.length > 0) return { stepId, status: "pass", evidence };
  if (command) {
    return {
      stepId,
      status: "fail",
      evidence: [
        describeEvent(
          sub.consumer?.event ?? input.alert,
          `consumer command ${JSON.stringify(command.slice(0, 200))} matches no documented in-house script path or hash`,
        ),
      ],
    };
  }
  return {
    stepId,
    status: "unknown",
    evidence: [
      "the consumer's command or script is unknown (no Sysmon 20 / API details), and no documented hash was seen on the host",
    ],
  };
}

export function evaluateFalsePositiveChecks(input: FalsePositiveInput): FalsePositiveCheck[] {
  const windowMs = (input.windowMinutes ?? 10) * 60_000;
  const alertTime = getEventTime(input.alert);
  const sub = input.subscription ?? rebuildSubscription(input.alert, input.hostEvents);
  const scope = describeScopes(input, sub, alertTime, windowMs);
  return [
    { ...checkTools("fp.admin-tools", ["admin"], input, sub), scope: scope.tools(["admin"]) },
    { ...checkInstall(input, alertTime, windowMs), scope: scope.install },
    {
      ...checkTools("fp.security-management-tools", ["management", "security"], input, sub),
      scope: scope.tools(["management", "security"]),
    },
    { ...checkMaintenance(input, alertTime, windowMs), scope: scope.maintenance },
    { ...checkInHouse(input, sub, alertTime, windowMs), scope: scope.inHouse },
  ];
}

/** What each check read, in words: the events by kind and count, the host, the time range. */
function describeScopes(
  input: FalsePositiveInput,
  sub: RebuiltSubscription,
  alertTime: number | undefined,
  windowMs: number,
) {
  const host = describeHost(input.alert);
  const minutes = windowMs / 60_000;
  const range =
    alertTime === undefined
      ? "no time range (the alert has no time)"
      : `${formatTime(new Date(alertTime - windowMs))} – ${formatTime(new Date(alertTime + windowMs))} (±${minutes} min of the alert)`;
  const near = input.hostEvents.filter((e) => isSameHost(input.alert, e) && withinWindow(e, alertTime, windowMs));
  const starts = near.filter(isProcessStart).length;
  const seen = new Set<EcsDocument>();
  let taskEvents = 0;
  for (const e of [...(input.scheduledTaskEvents ?? []), ...input.hostEvents]) {
    if (seen.has(e)) continue;
    seen.add(e);
    if (taskEventKind(e) && isSameHost(input.alert, e) && withinWindow(e, alertTime, windowMs)) taskEvents++;
  }
  const msi = near.filter((e) => providerOf(e) === "MsiInstaller").length;
  const of = `of ${near.length} event(s) on ${host}, ${range}`;
  const consumerEvent = sub.consumer?.event;
  const windows = input.maintenanceWindows?.length ?? 0;
  const documented = (input.inHouseScripts?.hashes?.length ?? 0) + (input.inHouseScripts?.paths?.length ?? 0);
  return {
    tools: (categories: AllowlistEntry["category"][]) =>
      `Looked at the alert's event (${describeTime(input.alert)})` +
      (consumerEvent ? ` and the consumer's Sysmon 20 event (${describeTime(consumerEvent)})` : "") +
      ` against ${(input.allowlist ?? DEFAULT_ALLOWLIST).filter((e) => categories.includes(e.category)).length} ${categories.join("/")} allowlist entries`,
    install: `Looked at ${starts} process start(s) (Sysmon 1, Security 4688) and ${msi} MsiInstaller event(s) ${of}`,
    maintenance:
      `Looked at ${taskEvents} scheduled-task event(s) (Security 4698/4702, Task Scheduler 106/140/100/129/200/201) ` +
      `and ${starts} process start(s) for task creation by command line (schtasks /create, at, Register-ScheduledTask) ${of}; ` +
      `${windows} maintenance window(s) defined`,
    inHouse:
      `Looked at the consumer's command and the process/file hashes and process starts ${of}; ` +
      `${documented} documented in-house script path(s) or hash(es)`,
  };
}
