"use client";

import { useRouter } from "next/navigation";
import { useId, useTransition } from "react";
import { setTimeZoneAction } from "@/lib/actions/preference-actions";
import { inputClass } from "@/components/ui/field";
import { usePreferences } from "@/components/ui/preferences-context";
import { useHydrated } from "@/components/use-hydrated";

/** Which zone the app writes times in for this user (saved on the server; UTC by default). */
export function TimeZoneSelect() {
  const router = useRouter();
  const { timeZone } = usePreferences();
  const [pending, startTransition] = useTransition();
  // the browser's list of zones may differ from the server's: only the chosen one until hydrated
  const hydrated = useHydrated();
  const zones = hydrated
    ? [...new Set(["UTC", timeZone, ...Intl.supportedValuesOf("timeZone")])]
    : [...new Set(["UTC", timeZone])];
  const id = useId();
  // the label names the select without wrapping it: a wrapping label's text would hold every
  // zone's name, and "Name" fields elsewhere on the page would match it
  return (
    <div className="flex flex-col gap-1 px-3 py-2 text-xs text-slate-700">
      <label htmlFor={id}>Times shown in</label>
      <select
        id={id}
        data-testid="time-zone-select"
        className={`${inputClass} text-xs`}
        value={timeZone}
        disabled={pending}
        onChange={(e) => {
          const next = e.target.value;
          startTransition(async () => {
            await setTimeZoneAction(next);
            router.refresh();
          });
        }}
      >
        {zones.map((z) => (
          <option key={z}>{z}</option>
        ))}
      </select>
    </div>
  );
}
