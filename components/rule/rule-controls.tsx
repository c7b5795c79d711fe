"use client";

import { useState, useTransition } from "react";
import { useHydrated } from "@/components/use-hydrated";
import { runRuleNowAction, setRuleEnabledAction, type RunNowActionResult } from "@/lib/actions/rule-actions";
import { Button } from "@/components/ui/button";

/** Enable/disable switch and Run now with its result; shown only to roles with `rule:run`. */
export function RuleControls({ enabled }: { enabled: boolean }) {
  const [toggling, startToggle] = useTransition();
  const [running, startRun] = useTransition();
  const [toggleError, setToggleError] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<RunNowActionResult | null>(null);
  // a click before hydration would do nothing: the controls wait for it
  const hydrated = useHydrated();

  const toggle = () =>
    startToggle(async () => {
      setToggleError(null);
      const result = await setRuleEnabledAction(!enabled);
      if (!result.ok) setToggleError(result.error.message);
    });

  const run = () =>
    startRun(async () => {
      setOutcome(null);
      setOutcome(await runRuleNowAction());
    });

  return (
    <div className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
      <div className="flex flex-wrap items-center gap-3">
        <button
          type="button"
          role="switch"
          aria-checked={enabled}
          aria-label="Rule enabled"
          disabled={toggling || !hydrated}
          onClick={toggle}
          className={`relative inline-flex h-6 w-11 items-center rounded-full transition disabled:opacity-50 ${enabled ? "bg-emerald-600" : "bg-slate-300"}`}
        >
          <span
            className={`inline-block h-5 w-5 rounded-full bg-white shadow transition ${enabled ? "translate-x-5" : "translate-x-0.5"}`}
          />
        </button>
        <span className="text-sm">
          {enabled ? "Enabled: runs every interval and after every ingest" : "Disabled: no detection from any path"}
        </span>
        <Button
          type="button"
          onClick={run}
          disabled={running || !enabled || !hydrated}
          title={enabled ? undefined : "enable the rule to run it"}
          variant="primary"
          className="ml-auto"
        >
          {running ? "Running…" : "Run now"}
        </Button>
      </div>
      {toggleError && (
        <p role="alert" className="text-sm text-red-700">
          {toggleError}
        </p>
      )}
      {outcome && <RunOutcome outcome={outcome} />}
    </div>
  );
}

function RunOutcome({ outcome }: { outcome: RunNowActionResult }) {
  if (!outcome.ok) {
    return (
      <p role="alert" className="rounded border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
        Run now refused: {outcome.error.message}
      </p>
    );
  }
  const r = outcome.result;
  const failed = r.status === "failed";
  return (
    <div
      data-testid="run-now-result"
      role="status"
      className={`space-y-1 rounded border px-3 py-2 text-sm ${failed ? "border-red-200 bg-red-50 text-red-800" : "border-emerald-200 bg-emerald-50 text-emerald-900"}`}
    >
      <p className="font-medium">{failed ? "The run failed" : "Run finished"}</p>
      <p>
        {r.eventsScanned} events scanned · {r.matches} matches · {r.alertsCreated} alerts created
        {r.suppressed > 0 && ` · ${r.suppressed} suppressed by exceptions`}
      </p>
      {r.warnings.map((w) => (
        <p key={w} className="text-amber-800">
          ⚠ {w}
        </p>
      ))}
      {r.error && <p className="literal">{r.error}</p>}
    </div>
  );
}
