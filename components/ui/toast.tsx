"use client";

import { useEffect, type ReactNode } from "react";

export type ToastTone = "ok" | "error";

/**
 * The result of an action, announced (role=status) and shown where the action was taken; an ok
 * message goes away after `timeoutMs` when one is given, an error stays until dismissed.
 */
export function Toast({
  tone,
  children,
  onDismiss,
  timeoutMs,
}: {
  tone: ToastTone;
  children: ReactNode;
  onDismiss?: () => void;
  timeoutMs?: number;
}) {
  useEffect(() => {
    if (tone !== "ok" || !onDismiss || !timeoutMs) return;
    const t = setTimeout(onDismiss, timeoutMs);
    return () => clearTimeout(t);
  }, [tone, onDismiss, timeoutMs]);
  return (
    <div
      role="status"
      className={`flex items-start gap-3 rounded border px-3 py-2 text-sm ${tone === "ok" ? "border-emerald-300 bg-emerald-50 text-emerald-900" : "border-amber-300 bg-amber-50 text-amber-900"}`}
    >
      <div className="min-w-0 flex-1">{children}</div>
      {onDismiss && (
        <button
          type="button"
          onClick={onDismiss}
          className="focus-ring rounded px-1 text-xs underline"
          aria-label="Dismiss"
        >
          Dismiss
        </button>
      )}
    </div>
  );
}
