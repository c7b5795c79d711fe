import type { EcsDocument } from "@/lib/ecs/document";
import { getEventTime, getString } from "./fields";

/**
 * The guide's "related processes" step, ranked by how much each process says about this
 * subscription: first the consumer's own executions (WMI starts a CommandLineEventConsumer's
 * command as a child of WmiPrvSE.exe, and runs an ActiveScriptEventConsumer's script in
 * scrcons.exe), then every other process by its distance in time to the nearest Sysmon 19/20/21
 * (or Defend API) event of the subscription, before or after it. WMI tooling an operator uses to
 * create or inspect subscriptions is tagged so it stands out wherever it ranks.
 */

export type ConsumerKind = "commandline" | "script" | "unknown";

export interface RankedProcess {
  doc: EcsDocument;
  time: number | undefined;
  /** why it ranks where it does */
  rank: "consumer-execution" | "near-wmi-event";
  /** signed milliseconds from the nearest WMI event (negative: before it); undefined without times */
  offsetMs: number | undefined;
  /** what the nearest WMI event was, e.g. "Sysmon 21" */
  nearest: string | undefined;
  /** the WMI tool it is ("wmic", "PowerShell Set-WmiInstance"…), when it is one */
  tooling: string | undefined;
}

/** A consumer's class or type as the alert records it, reduced to what runs it. */
export function consumerKindOf(classOrType: string | null | undefined): ConsumerKind {
  if (!classOrType) return "unknown";
  if (/^(ActiveScriptEventConsumer|Script)$/i.test(classOrType)) return "script";
  if (/^(CommandLineEventConsumer|Command ?Line)$/i.test(classOrType)) return "commandline";
  return "unknown";
}

function baseName(path: string | undefined): string | undefined {
  return path === undefined ? undefined : (path.split(/[\\/]/).pop() ?? path).toLowerCase();
}

function processName(doc: EcsDocument): string | undefined {
  return baseName(
    getString(doc, "process.name") ?? getString(doc, "process.executable") ?? getString(doc, "winlog.event_data.Image"),
  );
}

function parentName(doc: EcsDocument): string | undefined {
  return baseName(
    getString(doc, "process.parent.name") ??
      getString(doc, "process.parent.executable") ??
      getString(doc, "winlog.event_data.ParentImage"),
  );
}

function commandLine(doc: EcsDocument): string {
  return getString(doc, "process.command_line") ?? getString(doc, "winlog.event_data.CommandLine") ?? "";
}

const POWERSHELL_WMI = /\b(Register-WmiEvent|Set-WmiInstance|New-CimInstance|Register-CimIndicationEvent)\b/i;

/** The WMI tool a process is, by its file name (and PowerShell by the cmdlets on its command line). */
export function wmiTooling(doc: EcsDocument): string | undefined {
  const name = processName(doc);
  if (name === "wmic.exe") return "wmic";
  if (name === "mofcomp.exe") return "mofcomp";
  if (name === "certutil.exe") return "certutil";
  if (name === "scrcons.exe") return "scrcons";
  if (name === "powershell.exe" || name === "pwsh.exe" || name === "powershell_ise.exe") {
    const cmdlet = POWERSHELL_WMI.exec(commandLine(doc));
    if (cmdlet) return `PowerShell ${cmdlet[1]}`;
  }
  return undefined;
}

/** Whether the process is the consumer running: a child of the host WMI starts that kind of consumer in. */
export function isConsumerExecution(doc: EcsDocument, kind: ConsumerKind): boolean {
  const parent = parentName(doc);
  const name = processName(doc);
  const underWmiPrvSe = parent === "wmiprvse.exe";
  const underScrcons = parent === "scrcons.exe" || name === "scrcons.exe";
  if (kind === "commandline") return underWmiPrvSe;
  if (kind === "script") return underScrcons;
  return underWmiPrvSe || underScrcons;
}

function describeWmiEvent(doc: EcsDocument): string {
  const code = getString(doc, "event.code");
  if (code === "19" || code === "20" || code === "21") return `Sysmon ${code}`;
  return getString(doc, "process.Ext.api.name") ?? "WMI event";
}

/**
 * Processes ranked for the step: consumer executions first (oldest first), then the others by
 * the absolute distance to the nearest WMI event (ties: earlier first). `wmiEvents` are the
 * subscription's 19/20/21 / API events (the alert's own event counts as one).
 */
export function rankRelatedProcesses(
  processes: EcsDocument[],
  opts: { consumerKind: ConsumerKind; wmiEvents: EcsDocument[] },
): RankedProcess[] {
  const anchors = opts.wmiEvents
    .map((e) => ({ t: getEventTime(e), what: describeWmiEvent(e) }))
    .filter((a): a is { t: number; what: string } => a.t !== undefined);
  const ranked = processes.map((doc): RankedProcess => {
    const time = getEventTime(doc);
    let offsetMs: number | undefined;
    let nearest: string | undefined;
    if (time !== undefined)
      for (const a of anchors)
        if (offsetMs === undefined || Math.abs(time - a.t) < Math.abs(offsetMs)) {
          offsetMs = time - a.t;
          nearest = a.what;
        }
    return {
      doc,
      time,
      rank: isConsumerExecution(doc, opts.consumerKind) ? "consumer-execution" : "near-wmi-event",
      offsetMs,
      nearest,
      tooling: wmiTooling(doc),
    };
  });
  const far = Number.POSITIVE_INFINITY;
  return ranked.sort((a, b) => {
    if (a.rank !== b.rank) return a.rank === "consumer-execution" ? -1 : 1;
    if (a.rank === "near-wmi-event") {
      const d = Math.abs(a.offsetMs ?? far) - Math.abs(b.offsetMs ?? far);
      if (d !== 0 && !Number.isNaN(d)) return d;
    }
    return (a.time ?? far) - (b.time ?? far);
  });
}

/** "2.4 s after Sysmon 21", "3 min 5 s before Sysmon 19" */
export function describeOffset(offsetMs: number, nearest: string): string {
  const abs = Math.abs(offsetMs);
  const side = offsetMs < 0 ? "before" : "after";
  if (abs === 0) return `at the time of ${nearest}`;
  const text =
    abs < 1000
      ? `${abs} ms`
      : abs < 60_000
        ? `${(abs / 1000).toFixed(1).replace(/\.0$/, "")} s`
        : `${Math.floor(abs / 60_000)} min ${Math.round((abs % 60_000) / 1000)} s`;
  return `${text} ${side} ${nearest}`;
}
