"use client";

import { ActionOutcome } from "@/components/ui/action-outcome";
import { useState, useTransition } from "react";
import { purgeNowAction, setRetentionDaysAction, type RetentionActionResult } from "@/lib/actions/retention-actions";
import { Button } from "@/components/ui/button";
import { keepInputOnSubmit } from "@/components/ui/form-submit";
import { inputClass } from "@/components/ui/field";

export function RetentionForm({ days, updatedAt }: { days: number; updatedAt: string | null }) {
  const [result, setResult] = useState<RetentionActionResult | null>(null);
  const [pending, start] = useTransition();
  return (
    <form
      className="flex flex-wrap items-end gap-3"
      {...keepInputOnSubmit((form) =>
        start(async () => setResult(await setRetentionDaysAction(form.get("days"), updatedAt))),
      )}
    >
      <label className="text-sm">
        Keep events for (days)
        <input
          name="days"
          type="number"
          min={1}
          max={3650}
          step={1}
          required
          defaultValue={days}
          className={`mt-1 block w-32 ${inputClass}`}
        />
      </label>
      <Button type="submit" disabled={pending} variant="primary">
        Save
      </Button>
      <ActionOutcome result={result} />
    </form>
  );
}

export function PurgeNowButton() {
  const [result, setResult] = useState<RetentionActionResult | null>(null);
  const [pending, start] = useTransition();
  return (
    <div className="flex flex-wrap items-center gap-3">
      <Button type="button" disabled={pending} onClick={() => start(async () => setResult(await purgeNowAction()))}>
        {pending ? "Purging…" : "Purge expired events now"}
      </Button>
      <ActionOutcome result={result} />
    </div>
  );
}
