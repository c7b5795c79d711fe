import Link from "next/link";
import type { AlertsPageData } from "@/lib/data/alerts-page";
import { ALERT_STATUSES } from "@/lib/data/alert-status";
import { BADGE_TONES } from "@/components/ui/badge";
import { STATUS_LABELS, STATUS_TONES } from "./alert-labels";
import { NewAlertsBanner } from "@/components/live/new-alerts-banner";
import { AlertFilters } from "./alert-filters";
import { AlertGroups } from "./alert-groups";
import { AlertHistogram } from "./alert-histogram";
import { AlertsTable } from "./alerts-table";
import { alertsHref } from "./alerts-url";

/** The alerts page body (server component): counts, histogram, and the table or its groups, from one load. */
export function AlertsPageView({ data, query }: { data: AlertsPageData; query: string }) {
  const { filter } = data;
  return (
    <div className="space-y-3">
      <AlertFilters
        users={data.users.map((u) => ({ id: u.id, label: u.name }))}
        cases={data.cases.map((c) => ({ id: c.id, label: `#${c.number} ${c.title}` }))}
      />
      <div className="flex flex-wrap items-center gap-2 text-sm" aria-label="Counts by status">
        {ALERT_STATUSES.map((s) => {
          const active = filter.status.includes(s);
          const next = active ? filter.status.filter((x) => x !== s) : [...filter.status, s];
          return (
            <Link
              key={s}
              href={alertsHref(query, { status: next })}
              replace
              scroll={false}
              aria-current={active ? "true" : undefined}
              data-testid={`status-count-${s}`}
              className={`rounded-full border px-3 py-1 ${active ? "border-slate-900 ring-1 ring-slate-900" : "border-transparent"} ${BADGE_TONES[STATUS_TONES[s]]}`}
            >
              {STATUS_LABELS[s]} <span className="font-semibold">{data.statusCounts[s]}</span>
            </Link>
          );
        })}
        {filter.job && (
          <span className="rounded bg-slate-100 px-2 py-1 text-xs text-slate-700">
            from ingest job{" "}
            <Link className="text-blue-700 hover:underline" href={`/ingest/${filter.job}`}>
              {filter.job.slice(0, 8)}
            </Link>{" "}
            <Link
              href={alertsHref(query, { job: null })}
              replace
              className="ml-1 text-slate-600 hover:text-slate-900"
              aria-label="Remove ingest job filter"
            >
              ✕
            </Link>
          </span>
        )}
      </div>
      <NewAlertsBanner renderedAt={new Date().toISOString()} />
      <AlertHistogram {...data.histogram} />
      {data.grouped ? (
        <AlertGroups data={data.grouped} query={query} viewer={data.me} users={data.users} />
      ) : (
        <AlertsTable
          rows={data.rows}
          total={data.total}
          page={filter.page}
          pageCount={data.pageCount}
          pageSize={filter.size}
          sort={filter.sort}
          dir={filter.dir}
          viewer={data.me}
          users={data.users}
          cases={data.cases}
        />
      )}
    </div>
  );
}

export function AlertsSkeleton() {
  return (
    <div className="space-y-3 animate-pulse" aria-busy="true" aria-label="Loading alerts">
      <div className="h-16 rounded-lg bg-slate-200" />
      <div className="h-8 w-80 rounded bg-slate-200" />
      <div className="h-24 rounded-lg bg-slate-200" />
      <div className="space-y-1 rounded-lg border border-slate-200 bg-white p-3">
        {Array.from({ length: 10 }, (_, i) => (
          <div key={i} className="h-8 rounded bg-slate-100" />
        ))}
      </div>
    </div>
  );
}
