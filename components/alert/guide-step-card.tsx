"use client";

import { useOptimistic, useState, useTransition, type ReactNode } from "react";
import { setAlertStepAction } from "@/lib/actions/alert-step-actions";
import type { StepAnswer, StepState } from "@/lib/data/alert-steps";
import { useAlertVersion } from "./alert-version";
import { formatTime } from "./format";
import { Button } from "@/components/ui/button";

const ANSWERS: { value: StepAnswer; label: string }[] = [
  { value: "yes", label: "Yes, applies" },
  { value: "no", label: "No" },
  { value: "unsure", label: "Unsure" },
];

/**
 * One guide step: the guide's text, its evidence (rendered on the server, passed as children),
 * a done checkbox, a note and, for false-positive items, the analyst's answer. Each change is
 * saved at once against the alert's version.
 */
export function GuideStepCard({
  stepId,
  label,
  text,
  mandatory,
  notApplicable = null,
  state,
  withAnswer = false,
  canEdit,
  badge,
  children,
}: {
  stepId: string;
  label: string;
  text: string;
  mandatory: boolean;
  /** why the step cannot have evidence for this alert; shown instead of "required" */
  notApplicable?: string | null;
  state: StepState | null;
  withAnswer?: boolean;
  canEdit: boolean;
  badge?: ReactNode;
  children?: ReactNode;
}) {
  const { alertId, version, setVersion, setConflict } = useAlertVersion();
  const [saved, setSaved] = useState<StepState | null>(state);
  const [note, setNote] = useState(state?.note ?? "");
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  // the checkbox and the answer show the click at once; they fall back if the save fails
  const [shown, showChange] = useOptimistic(
    { done: saved?.done ?? false, answer: saved?.answer ?? null },
    (current, change: { done?: boolean; answer?: StepAnswer | null }) => ({
      done: change.done ?? current.done,
      answer: change.answer === undefined ? current.answer : change.answer,
    }),
  );

  function save(change: { done?: boolean; note?: string; answer?: StepAnswer | null }) {
    setError(null);
    startTransition(async () => {
      if (change.done !== undefined || change.answer !== undefined)
        showChange({ done: change.done, answer: change.answer });
      // what this page saw of the step: others' edits to other steps or fields do not conflict
      const seen = { done: saved?.done ?? false, note: saved?.note ?? null, answer: saved?.answer ?? null };
      const result = await setAlertStepAction({ alertId, version, stepKey: stepId, ...change, seen });
      if (result.ok) {
        setSaved(result.step);
        setVersion(result.version);
      } else if (result.error.code === "conflict") {
        setConflict(result.error.message);
        setError(result.error.message);
      } else {
        setError(result.error.message);
      }
    });
  }

  const done = shown.done;
  const noteDirty = note !== (saved?.note ?? "");
  const domId = stepId.replace(/\./g, "-");
  return (
    <article
      data-testid={`step-${stepId}`}
      className={`rounded-lg border bg-white p-4 ${done ? "border-emerald-300" : "border-slate-200"}`}
    >
      <header className="flex flex-wrap items-start justify-between gap-2">
        <label className="flex items-center gap-2 font-medium">
          <input
            type="checkbox"
            className="h-4 w-4"
            checked={done}
            disabled={!canEdit || pending}
            onChange={(e) => save({ done: e.target.checked })}
            aria-label={`Done: ${label}`}
          />
          {label}
          {mandatory && (
            <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs font-normal text-slate-600">
              required to close
            </span>
          )}
          {notApplicable && (
            <span
              className="rounded bg-slate-100 px-1.5 py-0.5 text-xs font-normal text-slate-600"
              data-testid="step-not-applicable"
              title={notApplicable}
            >
              not applicable: {notApplicable}
            </span>
          )}
        </label>
        {badge}
      </header>
      <p className="mt-2 text-sm text-slate-600">{text}</p>
      {children && <div className="mt-3">{children}</div>}
      {withAnswer && (
        <fieldset className="mt-3 flex flex-wrap items-center gap-3 text-sm" disabled={!canEdit || pending}>
          <legend className="sr-only">Your answer for {label}</legend>
          <span className="text-slate-700">Does this benign explanation apply?</span>
          {ANSWERS.map((a) => (
            <label key={a.value} className="flex items-center gap-1">
              <input
                type="radio"
                name={`answer-${domId}`}
                value={a.value}
                checked={shown.answer === a.value}
                onChange={() => save({ answer: a.value })}
              />
              {a.label}
            </label>
          ))}
        </fieldset>
      )}
      <div className="mt-3 flex flex-col gap-2 sm:flex-row sm:items-end">
        <label className="flex-1 text-sm">
          <span className="sr-only">Note for {label}</span>
          <textarea
            aria-label={`Note for ${label}`}
            className="w-full rounded border border-slate-300 p-2 text-sm"
            rows={2}
            maxLength={5000}
            placeholder={canEdit ? "Note (what you found)" : "No note"}
            value={note}
            disabled={!canEdit}
            onChange={(e) => setNote(e.target.value)}
          />
        </label>
        {canEdit && (
          <Button type="button" disabled={!noteDirty || pending} onClick={() => save({ note })} variant="primary">
            Save note
          </Button>
        )}
      </div>
      <footer className="mt-2 text-xs text-slate-600" aria-live="polite">
        {pending
          ? "Saving…"
          : saved
            ? `Saved by ${saved.updatedByName ?? "someone"} at ${formatTime(saved.updatedAt)}`
            : "Not started"}
        {error && <span className="ml-2 text-red-700">{error}</span>}
      </footer>
    </article>
  );
}
