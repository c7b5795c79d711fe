/**
 * How the app writes a moment, everywhere (pages, messages, errors): `2026-12-03 08:09:48Z` in
 * UTC, `2026-12-03 09:09:48 GMT+1` in a user's chosen zone. Pure, so data-layer messages and
 * components share it.
 */
export function formatTime(value: Date | string | null | undefined, timeZone = "UTC"): string {
  if (!value) return "—";
  const d = typeof value === "string" ? new Date(value) : value;
  if (Number.isNaN(d.getTime())) return String(value);
  if (timeZone === "UTC")
    return d
      .toISOString()
      .replace("T", " ")
      .replace(/\.\d{3}Z$/, "Z");
  return formatInZone(d, timeZone, true);
}

/** The day only (`2026-12-03`), in the zone. */
export function formatDate(value: Date | string | null | undefined, timeZone = "UTC"): string {
  if (!value) return "—";
  const d = typeof value === "string" ? new Date(value) : value;
  if (Number.isNaN(d.getTime())) return String(value);
  return formatInZone(d, timeZone, false);
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatInZone(d: Date, timeZone: string, withTime: boolean): string {
  const key = `${timeZone}|${withTime}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      ...(withTime && {
        hour: "2-digit",
        minute: "2-digit",
        second: "2-digit",
        hourCycle: "h23",
        timeZoneName: "short",
      }),
    });
    formatters.set(key, f);
  }
  const p = Object.fromEntries(f.formatToParts(d).map((x) => [x.type, x.value]));
  const day = `${p.year}-${p.month}-${p.day}`;
  return withTime ? `${day} ${p.hour}:${p.minute}:${p.second} ${p.timeZoneName}` : day;
}

const RELATIVE_STEPS: [number, Intl.RelativeTimeFormatUnit][] = [
  [60, "second"],
  [60, "minute"],
  [24, "hour"],
  [7, "day"],
  [4.35, "week"],
  [12, "month"],
  [Number.POSITIVE_INFINITY, "year"],
];
const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto" });

/** `3 minutes ago`, `in 2 hours`, `yesterday`: for recent moments next to the absolute time. */
export function formatRelative(value: Date | string, now: Date = new Date()): string {
  const d = typeof value === "string" ? new Date(value) : value;
  let amount = (d.getTime() - now.getTime()) / 1000;
  for (const [size, unit] of RELATIVE_STEPS) {
    if (Math.abs(amount) < size) return relative.format(Math.round(amount), unit);
    amount /= size;
  }
  return relative.format(Math.round(amount), "year");
}
