"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { deleteSourceAction, pollSourceNowAction } from "@/lib/actions/source-actions";
import { Button } from "@/components/ui/button";

export function PollNowButton({ id, name }: { id: string; name: string }) {
  const [pending, start] = useTransition();
  const [message, setMessage] = useState<{ kind: "ok" | "error"; text: string } | null>(null);
  const router = useRouter();
  return (
    <span className="inline-flex items-center gap-2">
      <Button
        type="button"
        disabled={pending}
        aria-label={`Poll ${name} now`}
        onClick={() =>
          start(async () => {
            const r = await pollSourceNowAction(id);
            setMessage(r.ok ? { kind: "ok", text: r.message } : { kind: "error", text: r.error.message });
            router.refresh();
          })
        }
      >
        {pending ? "Polling…" : "Poll now"}
      </Button>
      {message && (
        <span
          role={message.kind === "error" ? "alert" : "status"}
          className={`literal text-xs ${message.kind === "error" ? "text-red-700" : "text-green-700"}`}
        >
          {message.text}
        </span>
      )}
    </span>
  );
}

export function DeleteSourceButton({ id, name, version }: { id: string; name: string; version: string }) {
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const router = useRouter();
  return (
    <span className="inline-flex items-center gap-2">
      <button
        type="button"
        disabled={pending}
        onClick={() => {
          if (!confirm(`Delete the source “${name}”? Events already taken stay.`)) return;
          start(async () => {
            const r = await deleteSourceAction(id, version);
            if (!r.ok) return setError(r.error.message);
            router.push("/admin/sources");
            router.refresh();
          });
        }}
        className="rounded border border-red-300 px-2 py-1 text-sm text-red-700 disabled:opacity-50"
      >
        Delete source
      </button>
      {error && (
        <span role="alert" className="text-sm text-red-700">
          {error}
        </span>
      )}
    </span>
  );
}
