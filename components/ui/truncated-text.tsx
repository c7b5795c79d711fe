"use client";

import { useState } from "react";
import { Dialog } from "./dialog";
import { CopyButton } from "./copy-button";
import { formatCount } from "@/lib/format/count";

/**
 * Attacker-controlled text in a table cell: one line, cut at `max` characters (never mid-word
 * by the browser, never widening the table), with the full value on demand in a dialog with a
 * Copy button. A 20,000-character consumer name stays a 60-character cell.
 */
export function TruncatedText({
  value,
  max = 60,
  label = "value",
  className = "",
  wrap = false,
}: {
  value: string | null | undefined;
  max?: number;
  /** what the value is, for the dialog's title and the button's name ("consumer name") */
  label?: string;
  className?: string;
  /** wrap over several lines (a value in prose) instead of one cut line (a table cell) */
  wrap?: boolean;
}) {
  const [open, setOpen] = useState(false);
  if (value === null || value === undefined || value === "") return <span className="text-slate-600">—</span>;
  const chars = [...value];
  const look = wrap ? "literal" : "literal-id";
  if (chars.length <= max) return <span className={`${look} ${className}`}>{value}</span>;
  return (
    <span className={`${wrap ? "inline" : "inline-flex max-w-full items-baseline gap-1"} ${className}`}>
      <span className={wrap ? "literal" : "literal-id truncate"} title={chars.slice(0, 500).join("")}>
        {chars.slice(0, max).join("")}…
      </span>
      <button
        type="button"
        className="focus-ring shrink-0 rounded px-1 text-xs text-blue-700 underline"
        onClick={(e) => {
          e.stopPropagation();
          setOpen(true);
        }}
        aria-label={`Show the whole ${label} (${formatCount(chars.length)} characters)`}
      >
        {formatCount(chars.length)} chars
      </button>
      {open && (
        <Dialog
          title={`Whole ${label} · ${formatCount(chars.length)} characters`}
          onClose={() => setOpen(false)}
          className="w-[48rem]"
        >
          <pre tabIndex={0} className="literal max-h-[60vh] overflow-auto rounded bg-slate-100 p-2 text-xs">
            {value}
          </pre>
          <div className="mt-3 flex justify-end gap-2">
            <CopyButton text={value} />
            <button
              type="button"
              className="focus-ring rounded border border-slate-300 px-3 py-1 text-sm"
              onClick={() => setOpen(false)}
            >
              Close
            </button>
          </div>
        </Dialog>
      )}
    </span>
  );
}
