import Link from "next/link";
import { formatDurationMs, formatUtc } from "@/components/rule/format";
import type { RuleOverview } from "@/lib/data/rule-runs";

const HEADERS = [
  "Kind",
  "Window (UTC)",
  "Started",
  "Duration",
  "Status",
  "Scanned",
  "Matches",
  "Alerts",
  "Suppressed",
  "Warnings / error",
];

/** The run history, newest first; the page number lives in the URL (`?page=`). */
export function RunHistory({ runs }: { runs: RuleOverview["runs"] }) {
  return (
    <div className="space-y-2">
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="w-full text-sm" aria-label="Run history">
          <thead className="bg-slate-100 text-left text-slate-600">
            <tr>
              {HEADERS.map((h) => (
                <th key={h} className="px-3 py-2 font-medium whitespace-nowrap">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {runs.rows.map((r) => (
              <tr
                key={r.id}
                data-testid="run-row"
                data-kind={r.kind}
                data-status={r.status}
                className={`border-t border-slate-100 align-top ${r.status === "failed" ? "bg-red-50" : ""}`}
              >
                <td className="px-3 py-2">
                  {r.kind}
                  {r.requestedBy && <div className="text-xs text-slate-600">{r.requestedBy}</div>}
                </td>
                <td className="px-3 py-2 whitespace-nowrap">
                  {formatUtc(r.windowStart)}
                  <br />→ {formatUtc(r.windowEnd)}
                </td>
                <td className="px-3 py-2 whitespace-nowrap">{formatUtc(r.startedAt)}</td>
                <td className="px-3 py-2 whitespace-nowrap">{formatDurationMs(r.durationMs)}</td>
                <td className={`px-3 py-2 ${r.status === "failed" ? "font-medium text-red-700" : ""}`}>{r.status}</td>
                <td className="px-3 py-2 text-right tabular-nums">{r.eventsScanned}</td>
                <td className="px-3 py-2 text-right tabular-nums">{r.matches}</td>
                <td className="px-3 py-2 text-right tabular-nums">{r.alertsCreated}</td>
                <td className="px-3 py-2 text-right tabular-nums">{r.suppressed}</td>
                <td className="max-w-md px-3 py-2">
                  {r.warnings.map((w) => (
                    <p key={w} className="text-amber-800">
                      ⚠ {w}
                    </p>
                  ))}
                  {r.error && <p className="literal text-red-700">{r.error}</p>}
                </td>
              </tr>
            ))}
            {runs.rows.length === 0 && (
              <tr>
                <td colSpan={HEADERS.length} className="px-3 py-6 text-center text-slate-600">
                  No runs yet.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      <Pager
        page={runs.page}
        pageCount={runs.pageCount}
        total={runs.total}
        href={(p) => `/rule?page=${p}`}
        noun="runs"
      />
    </div>
  );
}

export function Pager({
  page,
  pageCount,
  total,
  href,
  noun,
}: {
  page: number;
  pageCount: number;
  total: number;
  href: (page: number) => string;
  noun: string;
}) {
  return (
    <nav aria-label="Pagination" className="flex items-center gap-3 text-sm text-slate-600">
      <span>
        {total} {noun} · page {page} of {pageCount}
      </span>
      {page > 1 && (
        <Link href={href(page - 1)} className="text-blue-700 hover:underline">
          ← Newer
        </Link>
      )}
      {page < pageCount && (
        <Link href={href(page + 1)} className="text-blue-700 hover:underline">
          Older →
        </Link>
      )}
    </nav>
  );
}
