import { formatUtc } from "@/components/rule/format";
import type { HuntPinRow } from "@/lib/data/hunts";

/** Events pinned to this alert as evidence from hunts: when, what, by whom, with the query that found them. */
export function HuntEvidence({ pins }: { pins: HuntPinRow[] }) {
  if (pins.length === 0) return null;
  return (
    <section
      aria-label="Evidence pinned from hunts"
      className="mx-auto mt-4 max-w-7xl space-y-1 rounded-lg border border-slate-200 bg-white p-4"
      data-testid="hunt-evidence"
    >
      <h3 className="font-medium">Evidence pinned from hunts ({pins.length})</h3>
      <ul className="space-y-1 text-xs">
        {pins.map((p) => (
          <li key={p.id} className="border-l-2 border-amber-300 pl-2">
            <span className="font-mono">{formatUtc(p.timestamp)}</span> <span className="literal">{p.summary}</span> —
            by {p.pinnedBy ?? "?"}
            {p.note && (
              <>
                : <span className="literal">{p.note}</span>
              </>
            )}
            <div className="text-slate-600">
              found by <code className="literal">{p.query}</code>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
