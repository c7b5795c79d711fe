"use client";

/** The browser's print dialog, where "Save as PDF" gives the clean document the print stylesheet makes. */
export function PrintButton() {
  return (
    <button type="button" className="rounded border border-slate-300 bg-white px-2 py-1" onClick={() => window.print()}>
      Print / Save as PDF
    </button>
  );
}
