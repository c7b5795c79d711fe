/** UTC timestamps as the rule page shows them: "2024-05-01 10:00:00". */
export function formatUtc(value: Date | string | null): string {
  if (!value) return "—";
  const date = typeof value === "string" ? new Date(value) : value;
  return `${date.toISOString().replace("T", " ").slice(0, 19)}`;
}

export { formatElapsed as formatDurationMs } from "@/lib/format/duration";
