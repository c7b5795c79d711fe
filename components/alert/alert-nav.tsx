"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect } from "react";
import type { AlertNeighbours } from "@/lib/data/alert-list";

/** An alert's address that keeps the list it was opened from. */
export function alertHref(id: string, list: string | null): string {
  return list === null ? `/alerts/${id}` : `/alerts/${id}?list=${encodeURIComponent(list)}`;
}

/**
 * Previous / next in the list the alert was opened from (carried in the URL as `list`), in the
 * direction of the list's `k` / `j`; `[` and `]` move too. "All alerts" goes back to that list.
 */
export function AlertNav({ nav }: { nav: AlertNeighbours }) {
  const router = useRouter();
  const prev = nav.prevId ? alertHref(nav.prevId, nav.list) : null;
  const next = nav.nextId ? alertHref(nav.nextId, nav.list) : null;
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      const target = e.target as HTMLElement | null;
      if (e.metaKey || e.ctrlKey || e.altKey || target?.closest("input, textarea, select, [contenteditable=true]"))
        return;
      if (e.key === "[" && prev) router.push(prev);
      if (e.key === "]" && next) router.push(next);
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [prev, next, router]);
  const cls = "rounded border border-slate-300 bg-white px-3 py-1 text-sm hover:bg-slate-100";
  return (
    <nav aria-label="Alert navigation" className="flex items-center gap-2 text-sm">
      <Link href={nav.listHref} className="text-blue-700 hover:underline">
        ← All alerts
      </Link>
      {prev ? (
        <Link href={prev} className={cls} title="Previous alert ( [ )">
          ‹ Previous
        </Link>
      ) : (
        <span className={`${cls} border-dashed text-slate-600`} aria-disabled="true">
          ‹ Previous
        </span>
      )}
      {next ? (
        <Link href={next} className={cls} title="Next alert ( ] )">
          Next ›
        </Link>
      ) : (
        <span className={`${cls} border-dashed text-slate-600`} aria-disabled="true">
          Next ›
        </span>
      )}
      {nav.position > 0 && (
        <span className="text-slate-600" data-testid="alert-position">
          {nav.position} of {nav.total}
        </span>
      )}
    </nav>
  );
}
