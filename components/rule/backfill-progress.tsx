"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { formatUtc } from "@/components/rule/format";

export interface BackfillItem {
  id: string;
  rangeStart: string;
  rangeEnd: string;
  capped: boolean;
  status: string;
  windowsTotal: number;
  windowsDone: number;
  alertsCreated: number;
  error: string | null;
  requestedBy: string | null;
  createdAt: string;
  finishedAt: string | null;
}

const POLL_MS = 2000;

/** Recent backfills with their progress; re-renders the page every 2 s while one is queued or running. */
export function BackfillProgress({ backfills }: { backfills: BackfillItem[] }) {
  const router = useRouter();
  const active = backfills.some((b) => b.status === "queued" || b.status === "running");
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => router.refresh(), POLL_MS);
    return () => clearInterval(timer);
  }, [active, router]);

  if (backfills.length === 0) return <p className="text-sm text-slate-600">No backfills yet.</p>;
  return (
    <ul className="space-y-2">
      {backfills.map((b) => {
        const percent = b.windowsTotal === 0 ? 100 : Math.floor((b.windowsDone / b.windowsTotal) * 100);
        const failed = b.status === "failed";
        return (
          <li
            key={b.id}
            data-testid="backfill"
            data-status={b.status}
            className="space-y-1 rounded-lg border border-slate-200 bg-white p-3 text-sm"
          >
            <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
              <span className="font-medium">
                {formatUtc(b.rangeStart)} → {formatUtc(b.rangeEnd)} UTC
              </span>
              <span
                className={`rounded px-1.5 py-0.5 text-xs ${failed ? "bg-red-100 text-red-800" : b.status === "succeeded" ? "bg-emerald-100 text-emerald-800" : "bg-sky-100 text-sky-800"}`}
              >
                {b.status}
              </span>
              <span className="text-slate-600">{b.capped ? "capped per window" : "uncapped"}</span>
              <span className="ml-auto text-slate-600">
                {b.requestedBy ?? "—"}, {formatUtc(b.createdAt)}
              </span>
            </div>
            <div
              role="progressbar"
              aria-label="Backfill progress"
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={percent}
              className="h-2 overflow-hidden rounded bg-slate-100"
            >
              <div className={`h-full ${failed ? "bg-red-500" : "bg-emerald-600"}`} style={{ width: `${percent}%` }} />
            </div>
            <p className="text-slate-600">
              <span data-testid="backfill-percent">{percent} %</span> · {b.windowsDone}/{b.windowsTotal} windows ·{" "}
              {b.alertsCreated} alerts created
            </p>
            {b.error && <p className="literal text-red-700">{b.error}</p>}
          </li>
        );
      })}
    </ul>
  );
}
