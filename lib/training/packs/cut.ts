import type { EcsDocument } from "@/lib/ecs/document";
import { getEventTime, getString, isSameHost } from "@/lib/triage/fields";

/** The events on the same host within `minutes` of the first event with that code: a scenario stays small. */
export function cutAround(docs: EcsDocument[], code: string, minutes: number): EcsDocument[] {
  const anchor = docs.find((d) => getString(d, "event.code") === code);
  const t = anchor ? getEventTime(anchor) : undefined;
  if (!anchor || t === undefined) return docs;
  const window = minutes * 60_000;
  return docs.filter((d) => {
    const dt = getEventTime(d);
    return isSameHost(d, anchor) && dt !== undefined && Math.abs(dt - t) <= window;
  });
}

/** A deep copy with `fn` applied to the copy. */
export function rewrite(doc: EcsDocument, fn: (copy: EcsDocument) => void): EcsDocument {
  const copy = structuredClone(doc);
  fn(copy);
  return copy;
}

export function setPath(doc: EcsDocument, path: string, value: unknown): void {
  const parts = path.split(".");
  let node = doc as Record<string, unknown>;
  for (const p of parts.slice(0, -1)) {
    if (typeof node[p] !== "object" || node[p] === null) node[p] = {};
    node = node[p] as Record<string, unknown>;
  }
  node[parts[parts.length - 1]] = value;
}
