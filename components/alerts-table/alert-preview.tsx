"use client";

import Link from "next/link";
import { useEffect, useState } from "react";
import { getAlertPreviewAction, type AlertPreview } from "@/lib/actions/alert-preview-actions";
import { AlertVersionProvider } from "@/components/alert/alert-version";
import { StatusControls } from "@/components/alert/status-controls";
import { VerdictForm } from "@/components/alert/verdict-form";
import { Badge } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { Time } from "@/components/ui/time";
import { TruncatedText } from "@/components/ui/truncated-text";
import { SEVERITY_TONES, STATUS_LABELS, STATUS_TONES } from "./alert-labels";
import type { AlertStatus } from "@/lib/data/alert-status";

/**
 * The alert beside the list (Kibana's flyout): summary, why it matched, the subscription's state
 * and the verdict controls, without leaving the list. `version` is the row's: when the list
 * reloads after a change, the preview reloads too.
 */
export function AlertPreviewPanel({
  alertId,
  version,
  href,
  currentUserId,
  onClose,
}: {
  alertId: string;
  version: number;
  href: string;
  currentUserId: string;
  onClose: () => void;
}) {
  const [result, setResult] = useState<{ id: string; preview: AlertPreview | null; error: string | null } | null>(null);
  useEffect(() => {
    let current = true;
    void getAlertPreviewAction(alertId).then((r) => {
      if (current)
        setResult(
          r.ok
            ? { id: alertId, preview: r.preview, error: null }
            : { id: alertId, preview: null, error: r.error.message },
        );
    });
    return () => {
      current = false;
    };
  }, [alertId, version]);
  const p = result?.id === alertId ? result.preview : null;
  return (
    <aside
      aria-label="Alert preview"
      data-testid="alert-preview"
      className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 text-sm lg:sticky lg:top-4 lg:max-h-[calc(100vh-2rem)] lg:overflow-y-auto"
    >
      <div className="flex items-center gap-2">
        <h2 className="font-semibold">Alert preview</h2>
        <ButtonLink size="sm" href={href} className="ml-auto">
          Open full page
        </ButtonLink>
        <button
          type="button"
          onClick={onClose}
          className="focus-ring rounded px-1 text-slate-600 hover:text-slate-900"
          aria-label="Close preview"
        >
          ✕
        </button>
      </div>
      {result?.error && (
        <p role="alert" className="text-red-700">
          {result.error}
        </p>
      )}
      {!p && !result?.error && (
        <p className="text-slate-600" aria-busy="true">
          Loading…
        </p>
      )}
      {p && (
        <AlertVersionProvider
          key={`${p.alert.id}:${p.alert.version}`}
          alertId={p.alert.id}
          version={p.alert.version}
          seen={{ status: p.alert.status as AlertStatus, assigneeId: p.alert.assigneeId }}
        >
          <div className="flex flex-wrap items-center gap-2">
            <Badge tone={SEVERITY_TONES[p.alert.severity] ?? "neutral"}>{p.alert.severity}</Badge>
            <span className="text-slate-600">risk {p.alert.riskScore}</span>
            <Badge tone={STATUS_TONES[p.alert.status as AlertStatus] ?? "neutral"} data-testid="preview-status">
              {STATUS_LABELS[p.alert.status as AlertStatus] ?? p.alert.status}
            </Badge>
            <Time value={p.alert.eventTimestamp} relative className="text-slate-700" />
          </div>
          <dl className="grid grid-cols-[6rem_minmax(0,1fr)] gap-x-2 gap-y-1">
            <dt className="text-slate-600">Host</dt>
            <dd>
              <TruncatedText value={p.alert.hostName} label="host name" />
            </dd>
            <dt className="text-slate-600">User</dt>
            <dd>
              <TruncatedText value={p.alert.userName} label="user name" />
            </dd>
            <dt className="text-slate-600">Consumer</dt>
            <dd>
              <TruncatedText value={p.alert.consumerName} label="consumer name" />{" "}
              <span className="text-slate-600">{p.alert.consumerType}</span>
            </dd>
            <dt className="text-slate-600">Command</dt>
            <dd className="literal max-h-32 overflow-y-auto rounded bg-slate-100 p-1 text-xs">
              {p.alert.command ?? "—"}
            </dd>
          </dl>
          <section aria-label="Why it matched">
            <h3 className="mb-1 font-medium">Why it matched</h3>
            {p.branch && <p className="literal mb-1 text-xs text-slate-700">{p.branch}</p>}
            <ul className="space-y-0.5 text-xs">
              {p.trace.map((t, i) => (
                <li key={i} className="flex gap-2">
                  <span aria-hidden className={t.held ? "text-emerald-700" : "text-red-700"}>
                    {t.held ? "✓" : "✗"}
                  </span>
                  <span className="literal min-w-0">
                    {t.text}
                    {t.values.length > 0 && (
                      <span className="text-slate-600"> = {t.values.join(", ").slice(0, 200)}</span>
                    )}
                  </span>
                </li>
              ))}
            </ul>
          </section>
          <section aria-label="Subscription">
            <h3 className="mb-1 font-medium">Subscription</h3>
            <p data-testid="preview-subscription" className="text-slate-700">
              {p.subscriptionState}
            </p>
          </section>
          <section aria-label="Status and verdict" className="space-y-2 border-t border-slate-200 pt-3">
            <StatusControls
              status={p.alert.status}
              assigneeId={p.alert.assigneeId}
              assigneeName={p.alert.assigneeName}
              currentUserId={currentUserId}
              assignees={p.assignees}
              canTriage={p.permissions.triage}
              canAssign={p.permissions.assign}
            />
            {p.alert.status !== "closed" && p.permissions.triage && (
              <VerdictForm missingMandatory={p.missingMandatory} />
            )}
          </section>
        </AlertVersionProvider>
      )}
      {p && (
        <p className="text-xs text-slate-600">
          <Link href={href} className="focus-ring text-blue-700 underline">
            Full page
          </Link>{" "}
          for the timeline, the guide&apos;s steps and the response scripts.
        </p>
      )}
    </aside>
  );
}
