"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { formatCount } from "@/lib/format/count";
import { Button } from "@/components/ui/button";
import { useLive } from "./use-live";

/** "N new alerts" above the table when alerts were raised after the page was rendered; Show reloads the list. */
export function NewAlertsBanner({ renderedAt }: { renderedAt: string }) {
  const router = useRouter();
  const [since, setSince] = useState(renderedAt);
  const [pending, startTransition] = useTransition();
  const live = useLive({ since });
  if (!live || live.newAlerts === 0) return null;
  return (
    <div
      role="status"
      data-testid="new-alerts-banner"
      className="flex items-center gap-3 rounded border border-sky-300 bg-sky-50 px-3 py-2 text-sm text-sky-900"
    >
      <span>{formatCount(live.newAlerts, "new alert")} since this list was loaded</span>
      <Button
        size="sm"
        disabled={pending}
        onClick={() =>
          startTransition(() => {
            setSince(new Date().toISOString());
            router.refresh();
          })
        }
      >
        Show
      </Button>
    </div>
  );
}
