import Link from "next/link";
import { NewCaseForm } from "@/components/cases/case-forms";
import { can } from "@/lib/auth/permissions";
import { requirePageUser } from "@/lib/auth/session";
import { caseFilterSchema, listCases } from "@/lib/data/cases";
import { caseStatusLabel, severityLabel, verdictLabel } from "@/lib/format/labels";
import { Time } from "@/components/ui/time";
import { DataTable } from "@/components/ui/data-table";
import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";

export const dynamic = "force-dynamic";

const STATUS_TABS = [
  ["active", "Active"],
  ["open", "Open"],
  ["in-progress", "In progress"],
  ["closed", "Closed"],
  ["all", "All"],
] as const;

export default async function CasesPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const user = await requirePageUser("cases:read");
  const filter = caseFilterSchema.parse(await searchParams);
  const { cases, total, page, pageCount } = await listCases(user, filter);
  const href = (patch: Record<string, string | number | undefined>) => {
    const q = new URLSearchParams();
    const merged = { status: filter.status, assignee: filter.assignee, q: filter.q, page: filter.page, ...patch };
    for (const [k, v] of Object.entries(merged))
      if (v !== undefined && v !== "" && !(k === "page" && v === 1)) q.set(k, String(v));
    return `/cases?${q}`;
  };
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Cases</h1>
      {can(user.role, "cases:write") && <NewCaseForm />}
      <div className="flex flex-wrap items-center gap-2 text-sm">
        {STATUS_TABS.map(([v, label]) => (
          <Link
            key={v}
            href={href({ status: v, page: 1 })}
            className={`rounded px-2 py-1 ${filter.status === v ? "bg-slate-900 text-white" : "bg-white text-slate-700 ring-1 ring-slate-200"}`}
          >
            {label}
          </Link>
        ))}
        <span className="mx-2 text-slate-600">|</span>
        <Link
          href={href({ assignee: filter.assignee === "me" ? undefined : "me", page: 1 })}
          className={`rounded px-2 py-1 ${filter.assignee === "me" ? "bg-slate-900 text-white" : "bg-white ring-1 ring-slate-200"}`}
        >
          Assigned to me
        </Link>
        <Link
          href={href({ assignee: filter.assignee === "unassigned" ? undefined : "unassigned", page: 1 })}
          className={`rounded px-2 py-1 ${filter.assignee === "unassigned" ? "bg-slate-900 text-white" : "bg-white ring-1 ring-slate-200"}`}
        >
          Unassigned
        </Link>
        <form className="ml-auto flex gap-2" action="/cases">
          <input type="hidden" name="status" value={filter.status} />
          {filter.assignee && <input type="hidden" name="assignee" value={filter.assignee} />}
          <input name="q" defaultValue={filter.q} placeholder="title or tag" className={inputClass} />
          <Button type="submit" size="sm">
            Search
          </Button>
        </form>
      </div>
      <DataTable
        rows={cases}
        empty="No cases match."
        columns={[
          {
            header: "Case",
            cell: (c) => (
              <Link href={`/cases/${c.id}`} className="text-blue-700 hover:underline">
                #{c.number} {c.title}
              </Link>
            ),
          },
          { header: "Severity", cell: (c) => severityLabel(c.severity) },
          {
            header: "Status",
            cell: (c) => `${caseStatusLabel(c.status)}${c.resolution ? ` (${verdictLabel(c.resolution)})` : ""}`,
          },
          { header: "Assignee", cell: (c) => c.assigneeName ?? <span className="text-slate-600">unassigned</span> },
          { header: "Alerts", cell: (c) => c.alertCount },
          { header: "Comments", cell: (c) => c.commentCount },
          {
            header: "Tags",
            cell: (c) =>
              c.tags.map((t) => (
                <span key={t} className="mr-1 rounded bg-slate-100 px-1.5 py-0.5 text-xs">
                  {t}
                </span>
              )),
          },
          { header: "Updated", className: "whitespace-nowrap", cell: (c) => <Time value={c.updatedAt} relative /> },
        ]}
      />
      <div className="flex items-center gap-3 text-sm text-slate-600">
        <span>
          {total} case(s) · page {page} of {pageCount}
        </span>
        {page > 1 && (
          <Link href={href({ page: page - 1 })} className="underline">
            Previous
          </Link>
        )}
        {page < pageCount && (
          <Link href={href({ page: page + 1 })} className="underline">
            Next
          </Link>
        )}
      </div>
    </div>
  );
}
