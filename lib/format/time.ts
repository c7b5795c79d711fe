/**
 * How the app writes a moment, everywhere (pages, messages, errors): `2026-12-03 08:09:48Z`.
 * Pure, so data-layer messages and components share it.
 */
export function formatTime(value: Date | string | null | undefined): string {
  if (!value) return "—";
  const d = typeof value === "string" ? new Date(value) : value;
  return Number.isNaN(d.getTime())
    ? String(value)
    : d
        .toISOString()
        .replace("T", " ")
        .replace(/\.\d{3}Z$/, "Z");
}
