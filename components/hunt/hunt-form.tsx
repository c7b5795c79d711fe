"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { saveHuntAction, startHuntAction } from "@/lib/actions/hunt-actions";
import type { QueryProblem } from "@/lib/data/hunts";
import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";

export interface HuntFormValues {
  query: string;
  from: string;
  to: string;
  host: string;
}

/** The time range and host inputs under the query. */
const RANGE_FIELDS: { name: "from" | "to" | "host"; label: string; className: string; placeholder?: string }[] = [
  { name: "from", label: "From (UTC)", className: "w-56 font-mono" },
  { name: "to", label: "To (UTC)", className: "w-56 font-mono" },
  { name: "host", label: "Host (optional)", className: "w-48", placeholder: "any host" },
];

/** The hunt actions' Failure carries a query that does not parse as its details (HuntQueryError). */
const problemOf = (details: unknown) => (details ?? null) as QueryProblem | null;

/** The query's line with a caret under the column of the problem (positions from the parser). */
function ProblemCaret({ query, problem }: { query: string; problem: QueryProblem }) {
  if (problem.line === null || problem.column === null) return null;
  const line = query.split("\n")[problem.line - 1] ?? "";
  return (
    <pre data-testid="hunt-error-caret" className="mt-1 overflow-x-auto rounded bg-red-100 p-2 font-mono text-xs">
      {line}
      {"\n"}
      {" ".repeat(Math.max(0, problem.column - 1))}^
    </pre>
  );
}

export function HuntForm({
  initial,
  ranges,
  alertId,
}: {
  initial: HuntFormValues;
  ranges: { label: string; from: string; to: string }[];
  /** the alert a "hunt on this host" came from: kept so hits can be pinned to it */
  alertId: string;
}) {
  const router = useRouter();
  const [values, setValues] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const [problem, setProblem] = useState<QueryProblem | null>(null);
  const [saveName, setSaveName] = useState("");
  const [shared, setShared] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const set = (k: keyof HuntFormValues) => (e: { target: { value: string } }) =>
    setValues((v) => ({ ...v, [k]: e.target.value }));

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    setProblem(null);
    startTransition(async () => {
      const result = await startHuntAction(values);
      if (!result.ok) {
        setError(result.error.message);
        setProblem(problemOf(result.error.details));
        return;
      }
      const params = new URLSearchParams({ run: result.id, q: values.query, from: values.from, to: values.to });
      if (values.host) params.set("host", values.host);
      if (alertId) params.set("alert", alertId);
      router.push(`/hunt?${params.toString()}`);
    });
  };

  const save = () => {
    setSaved(null);
    setError(null);
    startTransition(async () => {
      const result = await saveHuntAction({ name: saveName, query: values.query, shared });
      if (!result.ok) {
        setError(result.error.message);
        setProblem(problemOf(result.error.details));
        return;
      }
      setSaved(`Saved as “${saveName}”${shared ? " (shared)" : ""}`);
      router.refresh();
    });
  };

  return (
    <form onSubmit={submit} className="space-y-3 rounded-lg border border-slate-200 bg-white p-4" aria-label="Hunt">
      <label className="block text-sm font-medium">
        EQL query
        <textarea
          name="query"
          value={values.query}
          onChange={set("query")}
          rows={4}
          spellCheck={false}
          className="mt-1 block w-full rounded border border-slate-300 p-2 font-mono text-sm"
          placeholder={'process where process.parent.name == "WmiPrvSE.exe"'}
        />
      </label>
      <div className="flex flex-wrap items-end gap-3 text-sm">
        {RANGE_FIELDS.map((f) => (
          <label key={f.name} className="flex flex-col">
            {f.label}
            <input
              name={f.name}
              value={values[f.name]}
              onChange={set(f.name)}
              placeholder={f.placeholder}
              className={`mt-1 rounded border border-slate-300 px-2 py-1 ${f.className}`}
            />
          </label>
        ))}
        <div className="flex gap-1">
          {ranges.map((r) => (
            <Button
              key={r.label}
              type="button"
              onClick={() => setValues((v) => ({ ...v, from: r.from, to: r.to }))}
              size="sm"
            >
              {r.label}
            </Button>
          ))}
        </div>
        <Button type="submit" disabled={pending} variant="primary" className="ml-auto">
          Hunt
        </Button>
      </div>
      {error && (
        <div role="alert" className="rounded border border-red-200 bg-red-50 p-2 text-sm text-red-800">
          {error}
          {problem && <ProblemCaret query={values.query} problem={problem} />}
        </div>
      )}
      <div className="flex flex-wrap items-center gap-2 border-t border-slate-100 pt-3 text-sm">
        <input
          aria-label="Saved query name"
          value={saveName}
          onChange={(e) => setSaveName(e.target.value)}
          placeholder="name this query"
          className={`w-56 ${inputClass}`}
        />
        <label className="flex items-center gap-1">
          <input type="checkbox" checked={shared} onChange={(e) => setShared(e.target.checked)} /> shared with every
          hunter
        </label>
        <Button type="button" onClick={save} disabled={pending}>
          Save query
        </Button>
        {saved && <span className="text-emerald-700">{saved}</span>}
      </div>
    </form>
  );
}
