import type { BadgeTone } from "@/components/ui/badge";
import type { AlertStatus, CloseReason } from "@/lib/data/alert-status";
import { ALERT_STATUS_LABELS, VERDICT_LABELS } from "@/lib/format/labels";

/** Display words for the workflow values (Kibana's), from the one labels module. */
export const STATUS_LABELS = ALERT_STATUS_LABELS as Record<AlertStatus, string>;
export const CLOSE_REASON_LABELS = VERDICT_LABELS as Record<CloseReason, string>;

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
