"use client";

import { useState, useTransition } from "react";
import { pinHuntHitAction } from "@/lib/actions/hunt-actions";
import { Button } from "@/components/ui/button";

/** Pin one hunted event as evidence to an alert (its id) or a case (#number). */
export function PinForm({ eventId, query, defaultTarget }: { eventId: string; query: string; defaultTarget: string }) {
  const [target, setTarget] = useState(defaultTarget);
  const [note, setNote] = useState("");
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [pending, startTransition] = useTransition();
  return (
    <form
      className="flex flex-wrap items-center gap-2 text-xs"
      onSubmit={(e) => {
        e.preventDefault();
        startTransition(async () => {
          const r = await pinHuntHitAction({ eventId, target, query, note });
          setMessage(r.ok ? { ok: true, text: `Pinned to ${r.target}` } : { ok: false, text: r.error.message });
        });
      }}
    >
      <input
        aria-label="Pin to alert id or case #number"
        value={target}
        onChange={(e) => setTarget(e.target.value)}
        placeholder="alert id or #case"
        className="w-44 rounded border border-slate-300 px-2 py-0.5"
      />
      <input
        aria-label="Evidence note"
        value={note}
        onChange={(e) => setNote(e.target.value)}
        placeholder="note (optional)"
        className="w-48 rounded border border-slate-300 px-2 py-0.5"
      />
      <Button type="submit" disabled={pending || !target.trim()} size="sm">
        Pin as evidence
      </Button>
      {message && <span className={message.ok ? "text-emerald-700" : "text-red-700"}>{message.text}</span>}
    </form>
  );
}
