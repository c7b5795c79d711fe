import type { EcsDocument } from "@/lib/ecs/document";
import { getEventTime, getHostKeys, getLoggedField, getString, isSameHost } from "./fields";
import { parseMofInstance, parseWmiObjectPath, unquoteSysmonValue, type RebuiltSubscription } from "./wmi-subscription";

/**
 * The whole life of one WMI subscription on its host: every Sysmon 19/20/21 event and Elastic
 * Defend API event for the alert's filter, consumer and binding names (exact names, any time),
 * oldest first, with what each Modified event changed, and a state line that says in words what
 * the data says about whether the subscription is still there.
 */

export type LifePart = "filter" | "consumer" | "binding";

export interface LifeChange {
  field: string;
  before?: string;
  after?: string;
}

export interface LifeEvent {
  /** ISO time with milliseconds */
  time: string;
  part: LifePart;
  /** Created / Modified / Deleted as logged (Sysmon) or derived from the API call (Defend) */
  operation: string;
  source: "sysmon-19" | "sysmon-20" | "sysmon-21" | "endpoint-api";
  eventCode: string;
  /** the process that made the change, when the event records it (Defend); Sysmon 19-21 record only the user */
  process?: string;
  user?: string;
  /** the query (filter) or command/script (consumer) this event logged */
  detail?: string;
  /** for Modified events: what changed since the previous event of the same object */
  changes: LifeChange[];
  isAlertEvent: boolean;
}

export interface SubscriptionLife {
  events: LifeEvent[];
  /** the last operation seen per part; null when no event of that part was found */
  last: Record<LifePart, string | null>;
  /** the binding's last recorded operation is a deletion */
  removalLooksDone: boolean;
  /** the sentence the page shows */
  state: string;
}

function normOperation(value: string | undefined): string {
  const v = (value ?? "").trim();
  const lower = v.toLowerCase();
  if (lower === "created") return "Created";
  if (lower === "modified") return "Modified";
  if (lower === "deleted") return "Deleted";
  return v || "?";
}

/** Defend's API name: PutInstance creates or updates, DeleteInstance deletes. */
function apiOperation(api: string | undefined): string {
  if (!api) return "?";
  if (/delete/i.test(api)) return "Deleted";
  if (/put|create/i.test(api)) return "Created";
  return api;
}

function code(doc: EcsDocument): string | undefined {
  return (getString(doc, "event.code") ?? getString(doc, "winlog.event_id"))?.trim();
}

function isApiEvent(doc: EcsDocument): boolean {
  return getString(doc, "process.Ext.api.name") !== undefined;
}

/** `2019-07-19 14:57:02.378Z`: the app's time format, with the milliseconds a sub-second story needs. */
export function formatPreciseTime(ms: number): string {
  return new Date(ms).toISOString().replace("T", " ");
}

function formatGap(ms: number): string {
  if (ms < 1000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 60_000) return `${Math.round(ms / 100) / 10} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 6000) / 10} min`;
  if (ms < 86_400_000) return `${Math.round(ms / 360_000) / 10} h`;
  return `${Math.round(ms / 8_640_000) / 10} days`;
}

interface Names {
  consumer?: string;
  consumerClass?: string;
  filter?: string;
}

function namesOf(sub: RebuiltSubscription): Names {
  return {
    consumer: sub.binding?.consumer?.name ?? sub.consumer?.name,
    consumerClass: sub.binding?.consumer?.className ?? sub.consumer?.className,
    filter: sub.binding?.filter?.name ?? sub.filter?.name,
  };
}

const CONSUMER_TYPE_BY_CLASS: Record<string, string> = {
  commandlineeventconsumer: "command line",
  activescripteventconsumer: "script",
  logfileeventconsumer: "log file",
  nteventlogeventconsumer: "event log",
  smtpeventconsumer: "smtp",
};

function sameConsumerClass(doc: EcsDocument, className: string | undefined): boolean {
  const wanted = className ? CONSUMER_TYPE_BY_CLASS[className.toLowerCase()] : undefined;
  const type = getString(doc, "winlog.event_data.Type")?.trim().toLowerCase();
  return wanted === undefined || type === undefined || type === wanted;
}

function loggedName(doc: EcsDocument): string | undefined {
  const n = getString(doc, "winlog.event_data.Name");
  return n === undefined ? undefined : unquoteSysmonValue(n);
}

function sysmonDetail(doc: EcsDocument, part: LifePart): string | undefined {
  if (part === "filter") {
    const q = getString(doc, "winlog.event_data.Query");
    return q === undefined ? undefined : unquoteSysmonValue(q);
  }
  if (part === "consumer") {
    const d = getLoggedField(doc, "winlog.event_data.Destination")?.value;
    return d === undefined ? undefined : unquoteSysmonValue(d);
  }
  return undefined;
}

/** The parts of the alert's subscription one event is about (an API event can name several). */
function partsOf(doc: EcsDocument, names: Names): { part: LifePart; detail?: string }[] {
  if (isApiEvent(doc)) {
    const p = "process.Ext.api.parameters";
    const consumer = getString(doc, `${p}.consumer_name`);
    const filter = getString(doc, `${p}.event_filter_name`);
    const cMof = getString(doc, `${p}.consumer_details`);
    const fMof = getString(doc, `${p}.event_filter_details`);
    const cProps = cMof ? parseMofInstance(cMof).properties : {};
    const fProps = fMof ? parseMofInstance(fMof).properties : {};
    const cName = consumer ?? cProps.Name;
    const fName = filter ?? fProps.Name;
    const ours = {
      c: cName !== undefined && cName === names.consumer,
      f: fName !== undefined && fName === names.filter,
    };
    const out: { part: LifePart; detail?: string }[] = [];
    if (ours.c && ours.f) out.push({ part: "binding" });
    else if (ours.c)
      out.push({
        part: "consumer",
        detail: cProps.CommandLineTemplate ?? cProps.ExecutablePath ?? cProps.ScriptText ?? cProps.ScriptFileName,
      });
    else if (ours.f) out.push({ part: "filter", detail: fProps.Query });
    return out;
  }
  switch (code(doc)) {
    case "19":
      return names.filter !== undefined && loggedName(doc) === names.filter
        ? [{ part: "filter", detail: sysmonDetail(doc, "filter") }]
        : [];
    case "20":
      return names.consumer !== undefined &&
        loggedName(doc) === names.consumer &&
        sameConsumerClass(doc, names.consumerClass)
        ? [{ part: "consumer", detail: sysmonDetail(doc, "consumer") }]
        : [];
    case "21": {
      const c = parseRef(doc, "winlog.event_data.Consumer");
      const f = parseRef(doc, "winlog.event_data.Filter");
      // the binding's identity is both references: another binding of the same filter is not this one
      const ours =
        c !== undefined &&
        c.name === names.consumer &&
        (names.consumerClass === undefined || c.className.toLowerCase() === names.consumerClass.toLowerCase()) &&
        (names.filter === undefined ? f === undefined : f?.name === names.filter);
      return ours ? [{ part: "binding" }] : [];
    }
    default:
      return [];
  }
}

function parseRef(doc: EcsDocument, field: string) {
  const raw = getString(doc, field);
  return raw === undefined ? undefined : parseWmiObjectPath(raw);
}

function processOf(doc: EcsDocument): string | undefined {
  if (!isApiEvent(doc)) return undefined;
  const exe = getString(doc, "process.executable") ?? getString(doc, "process.name");
  const pid = getString(doc, "process.pid");
  return exe === undefined ? undefined : pid ? `${exe} (PID ${pid})` : exe;
}

/**
 * Every event of the alert's subscription among `hostEvents`, oldest first, and the state line.
 * `alertDoc`'s own event is included (marked). `lastSeen` is the time of the host's last stored
 * event, when known; otherwise the last event of the subscription.
 */
export function buildSubscriptionLife(
  alertDoc: EcsDocument,
  sub: RebuiltSubscription,
  hostEvents: EcsDocument[],
  opts: { lastSeen?: number } = {},
): SubscriptionLife {
  const names = namesOf(sub);
  const hasHost = getHostKeys(alertDoc).size > 0;
  // the alert's own event first: the same event among the host's events is then skipped as a repeat
  const docs = [alertDoc, ...hostEvents.filter((d) => d !== alertDoc)];
  const seen = new Set<string>();
  const rows: (LifeEvent & { t: number; order: number })[] = [];
  docs.forEach((doc, order) => {
    if (order > 0 && hasHost && !isSameHost(alertDoc, doc)) return;
    const t = getEventTime(doc);
    if (t === undefined) return;
    for (const { part, detail } of partsOf(doc, names)) {
      const operation = isApiEvent(doc)
        ? apiOperation(getString(doc, "process.Ext.api.name"))
        : normOperation(getString(doc, "winlog.event_data.Operation"));
      const key = `${part}|${operation}|${t}|${detail ?? ""}`;
      if (seen.has(key)) continue;
      seen.add(key);
      rows.push({
        t,
        order,
        time: new Date(t).toISOString(),
        part,
        operation,
        source: isApiEvent(doc) ? "endpoint-api" : (`sysmon-${code(doc)}` as LifeEvent["source"]),
        eventCode: isApiEvent(doc) ? "api" : (code(doc) ?? "?"),
        process: processOf(doc),
        user: getLoggedField(doc, "winlog.event_data.User")?.value,
        detail,
        changes: [],
        isAlertEvent: order === 0,
      });
    }
  });
  rows.sort((a, b) => a.t - b.t || a.order - b.order);

  // what a Modified event changed: its value against the last value logged for the same object
  const lastDetail: Partial<Record<LifePart, string>> = {};
  for (const r of rows) {
    if (r.operation === "Modified") {
      const field = r.part === "filter" ? "query" : r.part === "consumer" ? "command" : "references";
      const before = lastDetail[r.part];
      if (before !== undefined && r.detail !== undefined && before !== r.detail)
        r.changes.push({ field, before, after: r.detail });
      else if (r.detail !== undefined && before === undefined) r.changes.push({ field, after: r.detail });
    }
    if (r.detail !== undefined) lastDetail[r.part] = r.detail;
  }

  const events: LifeEvent[] = rows.map(({ t: _t, order: _o, ...e }) => e);
  const last: Record<LifePart, string | null> = { filter: null, consumer: null, binding: null };
  for (const e of events) last[e.part] = e.operation;
  const lastSeen = opts.lastSeen ?? (rows.length ? rows[rows.length - 1].t : undefined);
  return {
    events,
    last,
    removalLooksDone: last.binding === "Deleted",
    state: describeState(rows, last, lastSeen),
  };
}

function describeState(
  rows: { t: number; part: LifePart; operation: string }[],
  last: Record<LifePart, string | null>,
  lastSeen: number | undefined,
): string {
  if (rows.length === 0) return "no event of this subscription was found on the host";
  const at = lastSeen === undefined ? "" : ` (${formatPreciseTime(lastSeen)})`;
  const bindingRows = rows.filter((r) => r.part === "binding");
  const created = bindingRows.filter((r) => r.operation === "Created").pop();
  const deleted = last.binding === "Deleted" ? bindingRows[bindingRows.length - 1] : undefined;
  let bindingText: string;
  if (deleted && created && created.t <= deleted.t) {
    bindingText = `binding created ${formatPreciseTime(created.t)} and deleted ${formatGap(deleted.t - created.t)} later`;
  } else if (deleted) {
    bindingText = `binding deleted ${formatPreciseTime(deleted.t)}`;
  } else if (created) {
    bindingText = `binding created ${formatPreciseTime(created.t)}`;
  } else {
    bindingText = "no binding event recorded";
  }
  const others = (["consumer", "filter"] as const).map((p) => ({ p, op: last[p] }));
  const gone = others.filter((o) => o.op === "Deleted").map((o) => o.p);
  const kept = others.filter((o) => o.op !== "Deleted" && o.op !== null).map((o) => o.p);
  const unseen = others.filter((o) => o.op === null).map((o) => o.p);
  const join = (xs: string[]) => xs.join(" and ");

  if (last.binding === "Deleted") {
    const parts = [bindingText];
    if (gone.length) parts.push(`${join(gone)} deleted too`);
    if (kept.length) parts.push(`${join(kept)} still present: no deletion recorded`);
    if (unseen.length) parts.push(`no event of the ${join(unseen)} recorded`);
    const tail =
      gone.length === 2
        ? ` — nothing of it is present at the last event seen${at}`
        : ` — the binding is gone at the last event seen${at}, so the consumer no longer fires`;
    return `${parts.join("; ")}${tail}`;
  }
  const parts = [`still present: no deletion of the binding recorded (${bindingText})`];
  if (gone.length) parts.push(`${join(gone)} deleted`);
  return `${parts.join("; ")} — as of the last event seen${at}`;
}

/** Whitespace and invisible characters a near-match may add or swap (kept in step with the SQL in the loader). */
export const INVISIBLE_OR_SPACE = /[\s\u00a0\u200b-\u200f\u2028\u2029\u2060\ufeff]/gu;

/**
 * Lower-case search keys that every event of the subscription (and every near-match of its
 * names) contains once case, whitespace and invisible characters are removed: the longest run of
 * plain characters of each name. Undefined when a name has no run long enough to narrow a search
 * (the caller then reads all the host's subscription events).
 */
export function subscriptionSearchKeys(sub: RebuiltSubscription): string[] | undefined {
  const names = [sub.binding?.consumer?.name ?? sub.consumer?.name, sub.binding?.filter?.name ?? sub.filter?.name];
  const keys: string[] = [];
  for (const name of names) {
    if (name === undefined) continue;
    const skeleton = name.replace(INVISIBLE_OR_SPACE, "").toLowerCase();
    const runs = skeleton.split(/[^a-z0-9_.-]+/).sort((a, b) => b.length - a.length);
    if (!runs[0] || runs[0].length < 3) return undefined;
    keys.push(runs[0]);
  }
  return keys.length > 0 ? keys : undefined;
}

/** What one WMI subscription event names: its part and the names that tie it to a subscription. */
export interface SubscriptionNames {
  part: LifePart | null;
  consumer?: string;
  /** the consumer's class (`CommandLineEventConsumer`) from a binding's reference or Defend's consumer_type */
  consumerClass?: string;
  filter?: string;
  /** the consumer's command or script, or the filter's query, as this event logged it */
  detail?: string;
}

/**
 * The part of a subscription one event is about, and its names exactly as logged (Sysmon 19's
 * filter Name, 20's consumer Name, 21's two references; Defend's consumer_name/event_filter_name).
 * Names are identities: never trimmed or case-folded (see rebuildSubscription).
 */
export function subscriptionNamesOf(doc: EcsDocument): SubscriptionNames {
  if (isApiEvent(doc)) {
    const p = "process.Ext.api.parameters";
    const consumer = getString(doc, `${p}.consumer_name`);
    const filter = getString(doc, `${p}.event_filter_name`);
    const cMof = getString(doc, `${p}.consumer_details`);
    const cProps = cMof ? parseMofInstance(cMof).properties : {};
    const detail = cProps.CommandLineTemplate ?? cProps.ExecutablePath ?? cProps.ScriptText ?? cProps.ScriptFileName;
    const consumerClass = getString(doc, `${p}.consumer_type`)?.trim();
    // a call that names both is (or touches) the binding; one name alone is that part
    const part: LifePart | null =
      consumer !== undefined && filter !== undefined
        ? "binding"
        : consumer !== undefined
          ? "consumer"
          : filter !== undefined
            ? "filter"
            : null;
    return { part, consumer, consumerClass, filter, detail };
  }
  switch (code(doc)) {
    case "19":
      return { part: "filter", filter: loggedName(doc), detail: sysmonDetail(doc, "filter") };
    case "20":
      return { part: "consumer", consumer: loggedName(doc), detail: sysmonDetail(doc, "consumer") };
    case "21": {
      const c = parseRef(doc, "winlog.event_data.Consumer");
      const f = parseRef(doc, "winlog.event_data.Filter");
      return { part: "binding", consumer: c?.name, consumerClass: c?.className, filter: f?.name };
    }
    default:
      return { part: null };
  }
}
