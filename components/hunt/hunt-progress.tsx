"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState, useTransition } from "react";
import { cancelHuntAction } from "@/lib/actions/hunt-actions";

const ACTIVE = new Set(["queued", "running", "cancelling"]);

/** While the worker runs the hunt: its progress (re-read every second) and a cancel button. */
export function HuntProgress({
  runId,
  status,
  scanned,
  hits,
}: {
  runId: string;
  status: string;
  scanned: number;
  hits: number;
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const active = ACTIVE.has(status);
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => router.refresh(), 1000);
    return () => clearInterval(timer);
  }, [active, router]);
  if (!active) return null;
  return (
    <div
      role="status"
      className="flex items-center gap-3 rounded border border-sky-200 bg-sky-50 p-3 text-sm text-sky-900"
    >
      <span className="inline-block h-3 w-3 animate-pulse rounded-full bg-sky-500" aria-hidden />
      <span data-testid="hunt-status">
        {status === "queued" ? "Queued for the worker…" : status === "cancelling" ? "Cancelling…" : "Running…"}{" "}
        {scanned} events checked, {hits} hits so far
      </span>
      <button
        type="button"
        disabled={pending || status === "cancelling"}
        onClick={() =>
          startTransition(async () => {
            const r = await cancelHuntAction(runId);
            if (!r.ok) setError(r.error.message);
            router.refresh();
          })
        }
        className="ml-auto rounded border border-sky-300 bg-white px-3 py-1 hover:bg-sky-100 disabled:opacity-50"
      >
        Cancel
      </button>
      {error && <span className="text-red-700">{error}</span>}
    </div>
  );
}
