import { PurgeNowButton, RetentionForm } from "@/components/admin/retention-form";
import { requirePageUser } from "@/lib/auth/session";
import { getRetentionOverview } from "@/lib/data/retention";

export const dynamic = "force-dynamic";

const utc = (at: Date | string) => `${new Date(at).toISOString().slice(0, 16).replace("T", " ")} UTC`;

export default async function AdminRetentionPage() {
  const actor = await requirePageUser("retention:manage");
  const { setting, cutoff, lastPurge, evidence } = await getRetentionOverview(actor);
  return (
    <div className="max-w-3xl space-y-4">
      <h1 className="text-2xl font-semibold">Event retention</h1>
      <section className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
        <p className="text-sm text-slate-700" data-testid="retention-summary">
          Events are kept for <strong>{setting.days} days</strong> after they are stored
          {setting.isDefault || !setting.updatedAt
            ? " (the default)"
            : ` (set by ${setting.updatedByName} on ${utc(setting.updatedAt)})`}
          . Events stored before {utc(cutoff)} are dropped by the daily purge (03:17 UTC), except an alert&apos;s
          evidence:
        </p>
        <ul className="list-disc pl-6 text-sm text-slate-700">
          {evidence.map((e) => (
            <li key={e}>{e}</li>
          ))}
        </ul>
        <p className="text-sm text-slate-600">
          Training scenarios keep their own copy of their events, so a replay never depends on stored events.
        </p>
        <RetentionForm days={setting.days} updatedAt={setting.updatedAt?.toISOString() ?? null} />
      </section>
      <section className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
        <h2 className="font-medium">Last purge</h2>
        {lastPurge ? (
          <p className="text-sm text-slate-700" data-testid="last-purge">
            {utc(lastPurge.at)}: {lastPurge.deleted.toLocaleString("en-US")} expired events deleted,{" "}
            {lastPurge.kept.toLocaleString("en-US")} kept as evidence ({lastPurge.batches} batches,{" "}
            {lastPurge.ms.toLocaleString("en-US")} ms).
          </p>
        ) : (
          <p className="text-sm text-slate-600" data-testid="last-purge">
            No purge has run yet.
          </p>
        )}
        <PurgeNowButton />
      </section>
    </div>
  );
}
