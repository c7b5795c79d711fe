"use client";

import { useMemo, useState } from "react";
import { listAlertFieldsAction } from "@/lib/actions/alert-field-actions";
import type { AlertField } from "@/lib/data/alert-field-browser";
import { formatCount } from "@/lib/format/count";
import { MAX_FIELD_COLUMNS, matchesFieldSearch } from "@/lib/preferences/field-columns";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { inputClass } from "@/components/ui/field";

const SHOWN = 300;

/**
 * Kibana's field browser for the alerts table: the ECS fields present in the newest alerts'
 * events (read when it opens), a search, and a box per field that adds it as a column or takes
 * it away. The parent saves the choice.
 */
export function FieldBrowser({ chosen, onToggle }: { chosen: readonly string[]; onToggle: (path: string) => void }) {
  const [open, setOpen] = useState(false);
  const [list, setList] = useState<{ fields: AlertField[]; sampled: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [query, setQuery] = useState("");

  const show = () => {
    setOpen(true);
    setError(null);
    void listAlertFieldsAction().then((r) => {
      if (r.ok) setList({ fields: r.fields, sampled: r.sampled });
      else setError(r.error.message);
    });
  };

  const matches = useMemo(() => {
    const present = list?.fields ?? [];
    // a chosen field the sample no longer has stays listed, so it can be taken away
    const missing = chosen.filter((c) => !present.some((f) => f.path === c)).map((path) => ({ path, count: 0 }));
    return [...missing, ...present].filter((f) => matchesFieldSearch(f.path, query));
  }, [list, chosen, query]);
  const full = chosen.length >= MAX_FIELD_COLUMNS;

  return (
    <>
      <Button size="sm" onClick={show} aria-haspopup="dialog">
        Fields{chosen.length > 0 ? ` (${chosen.length})` : ""}
      </Button>
      {open && (
        <Dialog title="Fields" onClose={() => setOpen(false)} className="w-[36rem]">
          <label className="flex flex-col gap-1 text-sm">
            <span className="font-medium text-slate-700">Search fields</span>
            <input
              type="search"
              className={inputClass}
              value={query}
              placeholder="process.executable"
              onChange={(e) => setQuery(e.target.value)}
              autoFocus
            />
          </label>
          <p className="mt-2 text-xs text-slate-600" aria-live="polite">
            {error
              ? error
              : list
                ? `${formatCount(matches.length)} field(s) · from the events of the newest ${formatCount(list.sampled)} alert(s)` +
                  (full ? ` · at most ${MAX_FIELD_COLUMNS} field columns` : "")
                : "Loading fields…"}
          </p>
          <ul className="mt-2 max-h-[50vh] space-y-0.5 overflow-auto" aria-label="Fields">
            {matches.slice(0, SHOWN).map((f) => {
              const on = chosen.includes(f.path);
              return (
                <li key={f.path}>
                  <label className="flex items-center gap-2 rounded px-1 py-0.5 text-sm hover:bg-slate-100">
                    <input type="checkbox" checked={on} disabled={!on && full} onChange={() => onToggle(f.path)} />
                    <span className="literal-id flex-1 font-mono text-xs">{f.path}</span>
                    <span className="text-xs text-slate-600" title="events in the sample with a value">
                      {formatCount(f.count)}
                    </span>
                  </label>
                </li>
              );
            })}
          </ul>
          {matches.length > SHOWN && (
            <p className="mt-1 text-xs text-slate-600">
              The first {SHOWN} are shown: narrow the search to see the others.
            </p>
          )}
          <div className="mt-3 flex justify-end">
            <Button onClick={() => setOpen(false)}>Done</Button>
          </div>
        </Dialog>
      )}
    </>
  );
}
