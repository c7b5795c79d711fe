"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { assignAlertsAction } from "@/lib/actions/alert-status-actions";
import { NewCaseDialog, type NewCaseFields } from "@/components/cases/new-case-dialog";
import { addAlertsToCaseAction } from "@/lib/actions/case-actions";
import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";
import { TruncatedText } from "@/components/ui/truncated-text";
import { alertStatusLabel, severityLabel } from "@/lib/format/labels";

/** The assign control starts on no choice; taking work away is an explicit, last option. */
const UNASSIGN = "__unassign__";

export interface QueueRow {
  id: string;
  version: number;
  status: string;
  severity: string;
  riskScore: number;
  hostName: string | null;
  consumerName: string | null;
  consumerType: string | null;
  assigneeName: string | null;
  age: string;
  idle: string;
  eventTimestamp: string;
}

export type QueueSortKey = "age" | "severity" | "risk";
/** Per sortable column: the link that sorts by it (or flips it), and its current direction. */
export type QueueSortLinks = Record<QueueSortKey, { href: string; current: "ascending" | "descending" | null }>;

const COLUMNS: { label: string; sort?: QueueSortKey }[] = [
  { label: "Event time" },
  { label: "Severity", sort: "severity" },
  { label: "Risk", sort: "risk" },
  { label: "Host" },
  { label: "Consumer" },
  { label: "Status" },
  { label: "Assignee" },
  { label: "Open for", sort: "age" },
  { label: "Since last action" },
];

function SortHeader({ label, link }: { label: string; link: QueueSortLinks[QueueSortKey] }) {
  const arrow = link.current === "ascending" ? " ↑" : link.current === "descending" ? " ↓" : "";
  return (
    <th className="px-2 py-2 font-medium" aria-sort={link.current ?? undefined}>
      <Link href={link.href} className="text-blue-700 hover:underline">
        {label}
        {arrow}
      </Link>
    </th>
  );
}

/** Select alerts, pick a person, assign: one or many at once (alerts go through assignAlerts). */
export function QueueTable({
  rows,
  people,
  sortLinks,
}: {
  rows: QueueRow[];
  people: { id: string; name: string; role: string }[];
  sortLinks: QueueSortLinks;
}) {
  const router = useRouter();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [assignee, setAssignee] = useState("");
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [pending, start] = useTransition();
  const toggle = (id: string) =>
    setSelected((s) => {
      const n = new Set(s);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });
  const assign = () =>
    start(async () => {
      const items = rows.filter((r) => selected.has(r.id)).map((r) => ({ id: r.id, version: r.version }));
      const r = await assignAlertsAction(items, assignee === UNASSIGN ? null : assignee);
      if (!r.ok) return setMessage({ ok: false, text: r.error.message });
      const problems = [...r.conflicts, ...r.blocked].map((p) => p.message);
      setMessage({
        ok: problems.length === 0,
        text: `${r.updated.length} alert(s) ${assignee === UNASSIGN ? "unassigned" : "assigned"}${problems.length ? `; ${problems.length} not: ${[...new Set(problems)].join("; ")}` : ""}`,
      });
      setSelected(new Set());
      router.refresh();
    });
  const [creating, setCreating] = useState(false);
  const newCase = (fields: NewCaseFields) =>
    start(async () => {
      const r = await addAlertsToCaseAction([...selected], fields);
      if (!r.ok) return setMessage({ ok: false, text: r.error.message });
      router.push(`/cases/${r.caseId}`);
    });
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center gap-2 rounded-lg border border-slate-200 bg-white p-2 text-sm">
        <span>{selected.size} selected</span>
        <select
          aria-label="Assign to"
          value={assignee}
          onChange={(e) => setAssignee(e.target.value)}
          className={`${inputClass} max-w-full`}
        >
          <option value="" disabled>
            Choose a person…
          </option>
          {people.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name} ({p.role})
            </option>
          ))}
          <option value={UNASSIGN}>Nobody (unassign)</option>
        </select>
        <Button variant="primary" disabled={pending || selected.size === 0 || assignee === ""} onClick={assign}>
          {assignee === UNASSIGN ? "Unassign" : "Assign"}
        </Button>
        <Button disabled={pending || selected.size === 0} onClick={() => setCreating(true)}>
          New case from selected
        </Button>
        {creating && (
          <NewCaseDialog
            count={selected.size}
            users={people}
            pending={pending}
            onCreate={newCase}
            onClose={() => setCreating(false)}
          />
        )}
        {message && (
          <span role={message.ok ? "status" : "alert"} className={message.ok ? "text-green-700" : "text-red-700"}>
            {message.text}
          </span>
        )}
      </div>
      {/* below 640 px each row is a card (cells wrap, labelled), so the page never scrolls sideways */}
      <table className="w-full rounded-lg border border-slate-200 bg-white text-sm max-sm:block">
        <thead className="bg-slate-100 text-left text-slate-600 max-sm:block">
          <tr className="max-sm:flex max-sm:[&>th:not(:first-child)]:hidden">
            <th className="px-2 py-2">
              <label className="flex items-center gap-2">
                <input
                  type="checkbox"
                  aria-label="Select all"
                  checked={rows.length > 0 && selected.size === rows.length}
                  onChange={(e) => setSelected(e.target.checked ? new Set(rows.map((r) => r.id)) : new Set())}
                />
                <span aria-hidden className="font-medium sm:hidden">
                  Select all
                </span>
              </label>
            </th>
            {COLUMNS.map((c) =>
              c.sort ? (
                <SortHeader key={c.label} label={c.label} link={sortLinks[c.sort]} />
              ) : (
                <th key={c.label} className="px-2 py-2 font-medium">
                  {c.label}
                </th>
              ),
            )}
          </tr>
        </thead>
        <tbody className="max-sm:block">
          {rows.map((r) => (
            <tr
              key={r.id}
              className="border-t border-slate-100 max-sm:flex max-sm:flex-wrap max-sm:items-baseline max-sm:gap-x-2 max-sm:py-1"
              data-testid="queue-row"
            >
              <td className="px-2 py-1">
                <input
                  type="checkbox"
                  aria-label={`Select alert on ${r.hostName ?? r.id}`}
                  checked={selected.has(r.id)}
                  onChange={() => toggle(r.id)}
                />
              </td>
              <td className="px-2 py-1 whitespace-nowrap">
                <Link href={`/alerts/${r.id}`} className="text-blue-700 hover:underline">
                  {r.eventTimestamp}
                </Link>
              </td>
              <td className="px-2 py-1" data-testid="queue-severity">
                {severityLabel(r.severity)}
              </td>
              <td className="px-2 py-1 tabular-nums" data-testid="queue-risk">
                {r.riskScore}
              </td>
              <td className="px-2 py-1 max-sm:min-w-0">
                <TruncatedText value={r.hostName} max={40} label="host name" />
              </td>
              <td className="px-2 py-1 max-sm:min-w-0 max-sm:basis-full">
                <TruncatedText value={r.consumerName} max={40} label="consumer name" />{" "}
                <span className="text-xs text-slate-600">{r.consumerType}</span>
              </td>
              <td className="px-2 py-1">{alertStatusLabel(r.status)}</td>
              <td className="px-2 py-1">{r.assigneeName ?? <span className="text-slate-600">unassigned</span>}</td>
              <td className="px-2 py-1">
                <span className="text-slate-600 sm:hidden">open for </span>
                {r.age}
              </td>
              <td className="px-2 py-1">
                <span className="text-slate-600 sm:hidden">last action </span>
                {r.idle}
              </td>
            </tr>
          ))}
          {rows.length === 0 && (
            <tr>
              <td colSpan={COLUMNS.length + 1} className="px-2 py-6 text-center text-slate-600">
                Nothing waiting.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
