"use client";

import { useEffect } from "react";
import { Button } from "@/components/ui/button";

const SHORTCUTS: [string, string][] = [
  ["j / k", "move to the next / previous alert"],
  ["Enter", "preview the focused alert beside the list (j / k move it)"],
  ["o", "open the focused alert's full page"],
  ["Esc", "close the preview"],
  ["a", "acknowledge the focused alert"],
  ["c", "close the focused alert (asks for a reason)"],
  ["x", "select / unselect the focused alert"],
  ["?", "show this help"],
];

export function ShortcutsDialog({ onClose }: { onClose: () => void }) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape" || e.key === "?") onClose();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onClose]);
  return (
    <div
      className="fixed inset-0 z-20 flex items-center justify-center bg-slate-900/30"
      role="presentation"
      onClick={onClose}
    >
      <div
        role="dialog"
        aria-modal="true"
        aria-labelledby="shortcuts-title"
        className="w-96 rounded-lg bg-white p-4 shadow-lg"
        onClick={(e) => e.stopPropagation()}
      >
        <h2 id="shortcuts-title" className="mb-2 font-medium">
          Keyboard shortcuts
        </h2>
        <dl className="grid grid-cols-[6rem_1fr] gap-y-1 text-sm">
          {SHORTCUTS.map(([key, what]) => (
            <div key={key} className="contents">
              <dt>
                <kbd className="rounded border border-slate-300 bg-slate-50 px-1.5 font-mono text-xs">{key}</kbd>
              </dt>
              <dd>{what}</dd>
            </div>
          ))}
        </dl>
        <p className="mt-3 text-xs text-slate-600">Not while typing in a field. Esc closes.</p>
        <Button type="button" autoFocus className="mt-3" onClick={onClose}>
          Close
        </Button>
      </div>
    </div>
  );
}
