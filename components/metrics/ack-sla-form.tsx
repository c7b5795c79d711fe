"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { useHydrated } from "@/components/use-hydrated";
import { setAckSlaAction, type SettingsActionResult } from "@/lib/actions/settings-actions";
import { Button } from "@/components/ui/button";
import { keepInputOnSubmit } from "@/components/ui/form-submit";
import { inputClass } from "@/components/ui/field";

/** The lead's target for acknowledging an alert, in minutes. */
export function AckSlaForm({
  minutes,
  updatedAt,
  canWrite,
}: {
  minutes: number;
  updatedAt: string | null;
  canWrite: boolean;
}) {
  const router = useRouter();
  const [result, setResult] = useState<SettingsActionResult | null>(null);
  const [pending, start] = useTransition();
  const hydrated = useHydrated();
  return (
    <form
      aria-label="Acknowledgement target"
      className="flex flex-wrap items-center gap-2 text-sm"
      {...keepInputOnSubmit((f) =>
        start(async () => {
          const r = await setAckSlaAction(Number(f.get("minutes")), updatedAt);
          setResult(r);
          if (r.ok) router.refresh();
        }),
      )}
    >
      <label className="flex items-center gap-2">
        Acknowledge within (minutes)
        <input
          name="minutes"
          type="number"
          min={1}
          max={10080}
          required
          defaultValue={minutes}
          disabled={!canWrite || !hydrated}
          className={`w-24 ${inputClass}`}
        />
      </label>
      {canWrite && (
        <Button type="submit" disabled={pending || !hydrated} variant="primary">
          Save target
        </Button>
      )}
      {result && (
        <span role={result.ok ? "status" : "alert"} className={result.ok ? "text-green-700" : "text-red-700"}>
          {result.ok ? result.message : result.error.message}
        </span>
      )}
    </form>
  );
}
