"use client";

import { useState } from "react";
import { NewCaseDialog, type NewCaseFields } from "@/components/cases/new-case-dialog";
import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";
import type { Viewer } from "./alert-columns";

/** What the selected alerts can have done to them at once (also a group's alerts, from its header). */

export function BulkBar(props: {
  count: number;
  /** what is selected, when not "N selected" (a group: "host SRV-01") */
  label?: string;
  testId?: string;
  pending: boolean;
  viewer: Viewer;
  users: { id: string; name: string }[];
  /** without them (a group's actions) there is no "Add to case" */
  cases?: { id: string; number: number; title: string }[];
  onAcknowledge: () => void;
  onReopen: () => void;
  onClose: () => void;
  onAssign: (id: string | null) => void;
  onAddToCase?: (target: { caseId: string } | NewCaseFields) => void;
}) {
  const { viewer } = props;
  const [creating, setCreating] = useState(false);
  const assignable = viewer.canAssign ? props.users : props.users.filter((u) => u.id === viewer.id);
  return (
    <div
      className="flex flex-wrap items-center gap-2 rounded border border-blue-200 bg-blue-50 px-2 py-1"
      data-testid={props.testId ?? "bulk-bar"}
    >
      <span className="font-medium">{props.label ?? `${props.count} selected`}</span>
      <Button size="sm" disabled={props.pending} onClick={props.onAcknowledge}>
        Acknowledge
      </Button>
      <Button size="sm" disabled={props.pending} onClick={props.onClose}>
        Close…
      </Button>
      <Button size="sm" disabled={props.pending} onClick={props.onReopen}>
        Reopen
      </Button>
      <select
        aria-label="Assign to"
        className={`${inputClass} py-0.5`}
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
      {viewer.canWriteCases && props.onAddToCase && props.cases && (
        <select
          aria-label="Add to case"
          className={`${inputClass} py-0.5`}
          value=""
          disabled={props.pending}
          onChange={(e) => {
            const v = e.target.value;
            if (!v) return;
            if (v === "__new") setCreating(true);
            else props.onAddToCase?.({ caseId: v });
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
      {creating && (
        <NewCaseDialog
          count={props.count}
          users={assignable}
          pending={props.pending}
          onCreate={(fields) => {
            setCreating(false);
            props.onAddToCase?.(fields);
          }}
          onClose={() => setCreating(false)}
        />
      )}
    </div>
  );
}
