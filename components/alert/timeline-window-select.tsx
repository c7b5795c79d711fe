"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { inputClass } from "@/components/ui/field";

const OPTIONS: { value: number; label: string }[] = [
  { value: 1, label: "±1 minute" },
  { value: 5, label: "±5 minutes" },
  { value: 15, label: "±15 minutes" },
  { value: 60, label: "±1 hour" },
  { value: 240, label: "±4 hours" },
  { value: 1440, label: "±1 day" },
];

/** The timeline's window lives in the URL (`?window=<minutes>`), so a link shows the same view. */
export function TimelineWindowSelect({ value }: { value: number }) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  return (
    <select
      aria-label="Timeline window"
      className={inputClass}
      value={value}
      onChange={(e) => {
        const next = new URLSearchParams(params.toString());
        next.set("window", e.target.value);
        router.replace(`${pathname}?${next.toString()}#related`, { scroll: false });
      }}
    >
      {OPTIONS.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </select>
  );
}
