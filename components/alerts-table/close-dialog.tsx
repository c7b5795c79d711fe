"use client";

import { useEffect, useState } from "react";
import type { CloseReason } from "@/lib/data/alert-status";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { inputClass } from "@/components/ui/field";
import { CLOSE_REASON_LABELS } from "./alert-labels";
import { isTyping } from "./use-table-shortcuts";

/** The order of the reasons in the close dialog: keys 1–5 pick them. */
const CLOSE_REASON_ORDER: CloseReason[] = ["true_positive", "benign_positive", "false_positive", "duplicate", "other"];

export function CloseDialog({
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
      if (isTyping(e.target) && (e.target as HTMLElement).tagName === "TEXTAREA") return;
      const n = Number(e.key);
      if (Number.isInteger(n) && n >= 1 && n <= CLOSE_REASON_ORDER.length) {
        e.preventDefault();
        setReason(CLOSE_REASON_ORDER[n - 1]);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
  return (
    <Dialog
      title={`Close ${count} alert(s)`}
      onClose={onCancel}
      as="form"
      onSubmit={() => {
        if (reason) onConfirm(reason, note);
      }}
    >
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
          className={inputClass}
          rows={2}
          maxLength={5000}
          value={note}
          onChange={(e) => setNote(e.target.value)}
        />
      </label>
      <p className="text-xs text-slate-600">
        Alerts that cannot close (mandatory guide steps not done, changed by someone else) stay open and are named.
      </p>
      <div className="flex justify-end gap-2">
        <Button onClick={onCancel}>Cancel</Button>
        <Button type="submit" variant="primary" disabled={!reason}>
          Close alerts
        </Button>
      </div>
    </Dialog>
  );
}
