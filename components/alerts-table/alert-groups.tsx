"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { changeAlertGroupAction } from "@/lib/actions/alert-status-actions";
import { alertHref } from "@/components/alert/alert-nav";
import type { AlertGroup, AlertGroupsResult, GroupOperation } from "@/lib/data/alert-groups";
import type { AlertStatus } from "@/lib/data/alert-status";
import { exactFilterValue } from "@/lib/format/filter-value";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Time } from "@/components/ui/time";
import { Toast } from "@/components/ui/toast";
import { TruncatedText } from "@/components/ui/truncated-text";
import { SEVERITY_TONES, STATUS_LABELS, STATUS_TONES } from "./alert-labels";
import type { Viewer } from "./alert-columns";
import { describeChange, type ChangeMessage } from "./change-message";
import { alertsHref } from "./alerts-url";
import { BulkBar } from "./bulk-bar";
import { CloseDialog } from "./close-dialog";
import { useAlertsUrl } from "./use-alerts-url";

const BY_LABEL = { host: "host", consumer: "consumer name", user: "user" } as const;
/** the filter that selects exactly one group's alerts in the table */
const BY_PARAM = { host: "host", consumer: "consumer", user: "user" } as const;

/**
 * The grouped alerts list (Kibana's grouped alerts): one collapsible row per group with its count,
 * highest severity and statuses; opened, its latest alerts, a link to all of them in the table,
 * and actions on every alert of the group at once. Keys are attacker text: shown as literal
 * text, cut with the whole value on demand, never merged with a look-alike.
 */
export function AlertGroups({
  data,
  query,
  viewer,
  users,
}: {
  data: AlertGroupsResult;
  query: string;
  viewer: Viewer;
  users: { id: string; name: string }[];
}) {
  const router = useRouter();
  const { update } = useAlertsUrl();
  const [pending, startTransition] = useTransition();
  const [message, setMessage] = useState<ChangeMessage | null>(null);
  const [closing, setClosing] = useState<AlertGroup | null>(null);
  const run = (group: AlertGroup, op: GroupOperation, verb: string) =>
    startTransition(async () => {
      setClosing(null);
      setMessage(describeChange(await changeAlertGroupAction(query, group.key, group.count, op), verb));
      router.refresh();
    });

  return (
    <section className="space-y-2" aria-label={`Alerts by ${BY_LABEL[data.by]}`}>
      <p className="text-sm text-slate-600" data-testid="group-count">
        {data.groupCount} {BY_LABEL[data.by]} group(s)
      </p>
      {message && (
        <Toast tone={message.kind} onDismiss={() => setMessage(null)}>
          <p>{message.text}</p>
          {message.details && message.details.length > 0 && (
            <ul className="mt-1 list-disc pl-5">
              {message.details.map((d, i) => (
                <li key={i} className="literal">
                  {d}
                </li>
              ))}
            </ul>
          )}
        </Toast>
      )}
      {data.groups.length === 0 && <EmptyState title="No alerts match these filters." />}
      <ul className="space-y-2">
        {data.groups.map((g, i) => (
          <li key={`${i}:${g.key}`} data-testid="alert-group" className="rounded-lg border border-slate-200 bg-white">
            <details>
              <summary className="focus-ring flex cursor-pointer flex-wrap items-center gap-x-3 gap-y-1 px-3 py-2 text-sm">
                <span className="min-w-0 max-w-full truncate font-medium" data-testid="group-key">
                  {g.key === null ? (
                    <span className="text-slate-600">(no {BY_LABEL[data.by]})</span>
                  ) : (
                    <span className="literal-id" title={[...g.key].slice(0, 500).join("")}>
                      {[...g.key].length > 80 ? `${[...g.key].slice(0, 80).join("")}…` : g.key}
                    </span>
                  )}
                </span>
                <Badge data-testid="group-alerts">{g.count} alert(s)</Badge>
                <Badge tone={SEVERITY_TONES[g.severity] ?? "neutral"} title="highest severity in the group">
                  {g.severity}
                </Badge>
                {(Object.keys(g.statusCounts) as AlertStatus[])
                  .filter((s) => g.statusCounts[s] > 0)
                  .map((s) => (
                    <Badge key={s} tone={STATUS_TONES[s]}>
                      {STATUS_LABELS[s]} {g.statusCounts[s]}
                    </Badge>
                  ))}
                <span className="text-xs text-slate-600">
                  {g.assigned}/{g.count} assigned · latest <Time value={g.latest} />
                </span>
              </summary>
              <div className="space-y-2 border-t border-slate-100 px-3 py-2 text-sm">
                {g.key !== null && [...g.key].length > 80 && (
                  <p>
                    <TruncatedText value={g.key} max={80} label={BY_LABEL[data.by]} />
                  </p>
                )}
                {viewer.canTriage && (
                  <BulkBar
                    count={g.count}
                    label={`All ${g.count} alert(s) of this group`}
                    testId="group-bulk-bar"
                    pending={pending}
                    viewer={viewer}
                    users={users}
                    onAcknowledge={() => run(g, { kind: "acknowledge" }, "acknowledged")}
                    onReopen={() => run(g, { kind: "reopen" }, "reopened")}
                    onClose={() => setClosing(g)}
                    onAssign={(id) => run(g, { kind: "assign", assigneeId: id }, id ? "assigned" : "unassigned")}
                  />
                )}
                <ul className="divide-y divide-slate-100">
                  {g.alerts.map((a) => (
                    <li key={a.id} className="flex flex-wrap items-baseline gap-x-3 gap-y-1 py-1">
                      <Link href={alertHref(a.id, query)} className="text-blue-700 hover:underline">
                        <Time value={a.eventTimestamp} />
                      </Link>
                      <Badge tone={SEVERITY_TONES[a.severity] ?? "neutral"}>{a.severity}</Badge>
                      <Badge tone={STATUS_TONES[a.status]}>{STATUS_LABELS[a.status]}</Badge>
                      {data.by !== "host" && <TruncatedText value={a.hostName} max={40} label="host name" />}
                      {data.by !== "consumer" && (
                        <TruncatedText value={a.consumerName} max={40} label="consumer name" />
                      )}
                      <span className="text-xs text-slate-600">{a.assigneeName ?? "unassigned"}</span>
                    </li>
                  ))}
                </ul>
                {g.key !== null && (
                  <Link
                    className="text-blue-700 hover:underline"
                    href={alertsHref(query, { [BY_PARAM[data.by]]: exactFilterValue(g.key), group: null })}
                  >
                    {g.count > g.alerts.length
                      ? `All ${g.count} alerts of this group in the table`
                      : "These alerts in the table"}
                  </Link>
                )}
              </div>
            </details>
          </li>
        ))}
      </ul>
      {data.pageCount > 1 && (
        <nav className="flex items-center gap-3 text-sm" aria-label="Group pages">
          <Button size="sm" disabled={data.page <= 1} onClick={() => update({ gpage: String(data.page - 1) })}>
            Previous
          </Button>
          <span>
            Groups page {data.page} of {data.pageCount}
          </span>
          <Button
            size="sm"
            disabled={data.page >= data.pageCount}
            onClick={() => update({ gpage: String(data.page + 1) })}
          >
            Next
          </Button>
        </nav>
      )}
      {closing && (
        <CloseDialog
          count={closing.count}
          onCancel={() => setClosing(null)}
          onConfirm={(reason, note) =>
            run(closing, { kind: "close", closeReason: reason, verdictNote: note.trim() || undefined }, "closed")
          }
        />
      )}
    </section>
  );
}
