"use client";

import {
  columnOrderingFeature,
  columnVisibilityFeature,
  createColumnHelper,
  functionalUpdate,
  rowSelectionFeature,
  rowSortingFeature,
  tableFeatures,
  useTable,
  type RowSelectionState,
  type SortingState,
  type Updater,
} from "@tanstack/react-table";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useCallback, useEffect, useMemo, useRef, useState, useTransition } from "react";
import {
  acknowledgeAlertsAction,
  assignAlertsAction,
  closeAlertsAction,
  reopenAlertsAction,
  type AlertStatusActionResult,
} from "@/lib/actions/alert-status-actions";
import { alertHref } from "@/components/alert/alert-nav";
import { addAlertsToCaseAction } from "@/lib/actions/case-actions";
import type { AlertListRow, SortColumn } from "@/lib/data/alert-list";
import type { CloseReason } from "@/lib/data/alert-status";
import { CLOSE_REASON_LABELS, SEVERITY_STYLES, STATUS_LABELS, STATUS_STYLES, formatTime } from "./alert-labels";
import { ColumnChooser } from "./column-chooser";
import { ShortcutsDialog } from "./shortcuts-dialog";
import { useAlertsUrl } from "./use-alerts-url";
import { useColumnPrefs } from "./use-column-prefs";

const features = tableFeatures({
  rowSelectionFeature,
  rowSortingFeature,
  columnOrderingFeature,
  columnVisibilityFeature,
});
const helper = createColumnHelper<typeof features, AlertListRow>();

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
const DATA_COLUMNS = Object.keys(COLUMN_LABELS);

export interface Viewer {
  id: string;
  canTriage: boolean;
  canAssign: boolean;
  canWriteCases: boolean;
}

interface Props {
  rows: AlertListRow[];
  total: number;
  page: number;
  pageCount: number;
  pageSize: number;
  sort: SortColumn;
  dir: "asc" | "desc";
  viewer: Viewer;
  users: { id: string; name: string }[];
  cases: { id: string; number: number; title: string }[];
}

type Message = { kind: "ok" | "error"; text: string; details?: string[] };

function describe(result: AlertStatusActionResult, verb: string): Message {
  if (!result.ok) return { kind: "error", text: result.error.message };
  const parts = [`${result.updated.length} alert(s) ${verb}`];
  if (result.unchanged.length) parts.push(`${result.unchanged.length} already so`);
  const failed = [...result.blocked, ...result.conflicts];
  if (failed.length) parts.push(`${failed.length} could not be ${verb}`);
  return {
    kind: failed.length ? "error" : "ok",
    text: parts.join(" · "),
    details: failed.map((f) => `${f.label}: ${f.message}`),
  };
}

const isTyping = (target: EventTarget | null) =>
  target instanceof HTMLElement &&
  (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));

export function AlertsTable({ rows, total, page, pageCount, pageSize, sort, dir, viewer, users, cases }: Props) {
  const router = useRouter();
  const { update } = useAlertsUrl();
  const searchParams = useSearchParams();
  // the exact list (filters and sort, not the page) travels to the alert page, for [ ] and "All alerts"
  const listQuery = useMemo(() => {
    const p = new URLSearchParams(searchParams.toString());
    p.delete("page");
    return p.toString();
  }, [searchParams]);
  const [pending, startTransition] = useTransition();
  const [rowSelection, setRowSelection] = useState<RowSelectionState>({});
  const [focused, setFocused] = useState(0);
  const [message, setMessage] = useState<Message | null>(null);
  const [closeFor, setCloseFor] = useState<AlertListRow[] | null>(null);
  const [showShortcuts, setShowShortcuts] = useState(false);
  const { prefs, save, reset } = useColumnPrefs(DATA_COLUMNS);
  const rowRefs = useRef<(HTMLTableRowElement | null)[]>([]);

  const columns = useMemo(
    () =>
      helper.columns([
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
            />
          ),
        }),
        helper.accessor("eventTimestamp", {
          id: "time",
          header: "Time",
          cell: (c) => (
            <Link
              href={alertHref(c.row.original.id, listQuery)}
              className="whitespace-nowrap text-blue-700 hover:underline"
            >
              {formatTime(c.getValue())}
            </Link>
          ),
        }),
        helper.accessor("severity", {
          id: "severity",
          header: "Severity",
          cell: (c) => (
            <span className={`rounded px-1.5 py-0.5 text-xs ${SEVERITY_STYLES[c.getValue()] ?? ""}`}>
              {c.getValue()}
            </span>
          ),
        }),
        helper.accessor("riskScore", { id: "risk", header: "Risk" }),
        helper.accessor("hostName", {
          id: "host",
          header: "Host",
          cell: (c) =>
            c.getValue() ? (
              <button
                type="button"
                title="Show only this host"
                className="literal text-left hover:underline"
                onClick={() => update({ host: c.getValue() })}
              >
                {c.getValue()}
              </button>
            ) : (
              "—"
            ),
        }),
        helper.accessor("userName", {
          id: "user",
          header: "User",
          cell: (c) => <span className="literal">{c.getValue() ?? "—"}</span>,
        }),
        helper.accessor("consumerName", {
          id: "consumer",
          header: "Consumer",
          cell: (c) => (
            <div className="max-w-56">
              <div className="literal">{c.getValue() ?? "—"}</div>
              <div className="text-xs text-slate-500">{c.row.original.consumerType ?? ""}</div>
            </div>
          ),
        }),
        helper.accessor("commandPreview", {
          id: "command",
          header: "Command / script",
          enableSorting: false,
          cell: (c) => (
            <div className="literal line-clamp-2 max-w-md text-xs text-slate-700" title={c.getValue() ?? undefined}>
              {c.getValue() ?? "—"}
              {c.row.original.commandTruncated ? "…" : ""}
            </div>
          ),
        }),
        helper.accessor("status", {
          id: "status",
          header: "Status",
          cell: (c) => (
            <span
              data-testid="status-cell"
              className={`whitespace-nowrap rounded px-1.5 py-0.5 text-xs ${STATUS_STYLES[c.getValue()]}`}
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
            </span>
          ),
        }),
        helper.accessor("assigneeName", {
          id: "assignee",
          header: "Assignee",
          cell: (c) => c.getValue() ?? <span className="text-slate-400">unassigned</span>,
        }),
        helper.accessor("caseNumber", {
          id: "case",
          header: "Case",
          cell: (c) =>
            c.getValue() ? (
              <Link
                href={`/cases/${c.row.original.caseId}`}
                className="text-blue-700 hover:underline"
                title={c.row.original.caseTitle ?? undefined}
              >
                #{c.getValue()}
              </Link>
            ) : (
              "—"
            ),
        }),
      ]),
    [update, listQuery],
  );

  const sorting = useMemo<SortingState>(() => [{ id: sort, desc: dir === "desc" }], [sort, dir]);
  const onSortingChange = useCallback(
    (updater: Updater<SortingState>) => {
      const next = functionalUpdate(updater, sorting)[0];
      update(next ? { sort: next.id, dir: next.desc ? "desc" : "asc" } : { sort: null, dir: null });
    },
    [sorting, update],
  );
  const columnOrder = useMemo(() => ["select", ...prefs.order], [prefs.order]);
  const columnVisibility = useMemo(() => Object.fromEntries(prefs.hidden.map((id) => [id, false])), [prefs.hidden]);

  const table = useTable({
    features,
    columns,
    data: rows,
    getRowId: (row) => row.id,
    manualSorting: true,
    enableSortingRemoval: false,
    enableMultiSort: false,
    state: { sorting, rowSelection, columnOrder, columnVisibility },
    onSortingChange,
    onRowSelectionChange: setRowSelection,
  });

  const selectedRows = rows.filter((r) => rowSelection[r.id]);
  const focusedRow = rows[Math.min(focused, rows.length - 1)];
  const items = (list: AlertListRow[]) => list.map((r) => ({ id: r.id, version: r.version }));

  const run = useCallback(
    (work: () => Promise<Message>) => {
      startTransition(async () => {
        const m = await work();
        setMessage(m);
        setRowSelection({});
        router.refresh();
      });
    },
    [router],
  );

  const acknowledge = useCallback(
    (list: AlertListRow[]) => run(async () => describe(await acknowledgeAlertsAction(items(list)), "acknowledged")),
    [run],
  );
  const reopen = (list: AlertListRow[]) => run(async () => describe(await reopenAlertsAction(items(list)), "reopened"));
  const assign = (list: AlertListRow[], assigneeId: string | null) =>
    run(async () =>
      describe(await assignAlertsAction(items(list), assigneeId), assigneeId ? "assigned" : "unassigned"),
    );
  const close = (list: AlertListRow[], closeReason: CloseReason, note: string) => {
    setCloseFor(null);
    const verdictNote = note.trim() || undefined;
    run(async () => describe(await closeAlertsAction(items(list), { closeReason, verdictNote }), "closed"));
  };
  const addToCase = (list: AlertListRow[], target: { caseId: string } | { title: string }) =>
    run(async () => {
      const r = await addAlertsToCaseAction(
        list.map((a) => a.id),
        target,
      );
      return r.ok
        ? { kind: "ok", text: `${r.attached} alert(s) added to the case` }
        : { kind: "error", text: r.error.message };
    });

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (
        e.defaultPrevented ||
        e.metaKey ||
        e.ctrlKey ||
        e.altKey ||
        isTyping(e.target) ||
        closeFor ||
        (showShortcuts && e.key !== "Escape")
      )
        return;
      if (e.key === "?") setShowShortcuts(true);
      if (!rows.length) return;
      const index = Math.min(focused, rows.length - 1);
      const row = rows[index];
      if (e.key === "j" || e.key === "k") {
        const next = e.key === "j" ? Math.min(rows.length - 1, index + 1) : Math.max(0, index - 1);
        setFocused(next);
        rowRefs.current[next]?.scrollIntoView({ block: "nearest" });
      } else if (
        e.key === "Enter" &&
        !(e.target instanceof HTMLAnchorElement || e.target instanceof HTMLButtonElement)
      ) {
        router.push(alertHref(row.id, listQuery));
      } else if (e.key === "x") {
        setRowSelection((s) => {
          const next = { ...s };
          if (next[row.id]) delete next[row.id];
          else next[row.id] = true;
          return next;
        });
      } else if (e.key === "a" && viewer.canTriage) {
        acknowledge([row]);
      } else if (e.key === "c" && viewer.canTriage) {
        setCloseFor([row]);
      } else return;
      e.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [rows, focused, closeFor, showShortcuts, viewer.canTriage, router, acknowledge, listQuery]);

  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <span className="text-slate-600" data-testid="alerts-total">
          {total} alert(s)
        </span>
        {selectedRows.length > 0 && viewer.canTriage && (
          <BulkBar
            count={selectedRows.length}
            pending={pending}
            viewer={viewer}
            users={users}
            cases={cases}
            onAcknowledge={() => acknowledge(selectedRows)}
            onReopen={() => reopen(selectedRows)}
            onClose={() => setCloseFor(selectedRows)}
            onAssign={(id) => assign(selectedRows, id)}
            onAddToCase={(t) => addToCase(selectedRows, t)}
          />
        )}
        <div className="ml-auto flex items-center gap-2">
          <button
            type="button"
            className="text-slate-500 hover:text-slate-900"
            onClick={() => setShowShortcuts(true)}
            title="Keyboard shortcuts (?)"
          >
            Shortcuts
          </button>
          <ColumnChooser labels={COLUMN_LABELS} prefs={prefs} onChange={save} onReset={reset} />
        </div>
      </div>
      {message && (
        <div
          role="status"
          className={`rounded border px-3 py-2 text-sm ${message.kind === "ok" ? "border-emerald-200 bg-emerald-50 text-emerald-900" : "border-amber-300 bg-amber-50 text-amber-900"}`}
        >
          <p>{message.text}</p>
          {message.details && message.details.length > 0 && (
            <ul className="mt-1 list-disc pl-5" data-testid="bulk-failures">
              {message.details.map((d, i) => (
                <li key={i} className="literal">
                  {d}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="w-full text-sm" aria-busy={pending}>
          <thead className="bg-slate-100 text-left text-slate-600">
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((header) => {
                  const sorted = header.column.getIsSorted();
                  return (
                    <th
                      key={header.id}
                      className="px-3 py-2 font-medium whitespace-nowrap"
                      aria-sort={sorted ? (sorted === "asc" ? "ascending" : "descending") : undefined}
                    >
                      {header.column.getCanSort() ? (
                        <button
                          type="button"
                          className="flex items-center gap-1 hover:text-slate-900"
                          onClick={header.column.getToggleSortingHandler()}
                        >
                          <table.FlexRender header={header} />
                          <span aria-hidden className="text-xs">
                            {sorted === "asc" ? "▲" : sorted === "desc" ? "▼" : ""}
                          </span>
                        </button>
                      ) : (
                        <table.FlexRender header={header} />
                      )}
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody>
            {table.getRowModel().rows.map((row, i) => (
              <tr
                key={row.id}
                ref={(el) => {
                  rowRefs.current[i] = el;
                }}
                data-testid="alert-row"
                data-alert-id={row.original.id}
                data-focused={focusedRow?.id === row.id ? "true" : undefined}
                aria-selected={row.getIsSelected()}
                onClick={() => setFocused(i)}
                className={`border-t border-slate-100 align-top ${focusedRow?.id === row.id ? "bg-blue-50 outline-2 -outline-offset-2 outline-blue-400" : row.getIsSelected() ? "bg-slate-50" : ""}`}
              >
                {row.getVisibleCells().map((cell) => (
                  <td key={cell.id} className="px-3 py-2">
                    <table.FlexRender cell={cell} />
                  </td>
                ))}
              </tr>
            ))}
            {rows.length === 0 && (
              <tr>
                <td colSpan={table.getVisibleLeafColumns().length} className="px-3 py-8 text-center text-slate-500">
                  No alerts match these filters.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      <nav className="flex items-center gap-3 text-sm" aria-label="Pagination">
        <button
          type="button"
          disabled={page <= 1}
          className="rounded border border-slate-300 px-2 py-1 disabled:opacity-40"
          onClick={() => update({ page: String(page - 1) })}
        >
          Previous
        </button>
        <span>
          Page {page} of {pageCount}
        </span>
        <button
          type="button"
          disabled={page >= pageCount}
          className="rounded border border-slate-300 px-2 py-1 disabled:opacity-40"
          onClick={() => update({ page: String(page + 1) })}
        >
          Next
        </button>
        <label className="ml-4 flex items-center gap-1 text-slate-600">
          Rows per page
          <select
            className="rounded border border-slate-300 px-1 py-0.5"
            value={pageSize}
            onChange={(e) => update({ size: e.target.value })}
          >
            {[25, 50, 100].map((n) => (
              <option key={n}>{n}</option>
            ))}
          </select>
        </label>
      </nav>
      {closeFor && (
        <CloseDialog
          count={closeFor.length}
          onCancel={() => setCloseFor(null)}
          onConfirm={(reason, note) => close(closeFor, reason, note)}
        />
      )}
      {showShortcuts && <ShortcutsDialog onClose={() => setShowShortcuts(false)} />}
    </div>
  );
}

function BulkBar(props: {
  count: number;
  pending: boolean;
  viewer: Viewer;
  users: { id: string; name: string }[];
  cases: { id: string; number: number; title: string }[];
  onAcknowledge: () => void;
  onReopen: () => void;
  onClose: () => void;
  onAssign: (id: string | null) => void;
  onAddToCase: (target: { caseId: string } | { title: string }) => void;
}) {
  const { viewer } = props;
  const assignable = viewer.canAssign ? props.users : props.users.filter((u) => u.id === viewer.id);
  const button = "rounded border border-slate-300 bg-white px-2 py-1 hover:bg-slate-100 disabled:opacity-50";
  return (
    <div
      className="flex flex-wrap items-center gap-2 rounded border border-blue-200 bg-blue-50 px-2 py-1"
      data-testid="bulk-bar"
    >
      <span className="font-medium">{props.count} selected</span>
      <button type="button" className={button} disabled={props.pending} onClick={props.onAcknowledge}>
        Acknowledge
      </button>
      <button type="button" className={button} disabled={props.pending} onClick={props.onClose}>
        Close…
      </button>
      <button type="button" className={button} disabled={props.pending} onClick={props.onReopen}>
        Reopen
      </button>
      <select
        aria-label="Assign to"
        className="rounded border border-slate-300 bg-white px-1 py-1"
        value=""
        disabled={props.pending}
        onChange={(e) => e.target.value && props.onAssign(e.target.value === "__none" ? null : e.target.value)}
      >
        <option value="">Assign to…</option>
        {assignable.map((u) => (
          <option key={u.id} value={u.id}>
            {u.id === viewer.id ? `${u.name} (me)` : u.name}
          </option>
        ))}
        <option value="__none">Unassign</option>
      </select>
      {viewer.canWriteCases && (
        <select
          aria-label="Add to case"
          className="rounded border border-slate-300 bg-white px-1 py-1"
          value=""
          disabled={props.pending}
          onChange={(e) => {
            const v = e.target.value;
            if (!v) return;
            if (v === "__new") {
              const title = window.prompt("Title of the new case");
              if (title?.trim()) props.onAddToCase({ title: title.trim() });
            } else props.onAddToCase({ caseId: v });
          }}
        >
          <option value="">Add to case…</option>
          <option value="__new">New case…</option>
          {props.cases.map((c) => (
            <option key={c.id} value={c.id}>
              #{c.number} {c.title}
            </option>
          ))}
        </select>
      )}
    </div>
  );
}

/** The order of the reasons in the close dialog: keys 1–5 pick them. */
const CLOSE_REASON_ORDER: CloseReason[] = ["true_positive", "benign_positive", "false_positive", "duplicate", "other"];

function CloseDialog({
  count,
  onCancel,
  onConfirm,
}: {
  count: number;
  onCancel: () => void;
  onConfirm: (reason: CloseReason, note: string) => void;
}) {
  // no reason is preselected: closing is the analyst's decision, Enter alone must not make it
  const [reason, setReason] = useState<CloseReason | null>(null);
  const [note, setNote] = useState("");
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") return onCancel();
      if (isTyping(e.target) && (e.target as HTMLElement).tagName === "TEXTAREA") return;
      const n = Number(e.key);
      if (Number.isInteger(n) && n >= 1 && n <= CLOSE_REASON_ORDER.length) {
        e.preventDefault();
        setReason(CLOSE_REASON_ORDER[n - 1]);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onCancel]);
  return (
    <div
      className="fixed inset-0 z-20 flex items-center justify-center bg-slate-900/30"
      role="presentation"
      onClick={onCancel}
    >
      <form
        role="dialog"
        aria-modal="true"
        aria-labelledby="close-dialog-title"
        className="w-96 space-y-3 rounded-lg bg-white p-4 shadow-lg"
        onClick={(e) => e.stopPropagation()}
        onSubmit={(e) => {
          e.preventDefault();
          if (reason) onConfirm(reason, note);
        }}
      >
        <h2 id="close-dialog-title" className="font-medium">
          Close {count} alert(s)
        </h2>
        <fieldset className="space-y-1 text-sm" autoFocus tabIndex={-1}>
          <legend className="mb-1">Reason (press 1–5)</legend>
          {CLOSE_REASON_ORDER.map((r, i) => (
            <label key={r} className="flex items-center gap-2">
              <input type="radio" name="close-reason" value={r} checked={reason === r} onChange={() => setReason(r)} />
              <kbd className="rounded border border-slate-300 px-1 text-xs">{i + 1}</kbd>
              {CLOSE_REASON_LABELS[r]}
            </label>
          ))}
        </fieldset>
        <label className="flex flex-col gap-1 text-sm">
          Note (kept on every alert closed)
          <textarea
            className="rounded border border-slate-300 px-2 py-1"
            rows={2}
            maxLength={5000}
            value={note}
            onChange={(e) => setNote(e.target.value)}
          />
        </label>
        <p className="text-xs text-slate-500">
          Alerts that cannot close (mandatory guide steps not done, changed by someone else) stay open and are named.
        </p>
        <div className="flex justify-end gap-2">
          <button type="button" className="rounded border border-slate-300 px-3 py-1 text-sm" onClick={onCancel}>
            Cancel
          </button>
          <button
            type="submit"
            disabled={!reason}
            className="rounded bg-slate-900 px-3 py-1 text-sm text-white disabled:opacity-40"
          >
            Close alerts
          </button>
        </div>
      </form>
    </div>
  );
}
