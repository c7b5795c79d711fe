import Link from "next/link";
import { PinForm } from "@/components/hunt/pin-form";
import { formatUtc } from "@/components/rule/format";
import type { HuntRunView } from "@/lib/data/hunts";
import type { PredicateTrace } from "@/lib/eql/evaluate";
import { cellText, type SortSpec } from "@/lib/hunt/table";
import { Button } from "@/components/ui/button";

export interface HuntUrlState {
  run: string;
  q: string;
  from: string;
  to: string;
  host: string;
  cols: string[];
  sort: SortSpec;
  alert: string;
}

export function huntHref(state: HuntUrlState, change: Partial<HuntUrlState> & { page?: number }): string {
  const s = { ...state, ...change };
  const params = new URLSearchParams({ run: s.run, q: s.q, from: s.from, to: s.to });
  if (s.host) params.set("host", s.host);
  params.set("cols", s.cols.join(","));
  params.set("sort", `${s.sort.dir === "desc" ? "-" : ""}${s.sort.field}`);
  if (s.alert) params.set("alert", s.alert);
  if (change.page && change.page > 1) params.set("page", String(change.page));
  return `/hunt?${params.toString()}`;
}

/** Why an event matched: each predicate with the value the event had (event values are literal text). */
function Why({ trace, branch }: { trace: PredicateTrace[]; branch?: string | null }) {
  return (
    <div className="space-y-1 text-xs">
      {branch && (
        <p>
          matched branch <code className="font-mono text-sky-800">{branch}</code>
        </p>
      )}
      <ul className="space-y-0.5">
        {trace.map((t, i) => (
          <li key={i} className={t.held !== t.negated ? "text-emerald-800" : "text-slate-600"}>
            {t.held !== t.negated ? "✓" : "✗"} <code className="font-mono">{t.text}</code>
            {t.field && (
              <>
                {" "}
                — {t.field}:{" "}
                {t.values.length ? (
                  <span className="literal text-slate-900">{t.values.map(String).join(", ")}</span>
                ) : (
                  <em>no value</em>
                )}
              </>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function HuntSummary({ view, state }: { view: HuntRunView; state: HuntUrlState }) {
  const done = !["queued", "running", "cancelling"].includes(view.status);
  const exportHref = (format: string) =>
    `/api/hunt/${view.id}/export?format=${format}&cols=${encodeURIComponent(state.cols.join(","))}`;
  return (
    <div className="space-y-1 text-sm">
      <p data-testid="hunt-summary">
        <strong>{view.hitCount}</strong> {view.kind === "sequence" ? "sequences" : "hits"} · {view.scanned} events
        checked · {view.status === "succeeded" ? "finished" : view.status.replace("_", " ")}
        {view.finishedAt ? ` in ${((view.finishedAt.getTime() - view.createdAt.getTime()) / 1000).toFixed(1)} s` : ""}
        {view.hostKey && (
          <>
            {" "}
            · host <span className="literal">{view.hostKey}</span>
          </>
        )}
      </p>
      {view.truncated && (
        <p className="text-amber-800">
          Stopped at the row limit ({view.rowLimit}): narrow the query or the time range to see the rest.
        </p>
      )}
      {view.error && <p className={view.status === "failed" ? "text-red-700" : "text-amber-800"}>{view.error}</p>}
      {done && view.hitCount > 0 && (
        <p className="flex gap-3">
          <a href={exportHref("csv")} className="text-blue-700 hover:underline">
            Export CSV
          </a>
          <a href={exportHref("ndjson")} className="text-blue-700 hover:underline">
            Export NDJSON
          </a>
        </p>
      )}
    </div>
  );
}

export function ColumnChooser({ state }: { state: HuntUrlState }) {
  return (
    <form action="/hunt" className="flex flex-wrap items-center gap-2 text-sm">
      {(["run", "q", "from", "to", "host", "alert"] as const).map((k) =>
        state[k] ? <input key={k} type="hidden" name={k} value={state[k]} /> : null,
      )}
      <input type="hidden" name="sort" value={`${state.sort.dir === "desc" ? "-" : ""}${state.sort.field}`} />
      <label className="flex items-center gap-2">
        Columns (any ECS field, comma-separated)
        <input
          name="cols"
          defaultValue={state.cols.join(", ")}
          className="w-[32rem] max-w-full rounded border border-slate-300 px-2 py-1 font-mono text-xs"
        />
      </label>
      <Button type="submit" size="sm">
        Apply
      </Button>
    </form>
  );
}

function Pager({ view, state }: { view: HuntRunView; state: HuntUrlState }) {
  if (view.pages <= 1) return null;
  return (
    <nav aria-label="Pages" className="flex items-center gap-3 text-sm">
      {view.page > 1 && <Link href={huntHref(state, { page: view.page - 1 })}>← Previous</Link>}
      <span>
        Page {view.page} of {view.pages}
      </span>
      {view.page < view.pages && <Link href={huntHref(state, { page: view.page + 1 })}>Next →</Link>}
    </nav>
  );
}

export function HuntEventsTable({ view, state }: { view: HuntRunView; state: HuntUrlState }) {
  const sortLink = (field: string) => {
    const dir = state.sort.field === field && state.sort.dir === "asc" ? "desc" : "asc";
    return huntHref(state, { sort: { field, dir } });
  };
  return (
    <div className="space-y-2">
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="min-w-full text-left text-sm" data-testid="hunt-results">
          <thead className="bg-slate-50 text-xs uppercase text-slate-600">
            <tr>
              {state.cols.map((c) => (
                <th
                  key={c}
                  className="px-3 py-2 font-medium"
                  aria-sort={state.sort.field === c ? (state.sort.dir === "asc" ? "ascending" : "descending") : "none"}
                >
                  <Link href={sortLink(c)} className="hover:underline">
                    {c}
                    {state.sort.field === c ? (state.sort.dir === "asc" ? " ▲" : " ▼") : ""}
                  </Link>
                </th>
              ))}
              <th className="px-3 py-2 font-medium">Why it matched</th>
            </tr>
          </thead>
          <tbody>
            {view.rows.map((row) => (
              <tr key={row.eventId} className="border-t border-slate-100 align-top">
                {state.cols.map((c) => (
                  <td key={c} className="max-w-md px-3 py-2">
                    <span className={`literal text-xs ${c === "@timestamp" ? "whitespace-nowrap" : ""}`}>
                      {c === "@timestamp" ? formatUtc(cellText(row.doc, c) || null) : cellText(row.doc, c)}
                    </span>
                  </td>
                ))}
                <td className="px-3 py-2">
                  <details>
                    <summary className="cursor-pointer text-xs text-blue-700">explain · pin</summary>
                    <div className="mt-2 w-[28rem] space-y-2">
                      <Why trace={row.hit.trace} branch={row.hit.branch} />
                      <PinForm eventId={row.eventId} query={view.query} defaultTarget={state.alert} />
                    </div>
                  </details>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pager view={view} state={state} />
    </div>
  );
}

export function HuntSequences({ view, state }: { view: HuntRunView; state: HuntUrlState }) {
  return (
    <div className="space-y-3" data-testid="hunt-sequences">
      {view.sequences.map((seq, i) => (
        <section key={i} className="rounded-lg border border-slate-200 bg-white p-3">
          <h3 className="text-sm font-medium">
            Sequence {(view.page - 1) * 20 + i + 1}
            {seq.keys.length > 0 && (
              <>
                {" "}
                · by <span className="literal">{seq.keys.map((k) => k ?? "null").join(", ")}</span>
              </>
            )}
          </h3>
          <ol className="mt-2 space-y-2">
            {seq.events.map((e, stage) => (
              <li key={stage} className="border-l-2 border-slate-200 pl-3 text-sm">
                <span className="text-xs text-slate-600">stage {stage + 1}</span>{" "}
                {e === null ? (
                  <em className="text-slate-600">missing event: none occurred, as the query requires</em>
                ) : (
                  <>
                    <span className="font-mono text-xs">{formatUtc(e.timestamp)}</span>{" "}
                    {state.cols
                      .filter((c) => c !== "@timestamp")
                      .map((c) => {
                        const text = cellText(seq.docs[stage] ?? {}, c);
                        return text ? (
                          <span key={c} className="mr-2 text-xs">
                            <span className="text-slate-600">{c}</span> <span className="literal">{text}</span>
                          </span>
                        ) : null;
                      })}
                    <details className="mt-1">
                      <summary className="cursor-pointer text-xs text-blue-700">explain · pin</summary>
                      <div className="mt-2 space-y-2">
                        <Why trace={e.trace} />
                        <PinForm eventId={e.eventId} query={view.query} defaultTarget={state.alert} />
                      </div>
                    </details>
                  </>
                )}
              </li>
            ))}
          </ol>
        </section>
      ))}
      <Pager view={view} state={state} />
    </div>
  );
}
