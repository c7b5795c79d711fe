"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { useHydrated } from "@/components/use-hydrated";
import { setMandatoryStepsAction, type SettingsActionResult } from "@/lib/actions/settings-actions";
import { Button } from "@/components/ui/button";

export function MandatoryStepsForm({
  sections,
  value,
  updatedAt,
  canWrite,
}: {
  sections: { section: string; steps: { id: string; label: string }[] }[];
  value: string[];
  updatedAt: string | null;
  canWrite: boolean;
}) {
  const router = useRouter();
  const [chosen, setChosen] = useState(new Set(value));
  const [result, setResult] = useState<SettingsActionResult | null>(null);
  const [pending, start] = useTransition();
  const hydrated = useHydrated();
  return (
    <form
      className="space-y-3"
      action={() =>
        start(async () => {
          const r = await setMandatoryStepsAction([...chosen], updatedAt);
          setResult(r);
          if (r.ok) router.refresh();
        })
      }
    >
      <div className="grid grid-cols-1 gap-4 md:grid-cols-3">
        {sections.map((s) => (
          <fieldset key={s.section} className="space-y-1">
            <legend className="text-sm font-medium">{s.section}</legend>
            {s.steps.map((step) => (
              <label key={step.id} className="flex items-start gap-2 text-sm">
                <input
                  type="checkbox"
                  disabled={!canWrite || !hydrated}
                  checked={chosen.has(step.id)}
                  onChange={(e) =>
                    setChosen((c) => {
                      const n = new Set(c);
                      if (e.target.checked) n.add(step.id);
                      else n.delete(step.id);
                      return n;
                    })
                  }
                />
                <span>{step.label}</span>
              </label>
            ))}
          </fieldset>
        ))}
      </div>
      {canWrite && (
        <Button type="submit" disabled={pending || !hydrated} variant="primary">
          Save mandatory steps
        </Button>
      )}
      {result && (
        <p role={result.ok ? "status" : "alert"} className={`text-sm ${result.ok ? "text-green-700" : "text-red-700"}`}>
          {result.ok ? result.message : result.error.message}
        </p>
      )}
    </form>
  );
}
