"use client";

import type { AlertStatus } from "@/lib/data/alert-status";
import { AlertChangedNote } from "@/components/live/alert-changed-note";
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";

/**
 * The alert's optimistic-lock version as the page knows it. Every write sends it and gets the
 * next one back; a server re-render brings the newest too. Versions only grow, so the larger wins.
 */
interface AlertVersionState {
  alertId: string;
  version: number;
  /** the status and assignee this page shows: a status change conflicts only if they changed */
  seen: { status: AlertStatus; assigneeId: string | null };
  setVersion: (v: number) => void;
  conflict: string | null;
  setConflict: (message: string | null) => void;
}

const AlertVersionContext = createContext<AlertVersionState | null>(null);

export function AlertVersionProvider({
  alertId,
  version,
  seen,
  children,
}: {
  alertId: string;
  version: number;
  seen: AlertVersionState["seen"];
  children: ReactNode;
}) {
  const [local, setLocal] = useState(version);
  const [conflict, setConflict] = useState<string | null>(null);
  const setVersion = useCallback((v: number) => setLocal((old) => Math.max(old, v)), []);
  const value = useMemo(
    () => ({ alertId, version: Math.max(local, version), seen, setVersion, conflict, setConflict }),
    [alertId, local, version, seen, setVersion, conflict],
  );
  return (
    <AlertVersionContext.Provider value={value}>
      {conflict && <ConflictBanner message={conflict} />}
      {!conflict && <AlertChangedNote alertId={alertId} version={value.version} />}
      {children}
    </AlertVersionContext.Provider>
  );
}

export function useAlertVersion(): AlertVersionState {
  const ctx = useContext(AlertVersionContext);
  if (!ctx) throw new Error("useAlertVersion needs an AlertVersionProvider");
  return ctx;
}

function ConflictBanner({ message }: { message: string }) {
  return (
    <div
      role="alert"
      data-testid="conflict-banner"
      className="sticky top-0 z-20 flex items-center justify-between gap-3 rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900"
    >
      <span>{message}</span>
      <button
        type="button"
        onClick={() => window.location.reload()}
        className="rounded bg-amber-700 px-3 py-1 text-white hover:bg-amber-800"
      >
        Reload
      </button>
    </div>
  );
}
