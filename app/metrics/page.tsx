import Link from "next/link";
import { AlertsPerDayChart, HorizontalBars, VerdictChart } from "@/components/metrics/charts";
import { requirePageUser } from "@/lib/auth/session";
import { formatDuration, getMetrics } from "@/lib/data/metrics";
import { Time } from "@/components/ui/time";

export const dynamic = "force-dynamic";

const RANGES = [7, 30, 90, 365];

export default async function MetricsPage({ searchParams }: { searchParams: Promise<{ days?: string }> }) {
  const user = await requirePageUser("metrics:read");
  const requested = Number((await searchParams).days);
  const days = RANGES.includes(requested) ? requested : 30;
  const m = await getMetrics(user, days);
  const cards: [string, string, string][] = [
    ["Alerts raised", String(m.totals.raised), "raised"],
    ["Closed", String(m.totals.closed), "closed"],
    ["Open / acknowledged", `${m.totals.open} / ${m.totals.acknowledged}`, "backlog"],
    ["MTTA", formatDuration(m.totals.mttaMs), "mtta"],
    ["MTTR", formatDuration(m.totals.mttrMs), "mttr"],
    [
      "False-positive rate",
      m.totals.falsePositiveRate === null ? "—" : `${(m.totals.falsePositiveRate * 100).toFixed(0)} %`,
      "fp-rate",
    ],
  ];
  return (
    <div className="space-y-6">
      <div className="flex items-center justify-between">
        <h1 className="text-2xl font-semibold">Metrics</h1>
        <div className="flex gap-2 text-sm">
          {RANGES.map((d) => (
            <Link
              key={d}
              href={`/metrics?days=${d}`}
              className={`rounded px-2 py-1 ${d === days ? "bg-slate-900 text-white" : "bg-white ring-1 ring-slate-200"}`}
            >
              {d} days
            </Link>
          ))}
        </div>
      </div>
      <dl className="grid grid-cols-2 gap-3 md:grid-cols-6">
        {cards.map(([label, value, id]) => (
          <div key={id} className="rounded-lg border border-slate-200 bg-white p-3" data-testid={`metric-${id}`}>
            <dt className="text-xs text-slate-600">{label}</dt>
            <dd className="text-xl font-semibold">{value}</dd>
          </div>
        ))}
      </dl>
      <section className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 className="mb-2 font-medium">Alerts per day</h2>
        <AlertsPerDayChart data={m.perDay} />
      </section>
      <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
        <section className="rounded-lg border border-slate-200 bg-white p-4">
          <h2 className="mb-2 font-medium">Verdict mix (closed alerts)</h2>
          <VerdictChart data={m.verdicts} />
        </section>
        <section className="rounded-lg border border-slate-200 bg-white p-4">
          <h2 className="mb-2 font-medium">Throughput: alerts closed per person</h2>
          <HorizontalBars data={m.throughput} dataKey="closed" nameKey="name" label="closed" />
        </section>
      </div>
      <section className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 className="mb-2 font-medium">Average time per guide step (minutes)</h2>
        <HorizontalBars
          data={m.stepTimes.map((s) => ({ label: s.label, minutes: Number(s.avgMinutes.toFixed(1)), count: s.count }))}
          dataKey="minutes"
          nameKey="label"
          label="minutes"
        />
      </section>
      <section className="rounded-lg border border-slate-200 bg-white p-4 text-sm text-slate-600">
        <h2 className="mb-1 font-medium text-slate-900">How these are measured</h2>
        <p>
          Over alerts raised in the last {days} days (since <Time value={m.since} dateOnly />
          ).
        </p>
        <ul className="list-disc pl-5">
          <li>
            <b>MTTA</b> (mean time to acknowledge): from the alert being raised to the first audit entry that moved it
            out of <i>open</i> (acknowledged, or closed directly); {m.totals.acknowledgedCount} alert(s) so far.
          </li>
          <li>
            <b>MTTR</b> (mean time to resolve): from the alert being raised to it being closed, over alerts closed now.
          </li>
          <li>
            <b>False-positive rate</b>: alerts closed as false positive over all closed alerts.
          </li>
          <li>
            <b>Throughput</b>: closed alerts by the person who closed them.
          </li>
          <li>
            <b>Time per step</b>: for each alert, the time between a guide step being marked done and the previous step
            of that alert being marked done; for its first step, since the first action anyone took on the alert (its
            first audit entry). Averaged per step. Steps done in one sitting therefore show short times; a step done
            after a break carries the break.
          </li>
        </ul>
      </section>
    </div>
  );
}
