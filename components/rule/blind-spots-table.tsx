import Link from "next/link";
import { formatUtc } from "@/components/rule/format";
import { Pager } from "@/components/rule/run-history";
import type { BlindSpotList, FailedPredicate } from "@/lib/data/blind-spots";

type Filters = { reason?: string; host?: string };

export function blindSpotsHref(filters: Filters & { page?: number }): string {
  const params = new URLSearchParams();
  if (filters.reason) params.set("reason", filters.reason);
  if (filters.host) params.set("host", filters.host);
  if (filters.page && filters.page > 1) params.set("page", String(filters.page));
  const query = params.toString();
  return query ? `/rule/blind-spots?${query}` : "/rule/blind-spots";
}

/** The failed predicates: the rule's text, and what the event had (event values are literal text). */
export function FailedPredicates({ failures }: { failures: FailedPredicate[] }) {
  if (failures.length === 0) return <span className="text-amber-800">matches the rule</span>;
  return (
    <ul className="space-y-1">
      {failures.map((f, i) => (
        <li key={i}>
          <code className="font-mono text-xs text-sky-800">
            {f.negated ? "not " : ""}
            {f.expected}
          </code>
          <div className="text-xs text-slate-600">
            seen:{" "}
            {f.seen.length === 0 ? (
              <em>no value</em>
            ) : (
              <span className="literal text-slate-900">{f.seen.join(", ")}</span>
            )}
          </div>
        </li>
      ))}
    </ul>
  );
}

export function BlindSpotGroups({ list, filters }: { list: BlindSpotList; filters: Filters }) {
  return (
    <ul className="space-y-1" aria-label="Failure reasons">
      <li>
        <Link
          href={blindSpotsHref({ host: filters.host })}
          className={`text-sm ${filters.reason ? "text-blue-700 hover:underline" : "font-medium"}`}
        >
          All reasons ({list.evaluated})
        </Link>
      </li>
      {list.groups.map((g) => (
        <li key={g.reason} data-testid="blind-spot-group" className="flex items-start gap-2 text-sm">
          <span className="min-w-10 rounded bg-slate-100 px-1.5 text-right font-medium tabular-nums">{g.count}</span>
          <Link
            href={blindSpotsHref({ host: filters.host, reason: g.reason })}
            className={filters.reason === g.reason ? "font-medium" : "text-blue-700 hover:underline"}
            aria-current={filters.reason === g.reason ? "true" : undefined}
          >
            {g.reason}
          </Link>
        </li>
      ))}
    </ul>
  );
}

const HEADERS = ["Time (UTC)", "Host", "Event", "Subject", "Failed predicates (closest branch)", ""];

export function BlindSpotsTable({ list, filters }: { list: BlindSpotList; filters: Filters }) {
  return (
    <div className="space-y-2">
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="w-full text-sm" aria-label="Blind spots">
          <thead className="bg-slate-100 text-left text-slate-600">
            <tr>
              {HEADERS.map((h, i) => (
                <th key={i} className="px-3 py-2 font-medium whitespace-nowrap">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {list.rows.map((r) => (
              <tr key={r.eventId} data-testid="blind-spot-row" className="border-t border-slate-100 align-top">
                <td className="px-3 py-2 whitespace-nowrap">{formatUtc(r.timestamp)}</td>
                <td className="px-3 py-2">
                  {r.host ? (
                    <Link
                      href={blindSpotsHref({ host: r.host, reason: filters.reason })}
                      className="literal text-blue-700 hover:underline"
                    >
                      {r.host}
                    </Link>
                  ) : (
                    "—"
                  )}
                </td>
                <td className="px-3 py-2 whitespace-nowrap">
                  {r.eventCode ?? "—"}
                  {r.operation && <div className="text-xs text-slate-600">{r.operation}</div>}
                  <div className="text-xs text-slate-600">{r.dataset}</div>
                </td>
                <td className="max-w-xs px-3 py-2">{r.subject ? <span className="literal">{r.subject}</span> : "—"}</td>
                <td className="max-w-lg px-3 py-2">
                  <FailedPredicates failures={r.failures} />
                </td>
                <td className="px-3 py-2 whitespace-nowrap">
                  <Link href={`/rule/blind-spots/events/${r.eventId}`} className="text-blue-700 hover:underline">
                    Event
                  </Link>
                </td>
              </tr>
            ))}
            {list.rows.length === 0 && (
              <tr>
                <td colSpan={HEADERS.length} className="px-3 py-6 text-center text-slate-600">
                  No WMI subscription activity without an alert
                  {filters.host || filters.reason ? " for these filters" : ""}.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      <Pager
        page={list.page}
        pageCount={list.pageCount}
        total={list.total}
        noun="events"
        href={(page) => blindSpotsHref({ ...filters, page })}
      />
    </div>
  );
}
