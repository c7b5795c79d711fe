import Link from "next/link";
import { MandatoryStepsForm } from "@/components/cases/mandatory-steps-form";
import { QueueTable, type QueueSortLinks } from "@/components/cases/queue-table";
import { can } from "@/lib/auth/permissions";
import { requirePageUser } from "@/lib/auth/session";
import { defaultQueueDir, formatAge, getQueue, queueFilterSchema, type QueueFilter } from "@/lib/data/queue";
import { getMandatoryStepsSetting, listGuideStepsForSettings } from "@/lib/data/settings";
import { getUserNames } from "@/lib/data/users";
import { roleLabel } from "@/lib/format/labels";

export const dynamic = "force-dynamic";

function queuePageHref(filter: QueueFilter, page: number, sort?: QueueFilter["sort"]): string {
  const sortBy = sort ?? filter.sort;
  // choosing the column already sorted on flips it; another column starts in its own direction
  const dir = sort
    ? sort === filter.sort
      ? (filter.dir ?? defaultQueueDir(sort)) === "asc"
        ? "desc"
        : "asc"
      : defaultQueueDir(sort)
    : filter.dir;
  const params = new URLSearchParams({
    view: filter.view,
    ...(filter.assignee ? { assignee: filter.assignee } : {}),
    ...(sortBy !== "age" || dir ? { sort: sortBy } : {}),
    ...(dir && dir !== defaultQueueDir(sortBy) ? { dir } : {}),
    page: String(page),
  });
  return `/queue?${params}`;
}

function sortLinks(filter: QueueFilter): QueueSortLinks {
  const dir = filter.dir ?? defaultQueueDir(filter.sort);
  const link = (sort: QueueFilter["sort"]) => ({
    href: queuePageHref(filter, 1, sort),
    current: filter.sort === sort ? (dir === "asc" ? ("ascending" as const) : ("descending" as const)) : null,
  });
  return { age: link("age"), severity: link("severity"), risk: link("risk") };
}

const SORT_WORDS: Record<QueueFilter["sort"], Record<"asc" | "desc", string>> = {
  age: { asc: "oldest first", desc: "newest first" },
  severity: { asc: "least severe first", desc: "most severe first" },
  risk: { asc: "lowest risk first", desc: "highest risk first" },
};

export default async function QueuePage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const user = await requirePageUser("alerts:assign");
  const filter = queueFilterSchema.parse(await searchParams);
  const queue = await getQueue(user, filter);
  const mandatory = await getMandatoryStepsSetting();
  const setBy = (await getUserNames([mandatory.updatedBy])).get(mandatory.updatedBy ?? "");
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Queue</h1>

      <section className="space-y-2">
        <h2 className="font-medium">Workload (open + acknowledged alerts per person)</h2>
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-sm" data-testid="workload">
            <thead className="bg-slate-100 text-left text-slate-600">
              <tr>
                {["Person", "Open", "Acknowledged", "Total", "Oldest assigned alert"].map((h) => (
                  <th key={h} className="px-2 py-2 font-medium sm:px-3">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              <tr className="border-t border-slate-100 font-medium">
                <td className="px-2 py-2 sm:px-3">
                  <Link href="/queue?view=unassigned" className="text-blue-700 hover:underline">
                    Unassigned
                  </Link>
                </td>
                <td className="px-2 py-2 sm:px-3">{queue.unassigned.open}</td>
                <td className="px-2 py-2 sm:px-3">{queue.unassigned.acknowledged}</td>
                <td className="px-2 py-2 sm:px-3">{queue.unassigned.total}</td>
                <td className="px-2 py-2 sm:px-3">
                  {queue.unassigned.oldestAgeMs === null ? "—" : formatAge(queue.unassigned.oldestAgeMs)}
                </td>
              </tr>
              {queue.workload.map((w) => (
                <tr key={w.userId} className="border-t border-slate-100">
                  <td className="px-2 py-2 sm:px-3">
                    <Link
                      href={`/queue?view=all&assignee=${encodeURIComponent(w.userId)}`}
                      className="text-blue-700 hover:underline"
                    >
                      {w.name}
                    </Link>{" "}
                    {w.role && <span className="text-xs text-slate-600">{roleLabel(w.role)}</span>}
                  </td>
                  <td className="px-2 py-2 sm:px-3">{w.open}</td>
                  <td className="px-2 py-2 sm:px-3">{w.acknowledged}</td>
                  <td className="px-2 py-2 sm:px-3">{w.total}</td>
                  <td className="px-2 py-2 sm:px-3">{w.oldestAgeMs === null ? "—" : formatAge(w.oldestAgeMs)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section className="space-y-2">
        <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
          <h2 className="font-medium">
            {filter.view === "unassigned"
              ? "Unassigned alerts"
              : filter.assignee
                ? `Alerts of ${queue.people.find((p) => p.id === filter.assignee)?.name ?? filter.assignee}`
                : "All open alerts"}
          </h2>
          <Link
            href="/queue?view=unassigned"
            className={`text-sm ${filter.view === "unassigned" ? "font-semibold" : "text-blue-700 underline"}`}
          >
            Unassigned
          </Link>
          <Link
            href="/queue?view=all"
            className={`text-sm ${filter.view === "all" && !filter.assignee ? "font-semibold" : "text-blue-700 underline"}`}
          >
            All open
          </Link>
          <span className="text-sm text-slate-600">
            {queue.total} alert(s), {SORT_WORDS[filter.sort][filter.dir ?? defaultQueueDir(filter.sort)]}
            {queue.pageCount > 1 &&
              `; ${(queue.page - 1) * queue.limit + 1}–${Math.min(queue.page * queue.limit, queue.total)} shown`}
          </span>
          {queue.pageCount > 1 && (
            <nav aria-label="Queue pages" className="ml-auto flex gap-3 text-sm">
              {queue.page > 1 && (
                <Link href={queuePageHref(filter, queue.page - 1)} className="text-blue-700 underline">
                  ← Previous
                </Link>
              )}
              <span>
                page {queue.page} of {queue.pageCount}
              </span>
              {queue.page < queue.pageCount && (
                <Link href={queuePageHref(filter, queue.page + 1)} className="text-blue-700 underline">
                  Next →
                </Link>
              )}
            </nav>
          )}
        </div>
        <QueueTable
          people={queue.people}
          sortLinks={sortLinks(filter)}
          rows={queue.alerts.map((a) => ({
            id: a.id,
            version: a.version,
            status: a.status,
            severity: a.severity,
            riskScore: a.riskScore,
            hostName: a.hostName,
            consumerName: a.consumerName,
            consumerType: a.consumerType,
            assigneeName: a.assigneeName,
            age: formatAge(a.ageMs),
            idle: formatAge(a.idleMs),
            eventTimestamp: a.eventTimestamp.toISOString().replace("T", " ").slice(0, 19),
          }))}
        />
      </section>

      <section className="space-y-2 rounded-lg border border-slate-200 bg-white p-4" id="mandatory-steps">
        <h2 className="font-medium">Mandatory steps before closing an alert</h2>
        <p className="text-sm text-slate-600">
          {mandatory.isDefault
            ? "Default: every investigation step."
            : `Set by ${setBy ?? mandatory.updatedBy ?? "?"} at ${mandatory.updatedAt?.toISOString().replace("T", " ").slice(0, 16)}.`}
        </p>
        <MandatoryStepsForm
          sections={listGuideStepsForSettings()}
          value={mandatory.value}
          updatedAt={mandatory.updatedAt?.toISOString() ?? null}
          canWrite={can(user.role, "settings:write")}
        />
      </section>
    </div>
  );
}
