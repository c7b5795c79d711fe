import Link from "next/link";
import { RunRow } from "@/components/rule/run-history-rows";
import type { RuleOverview } from "@/lib/data/rule-runs";

// here, not in the client module: a server component gets a client module's exports as references, not values
const RUN_HEADERS = [
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
              {RUN_HEADERS.map((h) => (
                <th key={h} className="px-3 py-2 font-medium whitespace-nowrap">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {runs.rows.map((r) => (
              <RunRow key={r.id} r={r} />
            ))}
            {runs.rows.length === 0 && (
              <tr>
                <td colSpan={RUN_HEADERS.length} className="px-3 py-6 text-center text-slate-600">
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
