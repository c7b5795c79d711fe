"use client";

import { useEffect, useRef, useState } from "react";
import type { LiveState } from "@/lib/data/live";

/** How often a visible page asks what changed (a hidden tab does not ask). */
export const LIVE_POLL_MS = 4000;

/**
 * Polls /api/live with the ETag of the last answer (304 while nothing changed). `since`: count
 * alerts raised after it; `alertId`: follow that alert's version. Null until the first answer.
 */
export function useLive({ since, alertId }: { since?: string | null; alertId?: string | null }): LiveState | null {
  const [state, setState] = useState<LiveState | null>(null);
  const etag = useRef<string | null>(null);
  useEffect(() => {
    etag.current = null;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const params = new URLSearchParams();
    if (since) params.set("since", since);
    if (alertId) params.set("alert", alertId);
    const poll = async () => {
      if (!document.hidden) {
        try {
          const res = await fetch(`/api/live?${params}`, {
            headers: etag.current ? { "If-None-Match": etag.current } : {},
            cache: "no-store",
          });
          if (res.status === 200) {
            etag.current = res.headers.get("etag");
            const next = (await res.json()) as LiveState;
            if (!stopped) setState(next);
          }
        } catch {
          // offline or restarting: the next poll tries again
        }
      }
      if (!stopped) timer = setTimeout(poll, LIVE_POLL_MS);
    };
    timer = setTimeout(poll, LIVE_POLL_MS);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [since, alertId]);
  return state;
}
