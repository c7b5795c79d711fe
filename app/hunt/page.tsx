import Link from "next/link";
import { notFound } from "next/navigation";
import { AppError } from "@/lib/app-error";
import { HuntForm } from "@/components/hunt/hunt-form";
import { HuntProgress } from "@/components/hunt/hunt-progress";
import {
  ColumnChooser,
  HuntEventsTable,
  HuntSequences,
  HuntSummary,
  type HuntUrlState,
} from "@/components/hunt/hunt-results";
import { SavedHunts } from "@/components/hunt/saved-hunts";
import { requirePageUser } from "@/lib/auth/session";
import { getHuntRun, getStoredEventRange, listSavedHunts } from "@/lib/data/hunts";
import { parseColumns, parseSort } from "@/lib/hunt/table";

export const dynamic = "force-dynamic";

type Search = Partial<Record<"run" | "q" | "from" | "to" | "host" | "cols" | "sort" | "page" | "alert", string>>;

const iso = (d: Date) => d.toISOString().replace(".000Z", "Z");

export default async function HuntPage({ searchParams }: { searchParams: Promise<Search> }) {
  const user = await requirePageUser("hunt:run");
  const sp = await searchParams;
  // the stored range is an aggregate over every event: read it when the page has no range yet, not on each
  // progress refresh of a running hunt
  const needsRange = !(sp.from && sp.to);
  const [stored, saved] = await Promise.all([
    needsRange ? getStoredEventRange(user) : Promise.resolve(null),
    listSavedHunts(user),
  ]);
  const now = new Date();
  const allFrom = stored ? iso(new Date(stored.first.getTime())) : iso(new Date(now.getTime() - 86_400_000));
  const allTo = stored ? iso(new Date(stored.last.getTime() + 1000)) : iso(now);
  const ranges = [
    { label: "Last 24 h", from: iso(new Date(now.getTime() - 86_400_000)), to: iso(now) },
    { label: "Last 30 days", from: iso(new Date(now.getTime() - 30 * 86_400_000)), to: iso(now) },
    ...(needsRange ? [{ label: "All stored events", from: allFrom, to: allTo }] : []),
  ];
  const state: HuntUrlState = {
    run: sp.run ?? "",
    q: sp.q ?? "",
    from: sp.from ?? allFrom,
    to: sp.to ?? allTo,
    host: sp.host ?? "",
    cols: parseColumns(sp.cols),
    sort: parseSort(sp.sort),
    alert: sp.alert ?? "",
  };
  const view = state.run
    ? await getHuntRun(user, state.run, { page: Number(sp.page) || 1, sort: state.sort }).catch((e: unknown) => {
        if (e instanceof AppError && e.code === "not_found") notFound();
        throw e;
      })
    : null;
  return (
    <div className="space-y-5">
      <header className="space-y-1">
        <h1 className="text-2xl font-semibold">Hunt</h1>
        <p className="max-w-3xl text-sm text-slate-600">
          EQL over the stored events, with Elasticsearch&apos;s semantics: single events (
          <code className="font-mono">process where …</code>, <code className="font-mono">any where …</code>) and
          sequences (<code className="font-mono">sequence by host.name with maxspan=5m […] […] until […]</code>, with{" "}
          <code className="font-mono">runs=</code>, <code className="font-mono">![…]</code> missing events and{" "}
          <code className="font-mono">?field</code>). Hunts run in the background worker and stop at {""}
          the row limit or after 30 seconds; the host matches by identity (its first name label, any case).
        </p>
        {state.alert && (
          <p className="text-sm">
            Hunting around alert{" "}
            <Link
              href={`/alerts/${encodeURIComponent(state.alert)}`}
              className="font-mono text-blue-700 hover:underline"
            >
              {state.alert.slice(0, 8)}
            </Link>
            ; hits can be pinned to it as evidence.
          </p>
        )}
      </header>
      <HuntForm
        key={[state.run, state.q, state.from, state.to, state.host].join("|")}
        alertId={state.alert}
        initial={{ query: view?.query ?? state.q, from: state.from, to: state.to, host: state.host }}
        ranges={ranges}
      />
      <SavedHunts saved={saved} state={state} />
      {view && (
        <section className="space-y-3" aria-label="Results">
          <HuntProgress runId={view.id} status={view.status} scanned={view.scanned} hits={view.hitCount} />
          <HuntSummary view={view} state={state} />
          {view.kind && <ColumnChooser state={state} />}
          {view.kind === "events" && view.hitCount > 0 && <HuntEventsTable view={view} state={state} />}
          {view.kind === "sequence" && view.hitCount > 0 && <HuntSequences view={view} state={state} />}
          {view.kind && view.hitCount === 0 && <p className="text-sm text-slate-600">No events matched.</p>}
        </section>
      )}
    </div>
  );
}
