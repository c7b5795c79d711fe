import type { BadgeTone } from "@/components/ui/badge";
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

export const STATUS_TONES: Record<AlertStatus, BadgeTone> = {
  open: "warning",
  acknowledged: "info",
  closed: "neutral",
};

export const SEVERITY_TONES: Record<string, BadgeTone> = {
  low: "neutral",
  medium: "warning",
  high: "severe",
  critical: "danger",
};
