"use client";

import { useState } from "react";
import { formatDurationMs, formatUtc } from "@/components/rule/format";
import type { RuleRunView } from "@/lib/data/rule-runs";
import { runKindLabel, runStatusLabel } from "@/lib/format/labels";

function RunCells({ r, kind }: { r: RuleRunView; kind: React.ReactNode }) {
  return (
    <>
      <td className="px-3 py-2">{kind}</td>
      <td className="px-3 py-2 whitespace-nowrap">
        {formatUtc(r.windowStart)}
        <br />→ {formatUtc(r.windowEnd)}
      </td>
      <td className="px-3 py-2 whitespace-nowrap">{formatUtc(r.startedAt)}</td>
      <td className="px-3 py-2 whitespace-nowrap">{formatDurationMs(r.durationMs)}</td>
      <td className={`px-3 py-2 ${r.status === "failed" ? "font-medium text-red-700" : ""}`} title={r.status}>
        {runStatusLabel(r.status)}
      </td>
      <td className="px-3 py-2 text-right tabular-nums">{r.eventsScanned}</td>
      <td className="px-3 py-2 text-right tabular-nums">{r.matches}</td>
      <td className="px-3 py-2 text-right tabular-nums">
        {r.alertsCreated}
        {r.alreadyAlerted > 0 && (
          <div className="text-xs whitespace-nowrap text-slate-600" data-testid="already-alerted">
            already alerted {r.alreadyAlerted}
          </div>
        )}
      </td>
      <td className="px-3 py-2 text-right tabular-nums">{r.suppressed}</td>
      <td className="max-w-md px-3 py-2">
        {r.warnings.map((w) => (
          <p key={w} className="text-amber-800">
            ⚠ {w}
          </p>
        ))}
        {r.error && <p className="literal text-red-700">{r.error}</p>}
      </td>
    </>
  );
}

const rowClass = (r: RuleRunView) => `border-t border-slate-100 align-top ${r.status === "failed" ? "bg-red-50" : ""}`;

/** One run; a backfill is one row whose windows unfold below it. */
export function RunRow({ r }: { r: RuleRunView }) {
  const [open, setOpen] = useState(false);
  const n = r.windows?.length ?? 0;
  return (
    <>
      <tr data-testid="run-row" data-kind={r.kind} data-status={r.status} className={rowClass(r)}>
        <RunCells
          r={r}
          kind={
            <>
              {runKindLabel(r.kind)}
              {r.requestedBy && <div className="text-xs text-slate-600">{r.requestedBy}</div>}
              {r.windows && (
                <button
                  type="button"
                  aria-expanded={open}
                  onClick={() => setOpen((o) => !o)}
                  className="focus-ring mt-1 rounded text-xs whitespace-nowrap text-blue-700 underline"
                >
                  {open ? "▾" : "▸"} {n} window{n === 1 ? "" : "s"}
                </button>
              )}
            </>
          }
        />
      </tr>
      {open &&
        r.windows?.map((w, i) => (
          <tr key={w.id} data-testid="backfill-window" data-status={w.status} className={`${rowClass(w)} bg-slate-50`}>
            <RunCells r={w} kind={<span className="pl-3 text-xs text-slate-600">window {n - i}</span>} />
          </tr>
        ))}
    </>
  );
}
