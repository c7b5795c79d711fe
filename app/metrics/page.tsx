import Link from "next/link";
import { AlertsPerDayChart, HorizontalBars, VerdictChart } from "@/components/metrics/charts";
import { requirePageUser } from "@/lib/auth/session";
import { AckSlaForm } from "@/components/metrics/ack-sla-form";
import { can } from "@/lib/auth/permissions";
import { formatDuration, getMetrics } from "@/lib/data/metrics";
import { getUserNames } from "@/lib/data/users";
import { Time } from "@/components/ui/time";
import { DataTable } from "@/components/ui/data-table";

export const dynamic = "force-dynamic";

const RANGES = [7, 30, 90, 365];

export default async function MetricsPage({ searchParams }: { searchParams: Promise<{ days?: string }> }) {
  const user = await requirePageUser("metrics:read");
  const requested = Number((await searchParams).days);
  const days = RANGES.includes(requested) ? requested : 30;
  const m = await getMetrics(user, days);
  const slaSetBy = (await getUserNames([m.sla.updatedBy])).get(m.sla.updatedBy ?? "");
  const cards: [string, string, string][] = [
    ["Alerts raised", String(m.totals.raised), "raised"],
    ["Closed", String(m.totals.closed), "closed"],
    ["Open / acknowledged", `${m.totals.open} / ${m.totals.acknowledged}`, "backlog"],
    ["MTTA", formatDuration(m.totals.mttaMs), "mtta"],
    ["MTTR", formatDuration(m.totals.mttrMs), "mttr"],
    [`Acknowledged later than ${m.sla.minutes} min`, String(m.sla.lateAcks), "sla-late"],
    [`Open past ${m.sla.minutes} min, not acknowledged`, String(m.sla.openPastTarget), "sla-open"],
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
      <dl className="grid grid-cols-2 gap-3 md:grid-cols-4">
        {cards.map(([label, value, id]) => (
          <div key={id} className="rounded-lg border border-slate-200 bg-white p-3" data-testid={`metric-${id}`}>
            <dt className="text-xs text-slate-600">{label}</dt>
            <dd className="text-xl font-semibold">{value}</dd>
          </div>
        ))}
      </dl>
      <section className="space-y-2 rounded-lg border border-slate-200 bg-white p-4">
        <h2 className="font-medium">Per analyst</h2>
        <p className="text-sm text-slate-600">
          Credited to the alert&apos;s assignee when it was acknowledged or closed (closing a case credits each
          alert&apos;s assignee); unassigned alerts to whoever acted. &ldquo;Closed themselves&rdquo; counts the alerts
          the person closed, whoever&apos;s they were.
        </p>
        <DataTable
          label="Per analyst"
          framed={false}
          rows={m.analysts}
          rowKey={(a) => a.userId}
          rowTestId="analyst-row"
          empty="Nobody has acknowledged or closed an alert raised in this period."
          columns={[
            { header: "Analyst", rowHeader: true, cell: (a) => a.name },
            { header: "Acknowledged", className: "tabular-nums", cell: (a) => a.acknowledged },
            { header: "MTTA", className: "tabular-nums", cell: (a) => formatDuration(a.mttaMs) },
            { header: `Later than ${m.sla.minutes} min`, className: "tabular-nums", cell: (a) => a.lateAcks },
            { header: "Closed (credited)", className: "tabular-nums", cell: (a) => a.closed },
            { header: "MTTR", className: "tabular-nums", cell: (a) => formatDuration(a.mttrMs) },
            { header: "Closed themselves", className: "tabular-nums", cell: (a) => a.closedByThem },
          ]}
        />
      </section>
      <section className="space-y-2 rounded-lg border border-slate-200 bg-white p-4" id="sla">
        <h2 className="font-medium">Acknowledgement target (SLA)</h2>
        <p className="text-sm text-slate-600">
          {m.sla.isDefault
            ? `Default: ${m.sla.minutes} minutes.`
            : `${m.sla.minutes} minutes, set by ${slaSetBy ?? m.sla.updatedBy ?? "?"}.`}
        </p>
        <AckSlaForm
          minutes={m.sla.minutes}
          updatedAt={m.sla.updatedAt?.toISOString() ?? null}
          canWrite={can(user.role, "settings:write")}
        />
      </section>
      <section className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 className="mb-2 font-medium">Alerts per day</h2>
        <AlertsPerDayChart data={m.perDay} />
      </section>
      <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
        <section className="rounded-lg border border-slate-200 bg-white p-4">
          <h2 className="mb-2 font-medium">Verdict mix (closed alerts)</h2>
          <VerdictChart data={m.verdicts} />
          <ul className="mt-2 text-sm" aria-label="Verdicts">
            {m.verdicts.map((v) => (
              <li key={v.verdict} data-testid="verdict-count">
                {v.label}: {v.count}
              </li>
            ))}
          </ul>
        </section>
        <section className="rounded-lg border border-slate-200 bg-white p-4">
          <h2 className="mb-2 font-medium">Throughput: alerts closed per analyst (credited)</h2>
          <HorizontalBars
            data={m.analysts.filter((a) => a.closed > 0).map((a) => ({ name: a.name, closed: a.closed }))}
            dataKey="closed"
            nameKey="name"
            label="closed"
          />
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
            <b>SLA</b>: acknowledgements (or direct closures) later than the target set by a lead, and alerts still open
            and unacknowledged longer than it.
          </li>
          <li>
            <b>False-positive rate</b>: alerts closed as false positive over all closed alerts.
          </li>
          <li>
            <b>Per analyst and throughput</b>: each acknowledgement and closure counts for the alert&apos;s assignee at
            that moment, from the audit log (the person who did the work, also when a lead closes their case); the
            person who closed is counted apart.
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
