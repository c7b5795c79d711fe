import type { EcsDocument } from "@/lib/ecs/document";
import { describeHost, getEventTime, getHostKeys, getLoggedField, getString, isSameHost } from "./fields";

/**
 * Rebuilds a WMI permanent event subscription (filter → binding → consumer) from the alert and
 * the host's other events. Sysmon logs the three parts as separate events (19 WmiFilterEvent,
 * 20 WmiConsumerEvent, 21 WmiBindingEvent; https://learn.microsoft.com/sysinternals/downloads/sysmon),
 * linked only by the names inside the binding's object paths.
 */

export interface WmiObjectPath {
  /** `.` for the local machine when the path has `\\.\…` */
  server?: string;
  /** as written, e.g. `ROOT\subscription`; absent when Sysmon logged a relative path */
  namespace?: string;
  className: string;
  /** the key property, normally `Name` */
  keyName: string;
  name: string;
}

export interface WmiBinding {
  source: "sysmon-21" | "endpoint-api";
  /** the values exactly as logged */
  consumerRef?: string;
  filterRef?: string;
  consumer?: WmiObjectPath;
  filter?: WmiObjectPath;
  operation?: string;
  user?: string;
  timestamp?: string;
}

export interface WmiConsumer {
  /**
   * where the details come from: the consumer's own event, the endpoint API parameters, or only the binding's
   * reference
   */
  source: "sysmon-20" | "endpoint-api" | "binding-ref";
  name: string;
  className?: string;
  /** Sysmon's `Type` (`Command Line`, `Script`, …) */
  type?: string;
  /** the command line (CommandLineEventConsumer) or script text/file (ActiveScriptEventConsumer), unquoted */
  destination?: string;
  /** `Destination` exactly as logged */
  rawDestination?: string;
  scriptingEngine?: string;
  operation?: string;
  timestamp?: string;
  event?: EcsDocument;
}

export interface WmiFilter {
  source: "sysmon-19" | "endpoint-api" | "binding-ref";
  name: string;
  eventNamespace?: string;
  query?: string;
  queryLanguage?: string;
  operation?: string;
  timestamp?: string;
  event?: EcsDocument;
}

export interface RebuiltSubscription {
  binding: WmiBinding | null;
  consumer: WmiConsumer | null;
  filter: WmiFilter | null;
  /** what could not be found, and why */
  missing: string[];
  /** same names but for case, whitespace or invisible characters: shown, never joined */
  nearMatches: NearMatch[];
  /** a Sysmon 19 event shows the filter (exact name) being created on this host */
  filterSeenCreated: boolean;
}

function filterSeenCreated(events: EcsDocument[], name: string | undefined): boolean {
  if (name === undefined) return false;
  return events.some(
    (e) =>
      sysmonEventCode(e) === "19" &&
      loggedName(e) === name &&
      getString(e, "winlog.event_data.Operation")?.trim().toLowerCase() === "created",
  );
}

/**
 * Sysmon writes WMI values as MOF string literals after a space: ` "CommandLineEventConsumer.Name=\"x\""`
 * (backslashes doubled, quotes escaped). Undo exactly that layer: the ASCII spaces outside the
 * quotes and the escapes. Everything inside the quotes is kept as written — a name's trailing
 * space, U+00A0 or zero-width character is part of its identity. Values that are not quoted are
 * returned unchanged.
 */
export function unquoteSysmonValue(raw: string): string {
  const m = /^ *"([\s\S]*)" *$/.exec(raw);
  if (m) return m[1].replace(/\\(["\\])/g, "$1");
  return raw;
}

function readQuoted(text: string): string | undefined {
  const quote = text[0];
  if (quote !== '"' && quote !== "'") return undefined;
  let out = "";
  for (let i = 1; i < text.length; i++) {
    const c = text[i];
    if (c === "\\" && i + 1 < text.length) {
      out += text[++i];
    } else if (c === quote) {
      return out;
    } else {
      out += c;
    }
  }
  return undefined;
}

/**
 * `\\.\ROOT\subscription:CommandLineEventConsumer.Name="evil"` → parts. Accepts the Sysmon-quoted
 * form too. Returns undefined when the text is not a WMI object path.
 */
export function parseWmiObjectPath(ref: string): WmiObjectPath | undefined {
  const text = unquoteSysmonValue(ref).replace(/^ +/, "");
  // the namespace prefix cannot contain `"` or `=`, so a `:` inside the quoted name is not taken for it
  const m = /^(?:([^"=]*?):)?([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)\s*=\s*([\s\S]*)$/.exec(text);
  if (!m) return undefined;
  const [, prefix, className, keyName, rawValue] = m;
  const value = rawValue.trim();
  const name = readQuoted(value) ?? value;
  const result: WmiObjectPath = { className, keyName, name };
  if (prefix) {
    const server = /^(?:\\\\|\/\/)([^\\/]+)[\\/](.*)$/.exec(prefix);
    if (server) {
      result.server = server[1];
      result.namespace = server[2];
    } else {
      result.namespace = prefix;
    }
  }
  return result;
}

/**
 * What is left of a name without case, whitespace and invisible (format) characters. Two names
 * with the same skeleton that are not identical are near-matches: shown, never joined — a decoy
 * `evil\u00a0` next to the bound `evil` must not lend the alert its command.
 */
export function wmiNameSkeleton(value: string): string {
  return value.replace(/[\s\p{Cf}]/gu, "").toLowerCase();
}

/**
 * A name with every character outside printable ASCII (and any leading or trailing space) written
 * as its code point: `evil U+00A0` → `evil<U+00A0>`. The result is printable ASCII only, so it is
 * safe inside a PowerShell line comment.
 */
export function describeCodePoints(value: string): string {
  const chars = [...value];
  return chars
    .map((c, i) => {
      const cp = c.codePointAt(0)!;
      const edge = i === 0 || i === chars.length - 1;
      if (cp > 0x20 && cp < 0x7f) return c;
      if (cp === 0x20 && !edge) return c;
      return `<U+${cp.toString(16).toUpperCase().padStart(4, "0")}>`;
    })
    .join("");
}

/** How `name` differs from `bound` when they are near-matches: case, whitespace, invisible characters. */
export function describeNearMatch(name: string, bound: string): string[] {
  const kinds: string[] = [];
  const strip = (v: string) => v.replace(/[\s\p{Cf}]/gu, "");
  if (strip(name) !== strip(bound)) kinds.push("case");
  const ws = (v: string) => [...v].filter((c) => /\s/u.test(c)).join("");
  if (ws(name) !== ws(bound)) kinds.push("whitespace");
  const inv = (v: string) => [...v].filter((c) => /\p{Cf}/u.test(c)).join("");
  if (inv(name) !== inv(bound)) kinds.push("invisible characters");
  if (kinds.length === 0 && name !== bound) kinds.push("case");
  return kinds;
}

const CONSUMER_TYPE_BY_CLASS: Record<string, string> = {
  commandlineeventconsumer: "command line",
  activescripteventconsumer: "script",
  logfileeventconsumer: "log file",
  nteventlogeventconsumer: "event log",
  smtpeventconsumer: "smtp",
};

function sysmonEventCode(doc: EcsDocument): string | undefined {
  const code = getString(doc, "event.code") ?? getString(doc, "winlog.event_id");
  if (code !== undefined) return code.trim();
  const type = getString(doc, "winlog.event_data.EventType");
  if (type === "WmiFilterEvent") return "19";
  if (type === "WmiConsumerEvent") return "20";
  if (type === "WmiBindingEvent") return "21";
  return undefined;
}

/**
 * Of the host's events with the wanted name: the latest one at or before the binding that is not
 * a deletion; else the earliest after it (Sysmon can log the filter after the binding); deletions
 * only when nothing else exists.
 */
function pickDefinition(candidates: EcsDocument[], bindingTime: number | undefined): EcsDocument | undefined {
  const rank = (doc: EcsDocument) =>
    getString(doc, "winlog.event_data.Operation")?.trim().toLowerCase() === "deleted" ? 1 : 0;
  const best = Math.min(...candidates.map(rank));
  const pool = candidates.filter((d) => rank(d) === best);
  if (pool.length === 0) return undefined;
  const timed = pool.map((doc) => ({ doc, t: getEventTime(doc) ?? Number.NaN }));
  if (bindingTime === undefined) {
    return timed.reduce((a, b) => (b.t > a.t ? b : a)).doc;
  }
  const before = timed.filter((x) => x.t <= bindingTime);
  if (before.length > 0) return before.reduce((a, b) => (b.t > a.t ? b : a)).doc;
  const after = timed.filter((x) => x.t > bindingTime);
  if (after.length > 0) return after.reduce((a, b) => (b.t < a.t ? b : a)).doc;
  return pool[0];
}

function eventsOnHost(alertDoc: EcsDocument, hostEvents: EcsDocument[]): EcsDocument[] {
  // without any host identity on the alert we cannot tell hosts apart: trust the caller's selection
  if (getHostKeys(alertDoc).size === 0) return hostEvents;
  return hostEvents.filter((e) => isSameHost(alertDoc, e));
}

/** The name a Sysmon 19/20 event logs, Sysmon's quoting undone, exactly as written otherwise. */
function loggedName(event: EcsDocument): string | undefined {
  const n = getString(event, "winlog.event_data.Name");
  return n === undefined ? undefined : unquoteSysmonValue(n);
}

function isConsumerOfClass(event: EcsDocument, className: string | undefined): boolean {
  const wantedType = className ? CONSUMER_TYPE_BY_CLASS[className.toLowerCase()] : undefined;
  const type = getString(event, "winlog.event_data.Type")?.trim().toLowerCase();
  // consumer names are unique per class only, so a same-named consumer of another class is not ours
  return wantedType === undefined || type === undefined || type === wantedType;
}

/** Identity is exact: the name as the binding references it, never trimmed or case-folded. */
function findConsumerEvent(
  events: EcsDocument[],
  name: string,
  className: string | undefined,
  bindingTime: number | undefined,
): EcsDocument | undefined {
  const candidates = events.filter(
    (e) => sysmonEventCode(e) === "20" && loggedName(e) === name && isConsumerOfClass(e, className),
  );
  return pickDefinition(candidates, bindingTime);
}

function findFilterEvent(
  events: EcsDocument[],
  name: string,
  bindingTime: number | undefined,
): EcsDocument | undefined {
  const candidates = events.filter((e) => sysmonEventCode(e) === "19" && loggedName(e) === name);
  return pickDefinition(candidates, bindingTime);
}

export interface NearMatch {
  part: "filter" | "consumer" | "binding";
  /** the near-matching name exactly as logged */
  name: string;
  /** the name the alert's binding references */
  boundName: string;
  /** both names with invisible and non-ASCII characters as code points */
  nameCodePoints: string;
  boundCodePoints: string;
  /** what differs: case, whitespace, invisible characters */
  differences: string[];
  eventCode: string;
  operation?: string;
  timestamp?: string;
}

/**
 * Filters, consumers and bindings on the host whose names differ from the alert's only by case,
 * whitespace or invisible characters. They are never joined to the alert; the page and the
 * removal script name them so nobody takes one for the other.
 */
export function findNearMatches(events: EcsDocument[], names: { consumer?: string; filter?: string }): NearMatch[] {
  const out: NearMatch[] = [];
  const seen = new Set<string>();
  const add = (part: NearMatch["part"], name: string, bound: string | undefined, event: EcsDocument) => {
    if (bound === undefined || name === bound || wmiNameSkeleton(name) !== wmiNameSkeleton(bound)) return;
    const operation = getString(event, "winlog.event_data.Operation")?.trim();
    const timestamp = isoTime(event);
    const key = `${part}\u0000${name}\u0000${operation}\u0000${timestamp}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({
      part,
      name,
      boundName: bound,
      nameCodePoints: describeCodePoints(name),
      boundCodePoints: describeCodePoints(bound),
      differences: describeNearMatch(name, bound),
      eventCode: sysmonEventCode(event) ?? "?",
      operation,
      timestamp,
    });
  };
  for (const e of events) {
    const code = sysmonEventCode(e);
    if (code === "19") {
      const n = loggedName(e);
      if (n !== undefined) add("filter", n, names.filter, e);
    } else if (code === "20") {
      const n = loggedName(e);
      if (n !== undefined) add("consumer", n, names.consumer, e);
    } else if (code === "21") {
      const c = parseRef(e, "winlog.event_data.Consumer");
      const f = parseRef(e, "winlog.event_data.Filter");
      if (c) add("binding", c.name, names.consumer, e);
      if (f) add("binding", f.name, names.filter, e);
    }
  }
  return out;
}

function parseRef(event: EcsDocument, field: string): WmiObjectPath | undefined {
  const raw = getString(event, field);
  return raw === undefined ? undefined : parseWmiObjectPath(raw);
}

function consumerFromEvent(event: EcsDocument, className: string | undefined): WmiConsumer {
  // Elastic's sysmon_operational pipeline renames a Sysmon 20 event's Destination to
  // process.executable, so a normalised document has it there; raw documents keep it in event_data.
  const rawDestination = getLoggedField(event, "winlog.event_data.Destination")?.value;
  return {
    source: "sysmon-20",
    name: loggedName(event) ?? "",
    className,
    type: getString(event, "winlog.event_data.Type")?.trim(),
    destination: rawDestination === undefined ? undefined : unquoteSysmonValue(rawDestination),
    rawDestination,
    operation: getString(event, "winlog.event_data.Operation")?.trim(),
    timestamp: isoTime(event),
    event,
  };
}

function filterFromEvent(event: EcsDocument): WmiFilter {
  const ns = getString(event, "winlog.event_data.EventNamespace");
  const query = getString(event, "winlog.event_data.Query");
  return {
    source: "sysmon-19",
    name: loggedName(event) ?? "",
    eventNamespace: ns === undefined ? undefined : unquoteSysmonValue(ns),
    query: query === undefined ? undefined : unquoteSysmonValue(query),
    operation: getString(event, "winlog.event_data.Operation")?.trim(),
    timestamp: isoTime(event),
    event,
  };
}

function isoTime(doc: EcsDocument): string | undefined {
  const t = getEventTime(doc);
  return t === undefined ? undefined : new Date(t).toISOString();
}

/**
 * Properties of an Elastic Defend `consumer_details` / `event_filter_details` value, which is the
 * instance's MOF text: `CommandLineEventConsumer{Name = "x"; CommandLineTemplate = "…";};`.
 */
export function parseMofInstance(text: string): { className?: string; properties: Record<string, string> } {
  const properties: Record<string, string> = {};
  const head = /^\s*(?:instance of\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*\{/.exec(text);
  const body = head ? text.slice(head[0].length) : text;
  const re = /([A-Za-z_][A-Za-z0-9_]*)\s*=\s*("(?:[^"\\]|\\[\s\S])*"|[^;{}]*)\s*;/g;
  for (let m = re.exec(body); m; m = re.exec(body)) {
    const value = m[2].trim();
    properties[m[1]] = value.startsWith('"') ? value.slice(1, -1).replace(/\\(["\\])/g, "$1") : value;
  }
  return { className: head?.[1], properties };
}

function rebuildFromEndpointApi(alertDoc: EcsDocument, events: EcsDocument[], missing: string[]): RebuiltSubscription {
  const p = "process.Ext.api.parameters";
  const consumerType = getString(alertDoc, `${p}.consumer_type`)?.trim();
  const consumerDetails = getString(alertDoc, `${p}.consumer_details`);
  const filterDetails = getString(alertDoc, `${p}.event_filter_details`);
  const consumerMof = consumerDetails ? parseMofInstance(consumerDetails) : undefined;
  const filterMof = filterDetails ? parseMofInstance(filterDetails) : undefined;
  // names exactly as Defend reports them: a trailing space or U+00A0 is part of the name
  const consumerName = getString(alertDoc, `${p}.consumer_name`) ?? consumerMof?.properties.Name;
  const filterName = getString(alertDoc, `${p}.event_filter_name`) ?? filterMof?.properties.Name;
  const namespace = getString(alertDoc, `${p}.namespace`)?.trim();
  const time = getEventTime(alertDoc);

  let consumer: WmiConsumer | null = null;
  if (consumerName !== undefined || consumerType !== undefined || consumerMof) {
    const props = consumerMof?.properties ?? {};
    consumer = {
      source: "endpoint-api",
      name: consumerName ?? "",
      className: consumerType ?? consumerMof?.className,
      destination: props.CommandLineTemplate ?? props.ExecutablePath ?? props.ScriptText ?? props.ScriptFileName,
      scriptingEngine: props.ScriptingEngine,
      operation: getString(alertDoc, "process.Ext.api.name"),
      timestamp: isoTime(alertDoc),
      event: alertDoc,
    };
    if (consumer.destination === undefined && consumerName) {
      const ev = findConsumerEvent(events, consumerName, consumer.className, time);
      if (ev) consumer = { ...consumerFromEvent(ev, consumer.className), name: consumerName };
      else
        missing.push(
          `consumer "${consumerName}": the API event has no command or script (consumer_details) and no Sysmon 20 event for it on ${describeHost(alertDoc)}`,
        );
    }
    if (!consumerName) missing.push("consumer name: process.Ext.api.parameters.consumer_name is absent");
  } else {
    missing.push("consumer: process.Ext.api.parameters has no consumer_name, consumer_type or consumer_details");
  }

  let filter: WmiFilter | null = null;
  if (filterName !== undefined) {
    const props = filterMof?.properties ?? {};
    filter = {
      source: "endpoint-api",
      name: filterName,
      eventNamespace: props.EventNamespace,
      query: props.Query,
      queryLanguage: props.QueryLanguage,
    };
    if (filter.query === undefined) {
      const ev = findFilterEvent(events, filterName, time);
      if (ev) filter = filterFromEvent(ev);
      else
        missing.push(
          `filter "${filterName}": no query in event_filter_details and no Sysmon 19 event for it on ${describeHost(alertDoc)}`,
        );
    }
  } else {
    missing.push("filter: the API event names no event filter (process.Ext.api.parameters.event_filter_name)");
  }

  // IWbemServices::PutInstance of a consumer is not a binding; record what links them if the API gave both names
  const binding: WmiBinding | null =
    consumerName || filterName
      ? {
          source: "endpoint-api",
          consumer:
            consumerName && consumer?.className
              ? { namespace, className: consumer.className, keyName: "Name", name: consumerName }
              : undefined,
          filter: filterName ? { namespace, className: "__EventFilter", keyName: "Name", name: filterName } : undefined,
          operation: getString(alertDoc, "process.Ext.api.name"),
          user: getString(alertDoc, "user.name"),
          timestamp: isoTime(alertDoc),
        }
      : null;
  return {
    binding,
    consumer,
    filter,
    missing,
    nearMatches: findNearMatches(events, { consumer: consumerName, filter: filterName }),
    filterSeenCreated: filterSeenCreated(events, filterName),
  };
}

/**
 * Whether rebuildSubscription's result for this alert can depend on the host's events: not when the
 * alert names no consumer and no filter (no Sysmon 21 references, no Elastic Defend API names or
 * details), since every look-up in the host's events is by one of those names. A rule run skips
 * loading the host's events for such alerts.
 */
export function usesHostEvents(alertDoc: EcsDocument): boolean {
  const p = "process.Ext.api.parameters";
  return [
    "winlog.event_data.Consumer",
    "winlog.event_data.Filter",
    `${p}.consumer_name`,
    `${p}.consumer_details`,
    `${p}.event_filter_name`,
    `${p}.event_filter_details`,
  ].some((path) => getString(alertDoc, path) !== undefined);
}

export function rebuildSubscription(alertDoc: EcsDocument, hostEvents: EcsDocument[]): RebuiltSubscription {
  const missing: string[] = [];
  const events = eventsOnHost(alertDoc, hostEvents);
  const consumerRef = getString(alertDoc, "winlog.event_data.Consumer");
  const filterRef = getString(alertDoc, "winlog.event_data.Filter");

  if (consumerRef === undefined && filterRef === undefined) {
    if (
      getString(alertDoc, "process.Ext.api.parameters.consumer_type") !== undefined ||
      getString(alertDoc, "process.Ext.api.name") !== undefined
    ) {
      return rebuildFromEndpointApi(alertDoc, events, missing);
    }
    return {
      binding: null,
      consumer: null,
      filter: null,
      nearMatches: [],
      filterSeenCreated: false,
      missing: ["binding: the alert has neither Sysmon 21 Consumer/Filter fields nor Elastic Defend API parameters"],
    };
  }

  const consumerPath = consumerRef === undefined ? undefined : parseWmiObjectPath(consumerRef);
  const filterPath = filterRef === undefined ? undefined : parseWmiObjectPath(filterRef);
  const bindingTime = getEventTime(alertDoc);
  const binding: WmiBinding = {
    source: "sysmon-21",
    consumerRef,
    filterRef,
    consumer: consumerPath,
    filter: filterPath,
    operation: getString(alertDoc, "winlog.event_data.Operation")?.trim(),
    user: getLoggedField(alertDoc, "winlog.event_data.User")?.value,
    timestamp: isoTime(alertDoc),
  };
  const host = describeHost(alertDoc);

  let consumer: WmiConsumer | null = null;
  if (consumerPath) {
    const ev = findConsumerEvent(events, consumerPath.name, consumerPath.className, bindingTime);
    if (ev) {
      consumer = consumerFromEvent(ev, consumerPath.className);
    } else {
      consumer = { source: "binding-ref", name: consumerPath.name, className: consumerPath.className };
      missing.push(
        `consumer "${consumerPath.name}" (${consumerPath.className}): no Sysmon 20 event with this name among ${events.length} events of ${host}; the command or script is unknown`,
      );
    }
  } else {
    missing.push(
      consumerRef === undefined
        ? "consumer: winlog.event_data.Consumer is absent"
        : `consumer: cannot read the object path ${JSON.stringify(consumerRef)}`,
    );
  }

  let filter: WmiFilter | null = null;
  if (filterPath) {
    const ev = findFilterEvent(events, filterPath.name, bindingTime);
    if (ev) {
      filter = filterFromEvent(ev);
    } else {
      filter = { source: "binding-ref", name: filterPath.name };
      missing.push(
        `filter "${filterPath.name}": no Sysmon 19 event with this name among ${events.length} events of ${host}; the trigger query is unknown`,
      );
    }
  } else {
    missing.push(
      filterRef === undefined
        ? "filter: winlog.event_data.Filter is absent"
        : `filter: cannot read the object path ${JSON.stringify(filterRef)}`,
    );
  }

  const nearMatches = findNearMatches(events, { consumer: consumerPath?.name, filter: filterPath?.name });
  for (const m of nearMatches) {
    if (m.part === "binding") continue;
    const missingPart = m.part === "consumer" ? consumer?.source === "binding-ref" : filter?.source === "binding-ref";
    if (missingPart) {
      const i = missing.findIndex((x) => x.startsWith(`${m.part} "`));
      if (i >= 0 && !missing[i].includes("near-match")) {
        missing[i] +=
          `; a near-match "${m.nameCodePoints}" exists (differs by ${m.differences.join(", ")}) and is not the bound one`;
      }
    }
  }
  return {
    binding,
    consumer,
    filter,
    missing,
    nearMatches,
    filterSeenCreated: filterSeenCreated(events, filterPath?.name),
  };
}
