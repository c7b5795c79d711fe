import { decodePayloads } from "./decode-payload";
import type { EcsDocument } from "@/lib/ecs/document";
import { describeTime, getEventTime, getLoggedField, getString, isSameHost } from "./fields";
import { consumerKindOf, describeOffset, rankRelatedProcesses } from "./related-processes";
import { rebuildSubscription, type RebuiltSubscription } from "./wmi-subscription";

/** What the alert page shows under each investigation step of the guide (ids as in the rule's guide). */

export interface EvidenceItem {
  label: string;
  /** the ECS field (or a description of the source) the value comes from */
  field: string;
  /** null when the data has nothing; `missing` then says why */
  value: string | null;
  missing?: string;
  /** what makes the item stand out (a consumer execution, a WMI tool); shown as a badge */
  tags?: string[];
}

export interface RelatedAlert {
  id: string;
  ruleName: string;
  severity: string;
  timestamp: string;
  reason?: string;
}

export interface InvestigationContext {
  /** the host's events around the alert */
  hostEvents?: EcsDocument[];
  /** process events on the host around the alert (step 4); taken from hostEvents when absent */
  processEvents?: EcsDocument[];
  /** other alerts for the same host or user (step 5) */
  relatedAlerts?: RelatedAlert[];
  subscription?: RebuiltSubscription;
  /** the subscription's 19/20/21 (and Defend API) events on the host; processes rank by their distance to these */
  wmiEvents?: EcsDocument[];
  windowMinutes?: number;
}

function isSysmonAlert(doc: EcsDocument): boolean {
  return (
    getString(doc, "event.dataset") === "windows.sysmon_operational" ||
    getString(doc, "winlog.event_data.Consumer") !== undefined
  );
}

function field(doc: EcsDocument, label: string, path: string, missingWhy: string): EvidenceItem {
  const found = getLoggedField(doc, path);
  return found === undefined
    ? { label, field: path, value: null, missing: missingWhy }
    : { label, field: found.field, value: found.value };
}

function sysmon21Fields(doc: EcsDocument): EvidenceItem[] {
  if (!isSysmonAlert(doc)) {
    const why = "this alert came from Elastic Defend (endpoint.events.api); the Sysmon 21 fields are absent";
    return ["Operation", "Consumer", "Filter"].map((f) => ({
      label: f,
      field: `winlog.event_data.${f}`,
      value: null,
      missing: why,
    }));
  }
  const why = "the Sysmon 21 event does not carry this field";
  return [
    field(doc, "Event code", "event.code", why),
    field(doc, "Operation", "winlog.event_data.Operation", why),
    field(doc, "Consumer", "winlog.event_data.Consumer", why),
    field(doc, "Filter", "winlog.event_data.Filter", why),
    field(doc, "User", "winlog.event_data.User", why),
  ];
}

function apiFields(doc: EcsDocument): EvidenceItem[] {
  if (isSysmonAlert(doc)) {
    const why = "this alert came from Sysmon; the endpoint API fields are absent";
    return [
      { label: "API", field: "process.Ext.api.name", value: null, missing: why },
      { label: "Consumer type", field: "process.Ext.api.parameters.consumer_type", value: null, missing: why },
      {
        label: "Process",
        field: "process.executable",
        value: null,
        missing: `${why} (Sysmon 21 records only the user, not the process)`,
      },
    ];
  }
  const why = "the Elastic Defend API event does not carry this field";
  return [
    field(doc, "API", "process.Ext.api.name", why),
    field(doc, "Consumer type", "process.Ext.api.parameters.consumer_type", why),
    field(doc, "Consumer name", "process.Ext.api.parameters.consumer_name", why),
    field(doc, "Process", "process.executable", why),
    field(doc, "Process PID", "process.pid", why),
    field(doc, "Command line", "process.command_line", why),
    field(doc, "User", "user.name", why),
  ];
}

function consumerCommand(sub: RebuiltSubscription): EvidenceItem[] {
  const c = sub.consumer;
  if (!c)
    return [
      {
        label: "Consumer",
        field: "winlog.event_data.Consumer",
        value: null,
        missing: sub.missing.join("; ") || "no consumer in the alert",
      },
    ];
  const source =
    c.source === "sysmon-20"
      ? "Sysmon 20 winlog.event_data.Destination"
      : c.source === "endpoint-api"
        ? "process.Ext.api.parameters.consumer_details"
        : "binding reference only";
  const items: EvidenceItem[] = [
    {
      label: "Consumer",
      field: c.source === "endpoint-api" ? "process.Ext.api.parameters.consumer_name" : "winlog.event_data.Name",
      value: c.name,
    },
    {
      label: "Consumer class",
      field: "consumer class",
      value: c.className ?? null,
      ...(c.className ? {} : { missing: "the consumer class is not recorded" }),
    },
  ];
  if (c.destination === undefined) {
    items.push({
      label: "Command or script",
      field: source,
      value: null,
      missing: sub.missing.find((m) => m.startsWith("consumer")) ?? "the consumer's command or script was not recorded",
    });
    return items;
  }
  items.push({
    label: c.className === "ActiveScriptEventConsumer" || c.type === "Script" ? "Script" : "Command line",
    field: source,
    value: c.destination,
  });
  if (c.scriptingEngine) items.push({ label: "Scripting engine", field: "ScriptingEngine", value: c.scriptingEngine });
  for (const p of decodePayloads(c.destination)) {
    items.push({
      label: `Decoded ${p.kind}${p.depth > 0 ? ` (nested ${p.depth})` : ""}`,
      field: `decoded from ${source}`,
      value: p.error ? null : p.note ? `${p.note}\n${p.decoded}` : p.decoded,
      ...(p.error ? { missing: p.error } : {}),
    });
  }
  if (sub.filter?.query)
    items.push({
      label: "Trigger (filter query)",
      field: "Sysmon 19 winlog.event_data.Query",
      value: sub.filter.query,
    });
  return items;
}

/**
 * A Sysmon 19/20/21 event is the subscription itself, not a process, though Elastic's pipeline
 * puts a consumer's Destination in process.executable.
 */
function isWmiActivityEvent(doc: EcsDocument): boolean {
  const code = getString(doc, "event.code");
  const source = `${getString(doc, "event.dataset") ?? ""} ${getString(doc, "event.provider") ?? getString(doc, "winlog.provider_name") ?? ""}`;
  return (code === "19" || code === "20" || code === "21") && /sysmon/i.test(source);
}

function nearbyProcesses(doc: EcsDocument, context: InvestigationContext): EvidenceItem[] {
  const events =
    context.processEvents ??
    (context.hostEvents ?? []).filter(
      (e) =>
        !isWmiActivityEvent(e) &&
        (getString(e, "process.executable") !== undefined || getString(e, "process.name") !== undefined),
    );
  if (events.length === 0) {
    return [
      {
        label: "Processes",
        field: "process.*",
        value: null,
        missing: `no process events stored for ${getString(doc, "host.name") ?? "the host"} around the alert`,
      },
    ];
  }
  const alertTime = getEventTime(doc);
  const windowMs = (context.windowMinutes ?? 10) * 60_000;
  const near = events
    .filter(
      (e) =>
        isSameHost(doc, e) &&
        (alertTime === undefined || Math.abs((getEventTime(e) ?? Infinity) - alertTime) <= windowMs),
    )
    .sort((a, b) => (getEventTime(a) ?? 0) - (getEventTime(b) ?? 0));
  if (near.length === 0) {
    return [
      {
        label: "Processes",
        field: "process.*",
        value: null,
        missing: `none of the ${events.length} process events is on this host within ±${windowMs / 60000} min`,
      },
    ];
  }
  const sub = context.subscription;
  const wmiEvents = [doc, ...(context.wmiEvents ?? [sub?.consumer?.event, sub?.filter?.event])].filter(
    (e): e is EcsDocument => e !== undefined,
  );
  const ranked = rankRelatedProcesses(near, {
    consumerKind: consumerKindOf(
      sub?.consumer?.className ?? sub?.consumer?.type ?? getString(doc, "process.Ext.api.parameters.consumer_type"),
    ),
    wmiEvents,
  });
  return ranked.map((p) => {
    const parent = getString(p.doc, "process.parent.name") ?? getString(p.doc, "process.parent.executable");
    const tags = [
      ...(p.rank === "consumer-execution" ? [`consumer execution (child of ${parent ?? "WMI"})`] : []),
      ...(p.tooling ? [`WMI tooling: ${p.tooling}`] : []),
    ];
    return {
      label: `${describeTime(p.doc)}${p.offsetMs !== undefined && p.nearest ? ` · ${describeOffset(p.offsetMs, p.nearest)}` : ""}`,
      field: "process.command_line",
      value:
        getString(p.doc, "process.command_line") ??
        getString(p.doc, "process.executable") ??
        getString(p.doc, "process.name") ??
        "",
      ...(tags.length ? { tags } : {}),
    };
  });
}

function relatedAlerts(context: InvestigationContext): EvidenceItem[] {
  const alerts = context.relatedAlerts ?? [];
  if (alerts.length === 0)
    return [
      {
        label: "Related alerts",
        field: "kibana.alert.*",
        value: null,
        missing: "no other alerts for this host or user",
      },
    ];
  return alerts.map((a) => ({
    label: `${a.timestamp} ${a.severity} ${a.ruleName}`,
    field: `alert ${a.id}`,
    value: a.reason ?? a.ruleName,
  }));
}

export function collectStepEvidence(
  stepId: string,
  alertDoc: EcsDocument,
  context: InvestigationContext = {},
): EvidenceItem[] {
  switch (stepId) {
    case "investigation.sysmon-21-fields":
      return sysmon21Fields(alertDoc);
    case "investigation.api-consumer-type":
      return apiFields(alertDoc);
    case "investigation.consumer-command":
      return consumerCommand(context.subscription ?? rebuildSubscription(alertDoc, context.hostEvents ?? []));
    case "investigation.related-activity":
      return nearbyProcesses(alertDoc, context);
    case "investigation.correlate-alerts":
      return relatedAlerts(context);
    default:
      return [{ label: "Step", field: stepId, value: null, missing: `no evidence collector for step ${stepId}` }];
  }
}
