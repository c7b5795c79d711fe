"use client";

import {
  functionalUpdate,
  useTable,
  type RowSelectionState,
  type SortingState,
  type Updater,
} from "@tanstack/react-table";
import { useRouter, useSearchParams } from "next/navigation";
import { useCallback, useMemo, useRef, useState, useTransition } from "react";
import {
  acknowledgeAlertsAction,
  assignAlertsAction,
  closeAlertsAction,
  reopenAlertsAction,
} from "@/lib/actions/alert-status-actions";
import { alertHref } from "@/components/alert/alert-nav";
import { addAlertsToCaseAction } from "@/lib/actions/case-actions";
import type { AlertListRow, SortColumn } from "@/lib/data/alert-list";
import type { CloseReason } from "@/lib/data/alert-status";
import type { AddToCaseTarget } from "@/lib/data/cases";
import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";
import { Toast } from "@/components/ui/toast";
import { DATA_COLUMNS, alertColumns, columnLabels, type Viewer } from "./alert-columns";
import { AlertPreviewPanel } from "./alert-preview";
import { BulkBar } from "./bulk-bar";
import { describeChange, type ChangeMessage } from "./change-message";
import { CloseDialog } from "./close-dialog";
import { ColumnChooser } from "./column-chooser";
import { FieldBrowser } from "./field-browser";
import { ShortcutsDialog } from "./shortcuts-dialog";
import { alertTableFeatures as features } from "./table-features";
import { useAlertsUrl } from "./use-alerts-url";
import { useColumnPrefs } from "./use-column-prefs";
import { useTableShortcuts } from "./use-table-shortcuts";

export type { Viewer } from "./alert-columns";

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
  const [message, setMessage] = useState<ChangeMessage | null>(null);
  const [closeFor, setCloseFor] = useState<AlertListRow[] | null>(null);
  const [showShortcuts, setShowShortcuts] = useState(false);
  // the row shown in the preview panel beside the table; j/k move it while it is open
  const [previewOpen, setPreviewOpen] = useState(false);
  const { prefs, fields, save, reset, toggleField } = useColumnPrefs(DATA_COLUMNS);
  const rowRefs = useRef<(HTMLTableRowElement | null)[]>([]);

  const columns = useMemo(() => alertColumns(update, listQuery, fields), [update, listQuery, fields]);

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
  const items = (list: AlertListRow[]) =>
    list.map((r) => ({ id: r.id, version: r.version, seen: { status: r.status, assigneeId: r.assigneeId } }));

  const run = useCallback(
    (work: () => Promise<ChangeMessage>) => {
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
    (list: AlertListRow[]) =>
      run(async () => describeChange(await acknowledgeAlertsAction(items(list)), "acknowledged")),
    [run],
  );
  const reopen = (list: AlertListRow[]) =>
    run(async () => describeChange(await reopenAlertsAction(items(list)), "reopened"));
  const assign = (list: AlertListRow[], assigneeId: string | null) =>
    run(async () =>
      describeChange(await assignAlertsAction(items(list), assigneeId), assigneeId ? "assigned" : "unassigned"),
    );
  const close = (list: AlertListRow[], closeReason: CloseReason, note: string) => {
    setCloseFor(null);
    const verdictNote = note.trim() || undefined;
    run(async () => describeChange(await closeAlertsAction(items(list), { closeReason, verdictNote }), "closed"));
  };
  const addToCase = (list: AlertListRow[], target: AddToCaseTarget) =>
    run(async () => {
      const r = await addAlertsToCaseAction(
        list.map((a) => a.id),
        target,
      );
      return r.ok
        ? { kind: "ok", text: `${r.attached} alert(s) added to the case` }
        : { kind: "error", text: r.error.message };
    });

  const shortcuts = useMemo(() => {
    const index = Math.min(focused, rows.length - 1);
    const row = rows[index];
    const move = (next: number) => {
      setFocused(next);
      rowRefs.current[next]?.scrollIntoView({ block: "nearest" });
    };
    const isControl = (e: KeyboardEvent) =>
      e.target instanceof HTMLAnchorElement || e.target instanceof HTMLButtonElement;
    return {
      "?": () => setShowShortcuts(true),
      j: () => (row ? move(Math.min(rows.length - 1, index + 1)) : false),
      k: () => (row ? move(Math.max(0, index - 1)) : false),
      Enter: (e: KeyboardEvent) => (row && !isControl(e) ? setPreviewOpen(true) : false),
      o: (e: KeyboardEvent) => (row && !isControl(e) ? router.push(alertHref(row.id, listQuery)) : false),
      Escape: () => (previewOpen ? setPreviewOpen(false) : false),
      x: () =>
        row
          ? setRowSelection((s) => {
              const next = { ...s };
              if (next[row.id]) delete next[row.id];
              else next[row.id] = true;
              return next;
            })
          : false,
      a: () => (row && viewer.canTriage ? acknowledge([row]) : false),
      c: () => (row && viewer.canTriage ? setCloseFor([row]) : false),
    };
  }, [rows, focused, viewer.canTriage, router, acknowledge, listQuery, previewOpen]);
  useTableShortcuts(shortcuts, closeFor !== null || showShortcuts);

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
          <Button variant="ghost" size="sm" onClick={() => setShowShortcuts(true)} title="Keyboard shortcuts (?)">
            Shortcuts
          </Button>
          <FieldBrowser chosen={fields} onToggle={toggleField} />
          <ColumnChooser labels={columnLabels(fields)} prefs={prefs} onChange={save} onReset={reset} />
        </div>
      </div>
      {message && (
        <Toast tone={message.kind} onDismiss={() => setMessage(null)}>
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
        </Toast>
      )}
      <div className={previewOpen && focusedRow ? "grid items-start gap-3 lg:grid-cols-[minmax(0,1fr)_30rem]" : ""}>
        <div className="min-w-0 space-y-2">
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
                    onClick={(e) => {
                      setFocused(i);
                      // a click on the row itself (not on its links, buttons or box) opens the preview
                      if (!(e.target as HTMLElement).closest("a, button, input, select, label")) setPreviewOpen(true);
                    }}
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
                    <td colSpan={table.getVisibleLeafColumns().length} className="px-3 py-8 text-center text-slate-600">
                      No alerts match these filters.
                    </td>
                  </tr>
                )}
              </tbody>
            </table>
          </div>
          <nav className="flex items-center gap-3 text-sm" aria-label="Pagination">
            <Button size="sm" disabled={page <= 1} onClick={() => update({ page: String(page - 1) })}>
              Previous
            </Button>
            <span>
              Page {page} of {pageCount}
            </span>
            <Button size="sm" disabled={page >= pageCount} onClick={() => update({ page: String(page + 1) })}>
              Next
            </Button>
            <label className="ml-4 flex items-center gap-1 text-slate-600">
              Rows per page
              <select
                className={`${inputClass} py-0.5`}
                value={pageSize}
                onChange={(e) => update({ size: e.target.value })}
              >
                {[25, 50, 100].map((n) => (
                  <option key={n}>{n}</option>
                ))}
              </select>
            </label>
          </nav>
        </div>
        {previewOpen && focusedRow && (
          <AlertPreviewPanel
            alertId={focusedRow.id}
            version={focusedRow.version}
            href={alertHref(focusedRow.id, listQuery)}
            currentUserId={viewer.id}
            onClose={() => setPreviewOpen(false)}
          />
        )}
      </div>
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
