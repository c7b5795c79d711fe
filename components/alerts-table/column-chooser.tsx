"use client";

import { useState } from "react";
import type { ColumnPrefs } from "./use-column-prefs";
import { Button } from "@/components/ui/button";

/** Show/hide and reorder the table's columns; the parent persists the choice. */
export function ColumnChooser({
  labels,
  prefs,
  onChange,
  onReset,
}: {
  labels: Record<string, string>;
  prefs: ColumnPrefs;
  onChange: (p: ColumnPrefs) => void;
  onReset: () => void;
}) {
  const [open, setOpen] = useState(false);
  const move = (id: string, delta: number) => {
    const order = [...prefs.order];
    const i = order.indexOf(id);
    const j = i + delta;
    if (j < 0 || j >= order.length) return;
    [order[i], order[j]] = [order[j], order[i]];
    onChange({ ...prefs, order });
  };
  const toggle = (id: string) =>
    onChange({
      ...prefs,
      hidden: prefs.hidden.includes(id) ? prefs.hidden.filter((h) => h !== id) : [...prefs.hidden, id],
    });
  return (
    <div className="relative">
      <Button type="button" size="sm" aria-expanded={open} onClick={() => setOpen(!open)}>
        Columns
      </Button>
      {open && (
        <div
          className="absolute right-0 z-10 mt-1 w-64 rounded-lg border border-slate-200 bg-white p-2 shadow-lg"
          role="dialog"
          aria-label="Choose columns"
        >
          <ul className="space-y-1">
            {prefs.order.map((id, i) => (
              <li key={id} className="flex items-center gap-2 text-sm">
                <label className="flex flex-1 items-center gap-2">
                  <input type="checkbox" checked={!prefs.hidden.includes(id)} onChange={() => toggle(id)} />
                  {labels[id] ?? id}
                </label>
                <button
                  type="button"
                  aria-label={`Move ${labels[id]} up`}
                  disabled={i === 0}
                  className="px-1 disabled:opacity-30"
                  onClick={() => move(id, -1)}
                >
                  ↑
                </button>
                <button
                  type="button"
                  aria-label={`Move ${labels[id]} down`}
                  disabled={i === prefs.order.length - 1}
                  className="px-1 disabled:opacity-30"
                  onClick={() => move(id, 1)}
                >
                  ↓
                </button>
              </li>
            ))}
          </ul>
          <button type="button" className="mt-2 text-xs text-blue-700 hover:underline" onClick={onReset}>
            Reset to default
          </button>
        </div>
      )}
    </div>
  );
}
