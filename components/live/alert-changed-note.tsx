"use client";

import { useRouter } from "next/navigation";
import { formatTime } from "@/lib/format/time";
import { Button } from "@/components/ui/button";
import { usePreferences } from "@/components/ui/preferences-context";
import { useLive } from "./use-live";

/**
 * On an alert page: a note when someone else changed the alert after this page got its version
 * (the page's own writes raise its version first, so they never show here).
 */
export function AlertChangedNote({ alertId, version }: { alertId: string; version: number }) {
  const router = useRouter();
  const { timeZone } = usePreferences();
  const live = useLive({ alertId });
  const alert = live?.alert;
  if (!alert || alert.version <= version) return null;
  return (
    <div
      role="status"
      data-testid="alert-changed-note"
      className="mb-3 flex flex-wrap items-center gap-3 rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900"
    >
      <span>
        {alert.changedByMe
          ? "You changed this alert in another tab"
          : `${alert.changedBy ?? "Someone"} changed this alert`}
        {alert.at ? ` at ${formatTime(alert.at, timeZone)}` : ""}. What you see may be out of date.
      </span>
      <Button size="sm" onClick={() => router.refresh()}>
        Reload
      </Button>
    </div>
  );
}
