import Link from "next/link";
import { requirePageUser } from "@/lib/auth/session";
import { auditFilterSchema, listAuditEntityTypes, listAuditLog } from "@/lib/data/audit-log";
import { Time } from "@/components/ui/time";
import { DataTable } from "@/components/ui/data-table";
import { auditActionLabel, auditEntityLabel } from "@/lib/format/labels";
import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";

export const dynamic = "force-dynamic";

export default async function AuditPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const user = await requirePageUser("audit:read");
  const raw = await searchParams;
  const filter = auditFilterSchema.parse(raw);
  const [{ entries, total, page, pageCount }, types] = await Promise.all([
    listAuditLog(user, filter),
    listAuditEntityTypes(),
  ]);
  const pageHref = (p: number) => {
    const q = new URLSearchParams();
    for (const k of ["entityType", "entityId", "actor", "action", "from", "to"] as const) if (raw[k]) q.set(k, raw[k]!);
    if (p > 1) q.set("page", String(p));
    return `/audit?${q}`;
  };
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Audit log</h1>
      <p className="text-sm text-slate-600">
        Append-only: every change, who made it and when, with the values before and after. Entries cannot be edited or
        deleted.
      </p>
      <form
        action="/audit"
        className="grid grid-cols-2 gap-2 rounded-lg border border-slate-200 bg-white p-3 text-sm md:grid-cols-7"
      >
        <label>
          Entity type
          <select name="entityType" defaultValue={raw.entityType ?? ""} className={`mt-1 w-full ${inputClass}`}>
            <option value="">any</option>
            {types.map((t) => (
              <option key={t} value={t}>
                {auditEntityLabel(t)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Entity id
          <input name="entityId" defaultValue={raw.entityId ?? ""} className={`mt-1 w-full ${inputClass}`} />
        </label>
        <label>
          Actor
          <input
            name="actor"
            defaultValue={raw.actor ?? ""}
            placeholder="name, email or id"
            className={`mt-1 w-full ${inputClass}`}
          />
        </label>
        <label>
          Action
          <input
            name="action"
            defaultValue={raw.action ?? ""}
            placeholder="e.g. case.close"
            className={`mt-1 w-full ${inputClass}`}
          />
        </label>
        <label>
          From
          <input
            name="from"
            type="datetime-local"
            defaultValue={raw.from ?? ""}
            className={`mt-1 w-full ${inputClass}`}
          />
        </label>
        <label>
          To
          <input name="to" type="datetime-local" defaultValue={raw.to ?? ""} className={`mt-1 w-full ${inputClass}`} />
        </label>
        <div className="flex items-end gap-2">
          <Button type="submit" variant="primary">
            Filter
          </Button>
          <Link href="/audit" className="py-1.5 text-blue-700 underline">
            Reset
          </Link>
        </div>
      </form>
      <DataTable
        rows={entries}
        rowTestId="audit-entry"
        empty="No entries match."
        columns={[
          { header: "At", className: "whitespace-nowrap", cell: (e) => <Time value={e.at} /> },
          { header: "Actor", cell: (e) => e.actorName },
          {
            header: "Action",
            cell: (e) => (
              <>
                {auditActionLabel(e.action)} <code className="block text-xs text-slate-600">{e.action}</code>
              </>
            ),
          },
          {
            header: "Entity",
            cell: (e) => (
              <Link
                className="text-blue-700 hover:underline"
                href={`/audit?entityType=${encodeURIComponent(e.entityType)}&entityId=${encodeURIComponent(e.entityId)}`}
              >
                {auditEntityLabel(e.entityType)} <span className="literal text-xs">{e.entityId}</span>
              </Link>
            ),
          },
          {
            header: "Before",
            className: "literal max-w-sm text-xs text-slate-600",
            cell: (e) => (e.before === null ? "" : JSON.stringify(e.before)),
          },
          {
            header: "After",
            className: "literal max-w-sm text-xs",
            cell: (e) => (e.after === null ? "" : JSON.stringify(e.after)),
          },
        ]}
      />
      <div className="flex items-center gap-3 text-sm text-slate-600">
        <span>
          {total} entr{total === 1 ? "y" : "ies"} · page {page} of {pageCount} · newest first
        </span>
        {page > 1 && (
          <Link href={pageHref(page - 1)} className="underline">
            Newer
          </Link>
        )}
        {page < pageCount && (
          <Link href={pageHref(page + 1)} className="underline">
            Older
          </Link>
        )}
      </div>
    </div>
  );
}
