import Link from "next/link";
import { runStatusLabel } from "@/lib/format/labels";
import { getOverview } from "@/lib/data/overview";
import { requirePageUser } from "@/lib/auth/session";

export const dynamic = "force-dynamic";

export default async function OverviewPage() {
  await requirePageUser("alerts:read");
  const overview = await getOverview();
  const statuses = ["open", "acknowledged", "closed"] as const;
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Suspicious WMI Event Subscription Created</h1>
      <div className="grid grid-cols-2 gap-4 md:grid-cols-4">
        <div className="rounded-lg border border-slate-200 bg-white p-4" data-testid="stat-events">
          <div className="text-sm text-slate-600">Stored events</div>
          <div className="text-2xl font-semibold">{overview.events.toLocaleString("en-US")}</div>
        </div>
        {statuses.map((s) => (
          <Link
            key={s}
            href={`/alerts?status=${s}`}
            className="rounded-lg border border-slate-200 bg-white p-4 hover:border-slate-400"
            data-testid={`stat-${s}`}
          >
            <div className="text-sm capitalize text-slate-600">{s} alerts</div>
            <div className="text-2xl font-semibold">{(overview.alertsByStatus[s] ?? 0).toLocaleString("en-US")}</div>
          </Link>
        ))}
      </div>
      <section className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 className="mb-2 font-medium">Recent ingests</h2>
        {overview.recentJobs.length === 0 ? (
          <p className="text-sm text-slate-600">
            Nothing ingested yet.{" "}
            <Link className="text-blue-700 underline" href="/upload">
              Upload event files
            </Link>
            .
          </p>
        ) : (
          <ul className="divide-y divide-slate-100 text-sm">
            {overview.recentJobs.map((j) => (
              <li key={j.id} className="flex justify-between py-2">
                <Link href={`/ingest/${j.id}`} className="text-blue-700 hover:underline">
                  {j.fileName}
                </Link>
                <span className="text-slate-600">
                  {runStatusLabel(j.status)} · {j.stored} stored · {j.alerts} alerts
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
