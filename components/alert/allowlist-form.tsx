"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { setFpAllowlistAction } from "@/lib/actions/alert-step-actions";
import { Button } from "@/components/ui/button";

/** Leads edit the false-positive allowlist (setting `fpAllowlist`) as JSON, right where its effect shows. */
export function AllowlistForm({
  alertId,
  json,
  updatedAt,
}: {
  alertId: string;
  json: string;
  updatedAt: string | null;
}) {
  const router = useRouter();
  const [text, setText] = useState(json);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [pending, startTransition] = useTransition();
  function save() {
    setMessage(null);
    startTransition(async () => {
      const result = await setFpAllowlistAction({ json: text, expectedUpdatedAt: updatedAt, alertId });
      if (result.ok) {
        setMessage({ ok: true, text: result.message });
        router.refresh();
      } else {
        setMessage({ ok: false, text: result.error.message });
      }
    });
  }
  return (
    <div className="space-y-2">
      <textarea
        aria-label="Allowlist JSON"
        className="literal w-full rounded border border-slate-300 p-2 text-xs"
        rows={10}
        value={text}
        spellCheck={false}
        onChange={(e) => setText(e.target.value)}
      />
      <div className="flex items-center gap-3">
        <Button type="button" onClick={save} disabled={pending} variant="primary">
          Save allowlist
        </Button>
        {message && (
          <span role="status" className={`text-sm ${message.ok ? "text-emerald-700" : "text-red-700"}`}>
            {message.text}
          </span>
        )}
      </div>
    </div>
  );
}
