"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect } from "react";

/** Previous / next open or acknowledged alert by event time; `[` and `]` move too. */
export function AlertNav({ prevId, nextId }: { prevId: string | null; nextId: string | null }) {
  const router = useRouter();
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      const target = e.target as HTMLElement | null;
      if (e.metaKey || e.ctrlKey || e.altKey || target?.closest("input, textarea, select, [contenteditable=true]"))
        return;
      if (e.key === "[" && prevId) router.push(`/alerts/${prevId}`);
      if (e.key === "]" && nextId) router.push(`/alerts/${nextId}`);
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [prevId, nextId, router]);
  const cls = "rounded border border-slate-300 bg-white px-3 py-1 text-sm hover:bg-slate-100";
  return (
    <nav aria-label="Alert navigation" className="flex items-center gap-2 text-sm">
      <Link href="/alerts" className="text-blue-700 hover:underline">
        ← All alerts
      </Link>
      {prevId ? (
        <Link href={`/alerts/${prevId}`} className={cls} title="Previous alert ( [ )">
          ‹ Previous
        </Link>
      ) : (
        <span className={`${cls} opacity-40`}>‹ Previous</span>
      )}
      {nextId ? (
        <Link href={`/alerts/${nextId}`} className={cls} title="Next alert ( ] )">
          Next ›
        </Link>
      ) : (
        <span className={`${cls} opacity-40`}>Next ›</span>
      )}
    </nav>
  );
}
