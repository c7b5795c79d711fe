"use client";

import { useState } from "react";
import { buttonClass } from "./button";

export function CopyButton({ text, label = "Copy" }: { text: string; label?: string }) {
  const [copied, setCopied] = useState<"ok" | "failed" | null>(null);
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setCopied("ok");
    } catch {
      setCopied("failed");
    }
    setTimeout(() => setCopied(null), 2000);
  }
  return (
    <button type="button" onClick={copy} className={buttonClass("secondary", "sm")}>
      {copied === "ok" ? "Copied" : copied === "failed" ? "Copy failed" : label}
    </button>
  );
}
