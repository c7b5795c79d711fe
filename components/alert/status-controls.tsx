"use client";

import { useState, useTransition } from "react";
import {
  acknowledgeAlertsAction,
  assignAlertsAction,
  reopenAlertsAction,
  type AlertStatusActionResult,
} from "@/lib/actions/alert-status-actions";
import { Button, buttonClass } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";
import { useAlertVersion } from "./alert-version";

/** Turns an action's per-alert outcome into one message; conflicts go to the page's banner. */
export function useAlertChange() {
  const { alertId, version, seen, setConflict } = useAlertVersion();
  const [message, setMessage] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  function run(
    call: (items: { id: string; version: number; seen: typeof seen }[]) => Promise<AlertStatusActionResult>,
    onDone?: () => void,
  ) {
    setMessage(null);
    startTransition(async () => {
      // steps others ticked meanwhile do not conflict; a changed status or assignee does
      const result = await call([{ id: alertId, version, seen }]);
      if (!result.ok) return setMessage(result.error.message);
      const conflict = result.conflicts[0];
      if (conflict) {
        setConflict(conflict.message);
        return setMessage(conflict.message);
      }
      const blocked = result.blocked[0];
      if (blocked) return setMessage(blocked.message);
      onDone?.();
    });
  }
  return { run, message, pending };
}

export function StatusControls({
  status,
  assigneeId,
  assigneeName,
  currentUserId,
  assignees,
  canTriage,
  canAssign,
}: {
  status: string;
  assigneeId: string | null;
  assigneeName: string | null;
  currentUserId: string;
  assignees: { id: string; name: string }[];
  canTriage: boolean;
  canAssign: boolean;
}) {
  const { run, message, pending } = useAlertChange();
  return (
    <div className="flex flex-wrap items-center gap-2">
      <span className="text-sm text-slate-600">
        Assignee: <strong data-testid="assignee">{assigneeName ?? "unassigned"}</strong>
      </span>
      {canTriage && canAssign && (
        <select
          aria-label="Assign to"
          className={inputClass}
          value={assigneeId ?? ""}
          disabled={pending}
          onChange={(e) => run((items) => assignAlertsAction(items, e.target.value || null))}
        >
          <option value="">Unassigned</option>
          {assignees.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name}
            </option>
          ))}
        </select>
      )}
      {canTriage && !canAssign && assigneeId !== currentUserId && assigneeId === null && (
        <Button size="sm" disabled={pending} onClick={() => run((items) => assignAlertsAction(items, currentUserId))}>
          Assign to me
        </Button>
      )}
      {canTriage && !canAssign && assigneeId === currentUserId && (
        <Button size="sm" disabled={pending} onClick={() => run((items) => assignAlertsAction(items, null))}>
          Unassign me
        </Button>
      )}
      {canTriage && status === "open" && (
        <Button size="sm" disabled={pending} onClick={() => run(acknowledgeAlertsAction)}>
          Acknowledge
        </Button>
      )}
      {canTriage && status !== "closed" && (
        <a href="#verdict" className={buttonClass("secondary", "sm")}>
          Close…
        </a>
      )}
      {canTriage && status === "closed" && (
        <Button size="sm" disabled={pending} onClick={() => run(reopenAlertsAction)}>
          Reopen
        </Button>
      )}
      {message && (
        <span role="status" className="text-sm text-red-700">
          {message}
        </span>
      )}
    </div>
  );
}
