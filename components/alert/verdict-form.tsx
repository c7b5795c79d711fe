"use client";

import { useState } from "react";
import { closeAlertsAction } from "@/lib/actions/alert-status-actions";
import type { Verdict } from "@/lib/data/alert-status";
import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";
import { VERDICT_LABELS } from "./format";

// the order analysts choose in; the values are alert-status VERDICTS
const VERDICTS: Verdict[] = ["true_positive", "benign_positive", "false_positive", "duplicate", "other"];
import { useAlertChange } from "./status-controls";

/** Close with a verdict and a required note; `setAlertsStatus` refuses while mandatory steps are open. */
export function VerdictForm({ missingMandatory }: { missingMandatory: string[] }) {
  const [verdict, setVerdict] = useState<Verdict | "">("");
  const [note, setNote] = useState("");
  const [localError, setLocalError] = useState<string | null>(null);
  const { run, message, pending } = useAlertChange();

  function submit(e: React.FormEvent) {
    e.preventDefault();
    setLocalError(null);
    if (!verdict) return setLocalError("choose a verdict");
    if (note.trim() === "") return setLocalError("a note is required: say why");
    run((items) => closeAlertsAction(items, { closeReason: verdict, verdict, verdictNote: note.trim() }));
  }

  return (
    <form onSubmit={submit} className="space-y-3" aria-label="Verdict">
      <fieldset className="flex flex-wrap gap-4 text-sm">
        <legend className="mb-1 text-sm font-medium">Verdict</legend>
        {VERDICTS.map((v) => (
          <label key={v} className="flex items-center gap-1">
            <input type="radio" name="verdict" value={v} checked={verdict === v} onChange={() => setVerdict(v)} />
            {VERDICT_LABELS[v]}
          </label>
        ))}
      </fieldset>
      <label className="block text-sm">
        <span className="font-medium">Verdict note (required)</span>
        <textarea
          className={`${inputClass} mt-1 w-full p-2`}
          rows={3}
          maxLength={5000}
          value={note}
          onChange={(e) => setNote(e.target.value)}
        />
      </label>
      {missingMandatory.length > 0 && (
        <p className="text-sm text-amber-800">Still required before closing: {missingMandatory.join("; ")}</p>
      )}
      <div className="flex items-center gap-3">
        <Button type="submit" variant="primary" disabled={pending}>
          {pending ? "Closing…" : "Close alert"}
        </Button>
        {(localError ?? message) && (
          <span role="alert" className="text-sm text-red-700">
            {localError ?? message}
          </span>
        )}
      </div>
    </form>
  );
}
