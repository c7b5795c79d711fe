import Link from "next/link";
import type { AlertsPageData } from "@/lib/data/alert-list";
import { ALERT_STATUSES } from "@/lib/data/alert-status";
import { BADGE_TONES } from "@/components/ui/badge";
import { exactFilterValue } from "@/lib/format/filter-value";
import { STATUS_LABELS, STATUS_TONES } from "./alert-labels";
import { NewAlertsBanner } from "@/components/live/new-alerts-banner";
import { AlertFilters } from "./alert-filters";
import { AlertHistogram } from "./alert-histogram";
import { AlertsTable } from "./alerts-table";
import { alertsHref } from "./alerts-url";

/** The alerts page body (server component): counts, histogram, groups and the table, from one load. */
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
      {data.groups && (
        <section className="rounded-lg border border-slate-200 bg-white p-3" aria-label={`Alerts by ${filter.group}`}>
          <h2 className="mb-2 text-sm font-medium text-slate-700">
            By {filter.group === "host" ? "host" : "consumer name"}
          </h2>
          <ul className="flex flex-wrap gap-2 text-sm">
            {data.groups.map((g) => (
              <li key={g.key ?? "(none)"}>
                {g.key === null ? (
                  <span className="rounded bg-slate-100 px-2 py-1 text-slate-600">(none) {g.count}</span>
                ) : (
                  <Link
                    href={alertsHref(query, {
                      [filter.group === "host" ? "host" : "consumer"]: exactFilterValue(g.key),
                      group: null,
                    })}
                    replace
                    className="inline-flex gap-2 rounded bg-slate-100 px-2 py-1 hover:bg-blue-100"
                  >
                    <span className="literal">{g.key}</span>
                    <span className="font-semibold">{g.count}</span>
                  </Link>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
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
