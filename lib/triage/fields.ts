import { findFieldValue, getFieldValues } from "@/lib/eql/fields";

// Fields are read with Elasticsearch's view of a document (nested or dotted keys, arrays
// flattened): lib/eql/fields.ts, the evaluator's own reader.

/** The first value at `path`, or undefined. */
export function getField(doc: unknown, path: string): unknown {
  return getFieldValues(doc, path)[0];
}

/** The first value at `path` as a string (numbers and booleans converted; objects ignored). */
export function getString(doc: unknown, path: string): string | undefined {
  const value = findFieldValue(doc, path, isScalar);
  return value === undefined ? undefined : String(value);
}

const isScalar = (value: unknown) =>
  typeof value === "string" || typeof value === "number" || typeof value === "boolean";

/** Epoch milliseconds of the event's `@timestamp` (or Sysmon's `UtcTime`, which is UTC without a zone). */
export function getEventTime(doc: unknown): number | undefined {
  const ts = getString(doc, "@timestamp");
  if (ts !== undefined) {
    const ms = Date.parse(ts);
    if (!Number.isNaN(ms)) return ms;
  }
  const utc = getString(doc, "winlog.event_data.UtcTime");
  if (utc !== undefined) {
    const ms = Date.parse(`${utc.trim().replace(" ", "T")}Z`);
    if (!Number.isNaN(ms)) return ms;
  }
  return undefined;
}

/** Host identity for "same host" comparisons: host.name and winlog.computer_name, lower-cased, FQDN and short. */
export function getHostKeys(doc: unknown): Set<string> {
  const keys = new Set<string>();
  for (const path of ["host.name", "host.hostname", "winlog.computer_name"]) {
    const value = getString(doc, path)?.trim().toLowerCase();
    if (!value) continue;
    keys.add(value);
    keys.add(value.split(".")[0]);
  }
  return keys;
}

export function isSameHost(a: unknown, b: unknown): boolean {
  const ka = getHostKeys(a);
  if (ka.size === 0) return false;
  for (const k of getHostKeys(b)) if (ka.has(k)) return true;
  return false;
}

/** A readable host name for messages. */
export function describeHost(doc: unknown): string {
  return getString(doc, "host.name") ?? getString(doc, "winlog.computer_name") ?? "(unknown host)";
}

/** ISO time of an event for evidence strings. */
export function describeTime(doc: unknown): string {
  const ms = getEventTime(doc);
  return ms === undefined ? "(no time)" : new Date(ms).toISOString();
}

/**
 * Sysmon values Elastic's Windows pipeline moves out of `winlog.event_data` (as
 * lib/ecs/normalize-winevent.ts does): `User` becomes `user.domain` + `user.name`, a Sysmon 20
 * consumer's `Destination` becomes `process.executable`. A value is looked for where it was
 * logged first, then where Elastic stores it, so a step never calls a field missing that the
 * alert's header shows.
 */
export function getLoggedField(doc: unknown, path: string): { value: string; field: string } | undefined {
  const logged = getString(doc, path);
  if (logged !== undefined) return { value: logged, field: path };
  if (path === "winlog.event_data.User") {
    const name = getString(doc, "user.name");
    if (name === undefined) return undefined;
    const domain = getString(doc, "user.domain");
    return domain
      ? { value: `${domain}\\${name}`, field: "user.domain\\user.name" }
      : { value: name, field: "user.name" };
  }
  if (path === "winlog.event_data.Destination") {
    const executable = getString(doc, "process.executable");
    return executable === undefined ? undefined : { value: executable, field: "process.executable" };
  }
  return undefined;
}
