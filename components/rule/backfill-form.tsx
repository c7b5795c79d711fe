"use client";

import { useState, useTransition } from "react";
import { startBackfillAction } from "@/lib/actions/rule-actions";
import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";

const toLocalUtc = (d: Date) => d.toISOString().slice(0, 16);

const MINUTE = 60_000;

function rangeFor(initial?: { start: string; end: string }) {
  if (initial) {
    const start = Math.floor(Date.parse(initial.start) / MINUTE) * MINUTE;
    const end = Math.ceil((Date.parse(initial.end) + 1) / MINUTE) * MINUTE;
    return { start: toLocalUtc(new Date(start)), end: toLocalUtc(new Date(end)) };
  }
  const end = new Date();
  return { start: toLocalUtc(new Date(end.getTime() - 3_600_000)), end: toLocalUtc(end) };
}

/**
 * Start/end in UTC (datetime-local inputs carry no zone; the action reads them as UTC). `initial`
 * pre-fills a range (the events stored while the rule was disabled), widened to whole minutes.
 */
export function BackfillForm({
  interval,
  maxDays,
  initial,
}: {
  interval: string;
  maxDays: number;
  initial?: { start: string; end: string };
}) {
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [started, setStarted] = useState<string | null>(null);
  // A new offer (the rule was just enabled again) fills the range in afresh; the offer going away
  // (a backfill was started) keeps the form and its "Backfill started" message.
  const offerKey = initial ? `${initial.start}/${initial.end}` : null;
  const [seenOffer, setSeenOffer] = useState(offerKey);
  const [defaults, setDefaults] = useState(() => rangeFor(initial));
  if (offerKey !== null && offerKey !== seenOffer) {
    setSeenOffer(offerKey);
    setDefaults(rangeFor(initial));
  }

  const submit = (form: FormData) =>
    start(async () => {
      setError(null);
      setStarted(null);
      const result = await startBackfillAction({
        start: String(form.get("start") ?? ""),
        end: String(form.get("end") ?? ""),
        capped: form.get("capped") === "on",
      });
      if (result.ok) setStarted(`Backfill started: ${result.windowsTotal} windows of ${interval}.`);
      else setError(result.error.message);
    });

  return (
    <form action={submit} aria-label="Backfill" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
      <h3 className="font-medium">Backfill</h3>
      <p className="text-sm text-slate-600">
        Runs the rule over a past range, window by window ({interval} each, on the timestamp override), up to {maxDays}{" "}
        days. Times are UTC.
      </p>
      <div className="flex flex-wrap items-end gap-3 text-sm">
        <label className="flex flex-col gap-1">
          <span>Start (UTC)</span>
          <input
            name="start"
            type="datetime-local"
            required
            key={`start-${defaults.start}`}
            defaultValue={defaults.start}
            className={inputClass}
          />
        </label>
        <label className="flex flex-col gap-1">
          <span>End (UTC)</span>
          <input
            name="end"
            type="datetime-local"
            required
            key={`end-${defaults.end}`}
            defaultValue={defaults.end}
            className={inputClass}
          />
        </label>
        <label className="flex items-center gap-2 pb-1">
          <input name="capped" type="checkbox" defaultChecked />
          <span>Capped per window like real runs</span>
        </label>
        <Button type="submit" disabled={pending} variant="primary">
          {pending ? "Starting…" : "Start backfill"}
        </Button>
      </div>
      <p className="text-xs text-slate-600">
        Unchecked, each window creates every alert it finds (uncapped): choose that only on purpose.
      </p>
      {error && (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      )}
      {started && (
        <p role="status" className="text-sm text-emerald-800">
          {started}
        </p>
      )}
    </form>
  );
}
