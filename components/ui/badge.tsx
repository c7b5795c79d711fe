import type { ReactNode } from "react";

/** Small labels: status, severity, role, counts. Tones keep ≥4.5:1 in the light and the dark palette. */
export type BadgeTone = "neutral" | "info" | "success" | "warning" | "danger" | "severe";

export const BADGE_TONES: Record<BadgeTone, string> = {
  neutral: "bg-slate-200 text-slate-800",
  info: "bg-sky-100 text-sky-900",
  success: "bg-emerald-100 text-emerald-900",
  warning: "bg-amber-100 text-amber-900",
  danger: "bg-red-100 text-red-900",
  severe: "bg-orange-100 text-orange-900",
};

export function Badge({
  tone = "neutral",
  className = "",
  title,
  children,
  ...rest
}: {
  tone?: BadgeTone;
  className?: string;
  title?: string;
  children: ReactNode;
  "data-testid"?: string;
}) {
  return (
    <span
      title={title}
      className={`inline-flex items-center rounded px-1.5 py-0.5 text-xs font-medium whitespace-nowrap ${BADGE_TONES[tone]} ${className}`}
      {...rest}
    >
      {children}
    </span>
  );
}
