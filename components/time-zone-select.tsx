"use client";

import { useRouter } from "next/navigation";
import { useTransition } from "react";
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
  return (
    <label className="flex flex-col gap-1 px-3 py-2 text-xs text-slate-700">
      Times shown in
      <select
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
    </label>
  );
}
