"use client";

import { createColumnHelper } from "@tanstack/react-table";
import Link from "next/link";
import type { AlertListRow } from "@/lib/data/alert-list";
import type { CloseReason } from "@/lib/data/alert-status";
import { exactFilterValue } from "@/lib/format/filter-value";
import { formatTime } from "@/lib/format/time";
import { fieldColumnId } from "@/lib/preferences/field-columns";
import { alertHref } from "@/components/alert/alert-nav";
import { Badge } from "@/components/ui/badge";
import { Time } from "@/components/ui/time";
import { TruncatedText } from "@/components/ui/truncated-text";
import type { AlertParamPatch } from "./alerts-url";
import { CLOSE_REASON_LABELS, SEVERITY_TONES, STATUS_LABELS, STATUS_TONES } from "./alert-labels";
import { alertTableFeatures } from "./table-features";

const helper = createColumnHelper<typeof alertTableFeatures, AlertListRow>();

export const COLUMN_LABELS: Record<string, string> = {
  time: "Time",
  severity: "Severity",
  risk: "Risk",
  host: "Host",
  user: "User",
  consumer: "Consumer",
  command: "Command / script",
  status: "Status",
  assignee: "Assignee",
  case: "Case",
};
export const DATA_COLUMNS = Object.keys(COLUMN_LABELS);

export interface Viewer {
  id: string;
  canTriage: boolean;
  canAssign: boolean;
  canWriteCases: boolean;
}

/** The column chooser's names: the table's own columns, and an added ECS field by its path. */
export function columnLabels(fields: readonly string[]): Record<string, string> {
  return { ...COLUMN_LABELS, ...Object.fromEntries(fields.map((f) => [fieldColumnId(f), f])) };
}

/**
 * The alerts table's columns; `update` changes the URL (a host cell filters by its host);
 * `listQuery` is the list the row links carry to the alert page (its Previous/Next); `fields`
 * the ECS fields added in the field browser, each a column of its value in the alert's event
 * (text, cut to one line with the whole value on demand: event fields are attacker text).
 */
export function alertColumns(update: (patch: AlertParamPatch) => void, listQuery: string, fields: readonly string[]) {
  const fieldColumns = fields.map((path) =>
    helper.display({
      id: fieldColumnId(path),
      header: () => <span className="literal-id font-mono text-xs">{path}</span>,
      enableSorting: false,
      cell: ({ row }) => (
        <div className="max-w-72" data-testid="field-cell" data-field={path}>
          {path in row.original.fields ? (
            <TruncatedText value={row.original.fields[path]} max={60} label={path} />
          ) : (
            // just added: its values come with the rows once the choice is saved
            <span className="text-slate-600">…</span>
          )}
        </div>
      ),
    }),
  );
  return helper.columns([
    helper.display({
      id: "select",
      enableSorting: false,
      header: ({ table }) => (
        <input
          type="checkbox"
          aria-label="Select all on this page"
          checked={table.getIsAllRowsSelected()}
          ref={(el) => {
            if (el) el.indeterminate = table.getIsSomeRowsSelected();
          }}
          onChange={table.getToggleAllRowsSelectedHandler()}
        />
      ),
      cell: ({ row }) => (
        <input
          type="checkbox"
          aria-label="Select alert"
          checked={row.getIsSelected()}
          onChange={row.getToggleSelectedHandler()}
          onClick={(e) => e.stopPropagation()}
        />
      ),
    }),
    helper.accessor("eventTimestamp", {
      id: "time",
      header: "Time",
      cell: (c) => (
        <Link href={alertHref(c.row.original.id, listQuery)} className="focus-ring text-blue-700 hover:underline">
          <Time value={c.getValue()} />
        </Link>
      ),
    }),
    helper.accessor("severity", {
      id: "severity",
      header: "Severity",
      cell: (c) => <Badge tone={SEVERITY_TONES[c.getValue()] ?? "neutral"}>{c.getValue()}</Badge>,
    }),
    helper.accessor("riskScore", { id: "risk", header: "Risk" }),
    helper.accessor("hostName", {
      id: "host",
      header: "Host",
      cell: (c) => {
        const host = c.getValue();
        if (!host) return "—";
        // a filter link from attacker text: long names are cut (the URL must stay under header limits)
        return host.length <= 200 ? (
          <button
            type="button"
            title="Show only this host"
            className="focus-ring literal-id rounded text-left hover:underline"
            onClick={(e) => {
              e.stopPropagation();
              update({ host: exactFilterValue(host) });
            }}
          >
            {host}
          </button>
        ) : (
          <TruncatedText value={host} label="host name" />
        );
      },
    }),
    helper.accessor("userName", {
      id: "user",
      header: "User",
      cell: (c) => <TruncatedText value={c.getValue()} max={40} label="user name" />,
    }),
    helper.accessor("consumerName", {
      id: "consumer",
      header: "Consumer",
      cell: (c) => (
        <div className="max-w-72">
          <TruncatedText value={c.getValue()} max={40} label="consumer name" />
          <div className="text-xs text-slate-600">{c.row.original.consumerType ?? ""}</div>
        </div>
      ),
    }),
    helper.accessor("commandPreview", {
      id: "command",
      header: "Command / script",
      enableSorting: false,
      cell: (c) => (
        <div
          className="literal line-clamp-2 max-w-md text-xs text-slate-700"
          title={c.getValue()?.slice(0, 500) ?? undefined}
        >
          {c.getValue() ?? "—"}
          {c.row.original.commandTruncated ? "…" : ""}
        </div>
      ),
    }),
    helper.accessor("status", {
      id: "status",
      header: "Status",
      cell: (c) => (
        <Badge
          data-testid="status-cell"
          tone={STATUS_TONES[c.getValue()]}
          title={
            c.row.original.statusChangedByName
              ? `by ${c.row.original.statusChangedByName} at ${formatTime(c.row.original.statusChangedAt ?? "")}`
              : undefined
          }
        >
          {STATUS_LABELS[c.getValue()]}
          {c.row.original.closeReason
            ? ` · ${CLOSE_REASON_LABELS[c.row.original.closeReason as CloseReason] ?? c.row.original.closeReason}`
            : ""}
        </Badge>
      ),
    }),
    helper.accessor("assigneeName", {
      id: "assignee",
      header: "Assignee",
      cell: (c) => (
        <span className="whitespace-nowrap">{c.getValue() ?? <span className="text-slate-600">unassigned</span>}</span>
      ),
    }),
    helper.accessor("caseNumber", {
      id: "case",
      header: "Case",
      cell: (c) =>
        c.getValue() ? (
          <Link
            href={`/cases/${c.row.original.caseId}`}
            className="focus-ring text-blue-700 hover:underline"
            title={c.row.original.caseTitle ?? undefined}
          >
            #{c.getValue()}
          </Link>
        ) : (
          "—"
        ),
    }),
    ...fieldColumns,
  ]);
}
