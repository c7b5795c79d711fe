/**
 * The alerts table's state as URL search params (filters, sort, page): read on the server by
 * lib/data/alert-list.ts, written by the client with `router.replace`. Pure: used on both sides.
 */
export type AlertParamKey =
  | "status"
  | "severity"
  | "host"
  | "user"
  | "consumer"
  | "assignee"
  | "case"
  | "job"
  | "from"
  | "to"
  | "q"
  | "sort"
  | "dir"
  | "page"
  | "size"
  | "group"
  | "gpage";
export type AlertParamPatch = Partial<Record<AlertParamKey, string | string[] | null>>;

/** Keys whose change sends the user back to page 1. */
const FILTER_KEYS: AlertParamKey[] = [
  "status",
  "severity",
  "host",
  "user",
  "consumer",
  "assignee",
  "case",
  "job",
  "from",
  "to",
  "q",
  "sort",
  "dir",
  "size",
];

export function patchAlertParams(current: URLSearchParams | string, patch: AlertParamPatch): URLSearchParams {
  const next = new URLSearchParams(current);
  for (const [key, value] of Object.entries(patch) as [AlertParamKey, string | string[] | null | undefined][]) {
    const text = Array.isArray(value) ? value.join(",") : value;
    if (text === null || text === undefined || text === "") next.delete(key);
    else next.set(key, text);
  }
  if (!("page" in patch) && Object.keys(patch).some((k) => FILTER_KEYS.includes(k as AlertParamKey)))
    next.delete("page");
  // a new filter or grouping starts again at the first page of groups
  if (!("gpage" in patch) && Object.keys(patch).some((k) => k === "group" || FILTER_KEYS.includes(k as AlertParamKey)))
    next.delete("gpage");
  return next;
}

export function alertsHref(current: URLSearchParams | string, patch: AlertParamPatch): string {
  const qs = patchAlertParams(current, patch).toString();
  return qs ? `/alerts?${qs}` : "/alerts";
}
