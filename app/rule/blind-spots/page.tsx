import Link from "next/link";
import { BlindSpotGroups, BlindSpotsTable, blindSpotsHref } from "@/components/rule/blind-spots-table";
import { requirePageUser } from "@/lib/auth/session";
import { listBlindSpots, MAX_EVALUATED } from "@/lib/data/blind-spots";

export const dynamic = "force-dynamic";

export default async function BlindSpotsPage({
  searchParams,
}: {
  searchParams: Promise<{ page?: string; reason?: string; host?: string }>;
}) {
  const user = await requirePageUser("rule:read");
  const { page, reason, host } = await searchParams;
  const filters = { reason: reason || undefined, host: host || undefined };
  const list = await listBlindSpots(user, { ...filters, page: Number(page) || 1 });
  return (
    <div className="space-y-5">
      <header className="space-y-1">
        <h1 className="text-2xl font-semibold">Blind spots</h1>
        <p className="max-w-3xl text-sm text-slate-600">
          WMI subscription activity in the stored events that the rule did not alert on: Sysmon 19/20/21 and WMI API
          events with no alert, each with the predicates of the rule that kept it out (from the closest branch of the
          query). Nothing here creates alerts.
        </p>
        {filters.host && (
          <p className="text-sm">
            Host <span className="literal font-medium">{filters.host}</span> ·{" "}
            <Link href={blindSpotsHref({ reason: filters.reason })} className="text-blue-700 hover:underline">
              all hosts
            </Link>
          </p>
        )}
        {list.candidates > list.evaluated && (
          <p className="text-sm text-amber-800">
            {list.candidates} events qualify; the newest {MAX_EVALUATED} were evaluated. Filter by host to see older
            ones.
          </p>
        )}
      </header>
      <section className="space-y-2 rounded-lg border border-slate-200 bg-white p-4">
        <h2 className="font-medium">By failure reason</h2>
        <BlindSpotGroups list={list} filters={filters} />
      </section>
      <BlindSpotsTable list={list} filters={filters} />
    </div>
  );
}
