import Link from "next/link";
import { ExceptionRowActions } from "@/components/exceptions/exception-row-actions";
import { ImportExportPanel } from "@/components/exceptions/import-export-panel";
import { can } from "@/lib/auth/permissions";
import { requirePageUser } from "@/lib/auth/session";
import { listExceptions } from "@/lib/data/exceptions";
import { describeCondition, type ExceptionStatus } from "@/lib/exceptions/conditions";
import { DataTable } from "@/components/ui/data-table";
import { Time } from "@/components/ui/time";
import { exceptionStatusLabel } from "@/lib/format/labels";

export const dynamic = "force-dynamic";

const STATUSES: ExceptionStatus[] = ["active", "expired", "disabled"];
const STATUS_STYLE: Record<ExceptionStatus, string> = {
  active: "bg-green-100 text-green-800",
  expired: "bg-slate-200 text-slate-700",
  disabled: "bg-amber-100 text-amber-900",
};

export default async function ExceptionsPage({
  searchParams,
}: {
  searchParams: Promise<{ status?: string; saved?: string }>;
}) {
  const user = await requirePageUser("rule:read");
  const { status: rawStatus, saved } = await searchParams;
  const status = STATUSES.find((s) => s === rawStatus);
  const exceptions = await listExceptions(user, { status });
  const canWrite = can(user.role, "exceptions:write");
  return (
    <div className="space-y-4">
      <div className="flex items-center justify-between">
        <h1 className="text-2xl font-semibold">Rule exceptions</h1>
        {canWrite && (
          <Link href="/exceptions/new" className="rounded bg-slate-900 px-3 py-1.5 text-sm text-white">
            New exception
          </Link>
        )}
      </div>
      <p className="text-sm text-slate-600">
        Events matching an active exception are skipped by detection runs (and counted as hits). An exception stops
        applying when it is disabled or expires.
      </p>
      {saved && <p className="rounded border border-green-200 bg-green-50 p-2 text-sm text-green-800">{saved}</p>}
      <nav className="flex gap-3 text-sm" aria-label="Filter by status">
        {[undefined, ...STATUSES].map((s) => (
          <Link
            key={s ?? "all"}
            href={s ? `/exceptions?status=${s}` : "/exceptions"}
            className={s === status ? "font-semibold underline" : "text-blue-700 hover:underline"}
          >
            {s ?? "all"}
          </Link>
        ))}
      </nav>
      <DataTable
        rows={exceptions}
        rowTestId="exception-row"
        empty={
          status
            ? `No ${status} exceptions.`
            : "No exceptions yet. Create one from an alert you closed as a false positive."
        }
        columns={[
          {
            header: "Name",
            cell: (e) => (
              <>
                <Link className="text-blue-700 hover:underline" href={`/exceptions/${e.id}`}>
                  <span className="literal">{e.name}</span>
                </Link>
                {e.itemId && <div className="literal text-xs text-slate-600">item_id {e.itemId}</div>}
              </>
            ),
          },
          {
            header: "Conditions",
            cell: (e) => (
              <ul className="space-y-0.5">
                {e.conditions.map((c, i) => (
                  <li key={i} className="literal text-xs">
                    {describeCondition(c)}
                  </li>
                ))}
              </ul>
            ),
          },
          {
            header: "Status",
            cell: (e) => (
              <span className={`rounded px-2 py-0.5 text-xs ${STATUS_STYLE[e.status]}`}>
                {exceptionStatusLabel(e.status)}
              </span>
            ),
          },
          { header: "Hits", cell: (e) => e.hits },
          { header: "Last hit", className: "whitespace-nowrap", cell: (e) => <Time value={e.lastHitAt} relative /> },
          { header: "Expires", className: "whitespace-nowrap", cell: (e) => <Time value={e.expiresAt} /> },
          { header: "Author", cell: (e) => e.author?.name ?? "—" },
          {
            header: "",
            cell: (e) =>
              canWrite && (
                <ExceptionRowActions
                  id={e.id}
                  name={e.name}
                  enabled={e.enabled}
                  updatedAt={e.updatedAt.toISOString()}
                />
              ),
          },
        ]}
      />
      <ImportExportPanel canWrite={canWrite} />
    </div>
  );
}
