import Link from "next/link";
import { BackfillForm } from "@/components/rule/backfill-form";
import { BackfillProgress } from "@/components/rule/backfill-progress";
import { EqlQuery } from "@/components/rule/eql-query";
import { RuleControls } from "@/components/rule/rule-controls";
import { RuleMetadata, SeverityBadge } from "@/components/rule/rule-metadata";
import { formatUtc } from "@/components/rule/format";
import { RunHistory } from "@/components/rule/run-history";
import { requirePageUser } from "@/lib/auth/session";
import { getRuleOverview } from "@/lib/data/rule-runs";
import { MAX_BACKFILL_DAYS } from "@/lib/detection/run";
import { RULE_DISABLED_NOTE } from "@/lib/rule/disabled-note";

export const dynamic = "force-dynamic";

export default async function RulePage({ searchParams }: { searchParams: Promise<{ page?: string }> }) {
  const user = await requirePageUser("rule:read");
  const { page } = await searchParams;
  const { rule, enabled, disabledPeriod, canRun, runs, backfills } = await getRuleOverview(user, {
    page: Number(page) || 1,
  });
  // after a disabled period that stored events, a backfill over them is offered, pre-filled
  const p = disabledPeriod;
  const offer =
    enabled && p?.to && !p.backfilled && p.eventsFrom && p.eventsTo
      ? { from: p.from, to: p.to, events: p.events, eventsFrom: p.eventsFrom, eventsTo: p.eventsTo }
      : null;
  return (
    <div className="space-y-6">
      <header className="space-y-2">
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="text-2xl font-semibold">{rule.name}</h1>
          <SeverityBadge severity={rule.severity} />
          <span
            className={`rounded px-2 py-0.5 text-xs font-medium ${enabled ? "bg-emerald-100 text-emerald-800" : "bg-slate-200 text-slate-700"}`}
            data-testid="rule-state"
          >
            {enabled ? "enabled" : "disabled"}
          </span>
          <Link href="/rule/blind-spots" className="ml-auto text-sm text-blue-700 hover:underline">
            Blind spots →
          </Link>
        </div>
        <p className="max-w-3xl text-slate-700">{rule.description}</p>
      </header>

      {!enabled && (
        <p
          role="status"
          data-testid="rule-disabled-note"
          className="rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900"
        >
          <span className="font-medium">{RULE_DISABLED_NOTE[0].toUpperCase() + RULE_DISABLED_NOTE.slice(1)}</span>: no
          schedule, Run now or backfill, and uploads, the API, the CLI, polling and _bulk store events without creating
          alerts
          {disabledPeriod && !disabledPeriod.to && (
            <>
              {" "}
              · disabled since {formatUtc(disabledPeriod.from)} · {disabledPeriod.events} event(s) stored since
            </>
          )}
          .
        </p>
      )}

      {canRun && <RuleControls enabled={enabled} />}

      <section className="grid gap-6 lg:grid-cols-2">
        <RuleMetadata rule={rule} />
        <div className="space-y-2">
          <h2 className="text-lg font-medium">Query (EQL)</h2>
          <EqlQuery query={rule.query} />
        </div>
      </section>

      <section className="space-y-3">
        <h2 className="text-lg font-medium">Backfills</h2>
        {canRun && offer && (
          <p
            role="status"
            data-testid="backfill-offer"
            className="rounded border border-sky-300 bg-sky-50 px-3 py-2 text-sm text-sky-900"
          >
            The rule was disabled from {formatUtc(offer.from)} to {formatUtc(offer.to)}: {offer.events} event(s) stored
            then were not checked (event times {formatUtc(offer.eventsFrom)} to {formatUtc(offer.eventsTo)}). The form
            below is filled in to backfill them.
          </p>
        )}
        {canRun && (
          <BackfillForm
            interval={rule.interval}
            maxDays={MAX_BACKFILL_DAYS}
            initial={offer ? { start: offer.eventsFrom.toISOString(), end: offer.eventsTo.toISOString() } : undefined}
          />
        )}
        <BackfillProgress
          backfills={backfills.map((b) => ({
            ...b,
            rangeStart: b.rangeStart.toISOString(),
            rangeEnd: b.rangeEnd.toISOString(),
            createdAt: b.createdAt.toISOString(),
            finishedAt: b.finishedAt?.toISOString() ?? null,
          }))}
        />
      </section>

      <section className="space-y-3">
        <h2 className="text-lg font-medium">Run history</h2>
        <RunHistory runs={runs} />
      </section>
    </div>
  );
}
