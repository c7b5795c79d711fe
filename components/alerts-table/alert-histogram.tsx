"use client";

import { useState } from "react";
import type { HistogramBucket } from "@/lib/data/alert-list";
import { formatTime as formatIn } from "@/lib/format/time";
import { usePreferences } from "@/components/ui/preferences-context";
import { useAlertsUrl } from "./use-alerts-url";

/** Alerts over time; click a bar or drag across bars to set the time range. */
export function AlertHistogram({
  buckets,
  unit,
  older = 0,
  oldest = null,
}: {
  buckets: HistogramBucket[];
  unit: string;
  older?: number;
  oldest?: string | null;
}) {
  const { update, params } = useAlertsUrl();
  const { timeZone } = usePreferences();
  const formatTime = (at: string) => formatIn(at, timeZone);
  const [drag, setDrag] = useState<{ from: number; to: number } | null>(null);
  if (buckets.length === 0)
    return (
      <div className="flex h-24 items-center justify-center rounded-lg border border-slate-200 bg-white text-sm text-slate-600">
        No alerts in this range.
      </div>
    );
  const max = Math.max(1, ...buckets.map((b) => b.count));
  const lo = drag ? Math.min(drag.from, drag.to) : -1;
  const hi = drag ? Math.max(drag.from, drag.to) : -1;

  const finish = () => {
    if (!drag) return;
    update({ from: buckets[lo].start, to: buckets[hi].end });
    setDrag(null);
  };

  return (
    <section className="rounded-lg border border-slate-200 bg-white p-3" aria-label="Alerts over time">
      <div className="mb-1 flex items-center justify-between text-xs text-slate-600">
        <span>
          Alerts per {unit} ({timeZone}) · {formatTime(buckets[0].start)} –{" "}
          {formatTime(buckets[buckets.length - 1].end)}
        </span>
        {older > 0 && oldest && (
          <button
            type="button"
            data-testid="histogram-older"
            className="focus-ring rounded text-blue-700 hover:underline"
            onClick={() => update({ from: oldest })}
          >
            {older} older alert(s) before this range · show all time
          </button>
        )}
        {(params.get("from") || params.get("to")) && (
          <button
            type="button"
            className="focus-ring rounded text-blue-700 hover:underline"
            onClick={() => update({ from: null, to: null })}
          >
            Clear time range
          </button>
        )}
      </div>
      <div
        className="flex h-20 select-none items-end gap-px"
        onMouseLeave={() => setDrag(null)}
        onMouseUp={finish}
        data-testid="histogram"
      >
        {buckets.map((b, i) => (
          <button
            key={b.start}
            type="button"
            title={`${formatTime(b.start)} – ${formatTime(b.end)}: ${b.count} alert(s)`}
            aria-label={`${b.count} alerts from ${formatTime(b.start)}`}
            className="group focus-ring flex h-full min-w-0 flex-1 items-end"
            onMouseDown={(e) => {
              e.preventDefault();
              setDrag({ from: i, to: i });
            }}
            onMouseEnter={() => drag && setDrag({ ...drag, to: i })}
            onKeyDown={(e) => {
              if (e.key === "Enter" || e.key === " ") update({ from: b.start, to: b.end });
            }}
          >
            <span
              className={`block w-full rounded-t-sm ${i >= lo && i <= hi ? "bg-blue-600" : b.count ? "bg-slate-500 group-hover:bg-blue-500" : "bg-slate-100"}`}
              style={{ height: `${b.count ? Math.max(6, (b.count / max) * 100) : 3}%` }}
            />
          </button>
        ))}
      </div>
    </section>
  );
}
