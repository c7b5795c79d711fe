"use client";

import { Button } from "@/components/ui/button";

/** The browser's print dialog, where "Save as PDF" gives the clean document the print stylesheet makes. */
export function PrintButton() {
  return (
    <Button type="button" size="sm" onClick={() => window.print()}>
      Print / Save as PDF
    </Button>
  );
}
