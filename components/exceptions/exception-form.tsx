"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMemo, useState, useTransition } from "react";
import { WhatIfPanel } from "@/components/exceptions/what-if-panel";
import { createExceptionAction, updateExceptionAction, whatIfExceptionAction } from "@/lib/actions/exception-actions";
import type { WhatIfResult } from "@/lib/data/exception-what-if";
import { describeClosedByException } from "@/lib/exceptions/close-summary";
import {
  CONDITION_OPERATORS,
  OPERATOR_LABELS,
  operatorTakes,
  type ConditionOperator,
  type ExceptionCondition,
} from "@/lib/exceptions/conditions";
import { Button } from "@/components/ui/button";

interface ConditionRow {
  key: number;
  field: string;
  operator: ConditionOperator;
  value: string;
  /** one value per line */
  valuesText: string;
  caseSensitive: boolean;
  hint?: string;
}

export interface ExceptionFormProps {
  mode: "create" | "edit";
  id?: string;
  updatedAt?: string;
  initial: {
    name: string;
    comment: string;
    expiresAt: string | null;
    enabled: boolean;
    conditions: ExceptionCondition[];
  };
  /** suggested conditions from an alert that are not selected yet */
  suggestions?: { condition: ExceptionCondition; hint: string }[];
  hints?: Record<number, string>;
}

let nextKey = 1;
const toRow = (c: ExceptionCondition, hint?: string): ConditionRow => ({
  key: nextKey++,
  field: c.field,
  operator: c.operator,
  value: c.value ?? "",
  valuesText: (c.values ?? []).join("\n"),
  caseSensitive: c.caseSensitive,
  hint,
});

const toCondition = (r: ConditionRow): ExceptionCondition => {
  const takes = operatorTakes(r.operator);
  return {
    field: r.field.trim(),
    operator: r.operator,
    caseSensitive: r.caseSensitive,
    ...(takes === "value" ? { value: r.value } : {}),
    ...(takes === "values"
      ? {
          values: r.valuesText
            .split("\n")
            .map((v) => v.replace(/\r$/, ""))
            .filter((v) => v !== ""),
        }
      : {}),
  };
};

/** `datetime-local` wants local time without zone. */
function toLocalInput(iso: string | null): string {
  if (!iso) return "";
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function ExceptionForm({ mode, id, updatedAt, initial, suggestions = [], hints = {} }: ExceptionFormProps) {
  const router = useRouter();
  const [name, setName] = useState(initial.name);
  const [comment, setComment] = useState(initial.comment);
  const [expires, setExpires] = useState(toLocalInput(initial.expiresAt));
  const [enabled, setEnabled] = useState(initial.enabled);
  const [rows, setRows] = useState<ConditionRow[]>(() => initial.conditions.map((c, i) => toRow(c, hints[i])));
  const [remaining, setRemaining] = useState(suggestions);
  const [closeMatching, setCloseMatching] = useState(false);
  const [whatIf, setWhatIf] = useState<{ result: WhatIfResult; snapshot: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const [previewing, startPreview] = useTransition();

  const conditions = useMemo(() => rows.map(toCondition), [rows]);
  const snapshot = JSON.stringify(conditions);

  const update = (key: number, patch: Partial<ConditionRow>) =>
    setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const remove = (key: number) => setRows((rs) => rs.filter((r) => r.key !== key));
  const addRow = (c?: ExceptionCondition, hint?: string) =>
    setRows((rs) => [...rs, toRow(c ?? { field: "", operator: "is", value: "", caseSensitive: true }, hint)]);

  const runWhatIf = () =>
    startPreview(async () => {
      setError(null);
      const res = await whatIfExceptionAction(conditions);
      if (res.ok) setWhatIf({ result: res.result, snapshot });
      else setError(res.error.message);
    });

  const save = () =>
    startTransition(async () => {
      setError(null);
      setMessage(null);
      const input = { name, comment, conditions, enabled, expiresAt: expires ? new Date(expires).toISOString() : null };
      const res =
        mode === "create"
          ? await createExceptionAction(input, closeMatching)
          : await updateExceptionAction(id!, input, updatedAt!, closeMatching);
      if (!res.ok) {
        setError(res.error.message);
        return;
      }
      const note = res.closed ? `Saved. ${describeClosedByException(res.closed)}` : "Saved.";
      router.push(`/exceptions?saved=${encodeURIComponent(note)}`);
      router.refresh();
    });

  const inputClass = "rounded border border-slate-300 px-2 py-1 text-sm";

  return (
    <div className="space-y-5">
      <div className="grid gap-3 sm:grid-cols-2">
        <label className="block text-sm">
          <span className="font-medium">Name</span>
          <input
            className={`${inputClass} mt-1 w-full`}
            value={name}
            onChange={(e) => setName(e.target.value)}
            maxLength={200}
            required
          />
        </label>
        <label className="block text-sm">
          <span className="font-medium">Expires</span>{" "}
          <span className="text-slate-600">(optional; after this it no longer applies)</span>
          <input
            type="datetime-local"
            className={`${inputClass} mt-1 w-full`}
            value={expires}
            onChange={(e) => setExpires(e.target.value)}
          />
        </label>
      </div>
      <label className="block text-sm">
        <span className="font-medium">Comment</span> <span className="text-slate-600">(why this is safe to skip)</span>
        <textarea
          className={`${inputClass} mt-1 w-full`}
          rows={2}
          value={comment}
          onChange={(e) => setComment(e.target.value)}
          maxLength={4000}
        />
      </label>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} /> Enabled
      </label>

      <fieldset className="space-y-2 rounded-lg border border-slate-200 bg-white p-4">
        <legend className="px-1 text-sm font-medium">Conditions — all must hold (AND)</legend>
        <p className="text-xs text-slate-600">
          Like Kibana, values are compared case-sensitively unless you untick &ldquo;Case-sensitive&rdquo;. Negative
          operators (is not, does not match…) also hold on events without the field. In &ldquo;matches&rdquo;,{" "}
          <code>*</code> is any text and <code>?</code> one character.
        </p>
        {rows.length === 0 && <p className="text-sm text-amber-800">Add at least one condition.</p>}
        {rows.map((r, i) => {
          const takes = operatorTakes(r.operator);
          return (
            <div
              key={r.key}
              className="flex flex-wrap items-start gap-2 border-t border-slate-100 pt-2"
              data-testid="condition-row"
            >
              <input
                aria-label={`Field ${i + 1}`}
                className={`${inputClass} w-72 font-mono`}
                placeholder="host.name"
                value={r.field}
                onChange={(e) => update(r.key, { field: e.target.value })}
              />
              <select
                aria-label={`Operator ${i + 1}`}
                className={inputClass}
                value={r.operator}
                onChange={(e) => update(r.key, { operator: e.target.value as ConditionOperator })}
              >
                {CONDITION_OPERATORS.map((op) => (
                  <option key={op} value={op}>
                    {OPERATOR_LABELS[op]}
                  </option>
                ))}
              </select>
              {takes === "value" && (
                <input
                  aria-label={`Value ${i + 1}`}
                  className={`${inputClass} literal min-w-72 flex-1`}
                  value={r.value}
                  onChange={(e) => update(r.key, { value: e.target.value })}
                />
              )}
              {takes === "values" && (
                <textarea
                  aria-label={`Values ${i + 1} (one per line)`}
                  className={`${inputClass} literal min-w-72 flex-1`}
                  rows={3}
                  placeholder="one value per line"
                  value={r.valuesText}
                  onChange={(e) => update(r.key, { valuesText: e.target.value })}
                />
              )}
              {takes !== "none" && (
                <label
                  className={`flex items-center gap-1 rounded px-2 py-1 text-xs ${r.caseSensitive ? "bg-slate-100" : "bg-amber-100 text-amber-900"}`}
                >
                  <input
                    type="checkbox"
                    aria-label={`Case-sensitive ${i + 1}`}
                    checked={r.caseSensitive}
                    onChange={(e) => update(r.key, { caseSensitive: e.target.checked })}
                  />
                  Case-sensitive
                </label>
              )}
              <button type="button" className="text-sm text-red-700 hover:underline" onClick={() => remove(r.key)}>
                Remove
              </button>
              {r.hint && <p className="basis-full text-xs text-slate-600">{r.hint}</p>}
            </div>
          );
        })}
        <div className="flex flex-wrap gap-2 pt-2">
          <Button type="button" onClick={() => addRow()}>
            Add condition
          </Button>
          {remaining.map((s, i) => (
            <button
              key={`${s.condition.field}-${i}`}
              type="button"
              className="rounded border border-dashed border-slate-400 px-2 py-1 text-sm"
              title={s.hint}
              onClick={() => {
                addRow(s.condition, s.hint);
                setRemaining((rs) => rs.filter((x) => x !== s));
              }}
            >
              + {s.condition.field}
            </button>
          ))}
        </div>
      </fieldset>

      <div className="space-y-2">
        <Button
          type="button"

          disabled={previewing || rows.length === 0}
          onClick={runWhatIf}
        >
          {previewing ? "Counting…" : "Preview impact (what-if)"}
        </Button>
        {whatIf && <WhatIfPanel result={whatIf.result} stale={whatIf.snapshot !== snapshot} />}
      </div>

      <div className="flex flex-wrap items-center gap-3 border-t border-slate-200 pt-4">
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={closeMatching} onChange={(e) => setCloseMatching(e.target.checked)} />
          After saving, close the matching open alerts as benign positive (even with unfinished mandatory steps; each is
          audited as closed by this exception)
        </label>
        <Button type="button" variant="primary" disabled={pending || rows.length === 0 || !name.trim()} onClick={save}>
          {pending ? "Saving…" : mode === "create" ? "Save exception" : "Save changes"}
        </Button>
        <Link href="/exceptions" className="text-sm text-slate-600 hover:underline">
          Cancel
        </Link>
        {whatIf && whatIf.result.truePositives > 0 && whatIf.snapshot === snapshot && (
          <span className="text-sm font-semibold text-red-700">
            This exception would hide {whatIf.result.truePositives} true positive(s).
          </span>
        )}
      </div>
      {error && (
        <p role="alert" className="rounded border border-red-200 bg-red-50 p-2 text-sm text-red-800">
          {error}
        </p>
      )}
      {message && <p className="text-sm text-green-800">{message}</p>}
    </div>
  );
}
