import type { AlertStatus, CloseReason } from "@/lib/data/alert-status";

/** Display words for the workflow values (Kibana's). Type-only import: safe in client code. */
export const STATUS_LABELS: Record<AlertStatus, string> = {
  open: "Open",
  acknowledged: "Acknowledged",
  closed: "Closed",
};

export const CLOSE_REASON_LABELS: Record<CloseReason, string> = {
  false_positive: "False positive",
  duplicate: "Duplicate",
  true_positive: "True positive",
  benign_positive: "Benign positive",
  other: "Other",
};

export const STATUS_STYLES: Record<AlertStatus, string> = {
  open: "bg-amber-100 text-amber-900",
  acknowledged: "bg-sky-100 text-sky-900",
  closed: "bg-slate-200 text-slate-700",
};

export const SEVERITY_STYLES: Record<string, string> = {
  low: "bg-slate-100 text-slate-700",
  medium: "bg-yellow-100 text-yellow-900",
  high: "bg-orange-100 text-orange-900",
  critical: "bg-red-100 text-red-900",
};

export function formatTime(iso: string): string {
  return iso.replace("T", " ").slice(0, 19);
}
