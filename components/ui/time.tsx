"use client";

import { formatDate, formatRelative, formatTime } from "@/lib/format/time";
import { useHydrated } from "@/components/use-hydrated";
import { usePreferences } from "./preferences-context";

/**
 * A moment in the user's chosen time zone; `relative` adds "3 minutes ago" once the page has
 * hydrated (the server's clock and the reader's differ, the absolute time never does). The
 * machine-readable instant is in dateTime, the UTC time in the tooltip.
 */
export function Time({
  value,
  relative = false,
  dateOnly = false,
  className = "",
}: {
  value: Date | string | null | undefined;
  relative?: boolean;
  dateOnly?: boolean;
  className?: string;
}) {
  const { timeZone } = usePreferences();
  const hydrated = useHydrated();
  if (!value) return <span className={className}>—</span>;
  const d = typeof value === "string" ? new Date(value) : value;
  if (Number.isNaN(d.getTime())) return <span className={className}>{String(value)}</span>;
  return (
    <time dateTime={d.toISOString()} title={formatTime(d)} className={`whitespace-nowrap ${className}`}>
      {dateOnly ? formatDate(d, timeZone) : formatTime(d, timeZone)}
      {relative && hydrated && <span className="text-slate-600"> · {formatRelative(d)}</span>}
    </time>
  );
}
