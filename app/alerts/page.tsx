import { Suspense } from "react";
import { AlertsPageView, AlertsSkeleton } from "@/components/alerts-table/alerts-page-view";
import { requirePageUser, type CurrentUser } from "@/lib/auth/session";
import { getAlertsPage } from "@/lib/data/alerts-page";

export const dynamic = "force-dynamic";

type SearchParams = Record<string, string | string[] | undefined>;

function toQuery(params: SearchParams): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    for (const x of Array.isArray(v) ? v : v === undefined ? [] : [v]) qs.append(k, x);
  return qs.toString();
}

async function AlertsResults({ user, params, query }: { user: CurrentUser; params: SearchParams; query: string }) {
  const data = await getAlertsPage(user, params);
  return <AlertsPageView data={data} query={query} />;
}

export default async function AlertsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const user = await requirePageUser("alerts:read");
  const params = await searchParams;
  const query = toQuery(params);
  return (
    <div className="space-y-3">
      <h1 className="text-2xl font-semibold">Alerts</h1>
      {/* a filter change shows the skeleton while the new page of alerts loads */}
      <Suspense key={query} fallback={<AlertsSkeleton />}>
        <AlertsResults user={user} params={params} query={query} />
      </Suspense>
    </div>
  );
}
