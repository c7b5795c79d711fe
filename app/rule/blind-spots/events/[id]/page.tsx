import Link from "next/link";
import { notFound } from "next/navigation";
import { FailedPredicates } from "@/components/rule/blind-spots-table";
import { formatUtc } from "@/components/rule/format";
import { requirePageUser } from "@/lib/auth/session";
import { getBlindSpotEvent } from "@/lib/data/blind-spots";

export const dynamic = "force-dynamic";

export default async function BlindSpotEventPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePageUser("rule:read");
  const { id } = await params;
  const event = await getBlindSpotEvent(user, id);
  if (!event) notFound();
  return (
    <div className="space-y-4">
      <Link href="/rule/blind-spots" className="text-sm text-blue-700 hover:underline">
        ← Blind spots
      </Link>
      <h1 className="text-2xl font-semibold">Event {event.id}</h1>
      <dl className="grid grid-cols-[10rem_1fr] gap-x-3 gap-y-1 text-sm">
        <dt className="text-slate-600">Time (UTC)</dt>
        <dd>{formatUtc(event.timestamp)}</dd>
        <dt className="text-slate-600">Host</dt>
        <dd className="literal">{event.host ?? "—"}</dd>
        <dt className="text-slate-600">event.code / dataset</dt>
        <dd>
          {event.eventCode ?? "—"} / {event.dataset ?? "—"}
        </dd>
        <dt className="text-slate-600">Rule verdict</dt>
        <dd data-testid="event-verdict">{event.reason}</dd>
        {event.alertIds.length > 0 && (
          <>
            <dt className="text-slate-600">Alerts</dt>
            <dd className="space-x-2">
              {event.alertIds.map((a) => (
                <Link key={a} href={`/alerts/${a}`} className="font-mono text-xs text-blue-700 hover:underline">
                  {a}
                </Link>
              ))}
            </dd>
          </>
        )}
      </dl>
      {event.failures.length > 0 && (
        <section className="space-y-2 rounded-lg border border-slate-200 bg-white p-4">
          <h2 className="font-medium">Failed predicates</h2>
          <FailedPredicates failures={event.failures} />
        </section>
      )}
      <section className="space-y-2">
        <h2 className="font-medium">Stored document</h2>
        <pre
          data-testid="event-json"
          className="literal max-h-[40rem] overflow-auto rounded-lg border border-slate-200 bg-slate-50 p-4 text-xs"
        >
          {event.json}
        </pre>
      </section>
    </div>
  );
}
