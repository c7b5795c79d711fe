"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { reopenFromQaAction } from "@/lib/actions/case-actions";
import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";

export function QaReopenForm({ id, version }: { id: string; version: number }) {
  const router = useRouter();
  const [comment, setComment] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  return (
    <form
      className="flex flex-wrap items-center gap-2"
      action={() =>
        start(async () => {
          const r = await reopenFromQaAction({ id, version, comment });
          if (r.ok) router.refresh();
          else setError(r.error.message);
        })
      }
    >
      <input
        aria-label="Why reopen"
        value={comment}
        onChange={(e) => setComment(e.target.value)}
        placeholder="why it is not a false positive"
        className={`w-72 ${inputClass}`}
      />
      <button
        disabled={pending || !comment.trim()}
        className="rounded border border-red-300 px-2 py-1 text-sm text-red-700 disabled:opacity-50"
      >
        Reopen
      </button>
      {error && (
        <span role="alert" className="text-sm text-red-700">
          {error}
        </span>
      )}
    </form>
  );
}

export function QaSampleSizeForm({
  size,
  canWrite,
  action,
}: {
  size: number;
  canWrite: boolean;
  action: (n: number) => Promise<{ ok: boolean }>;
}) {
  const router = useRouter();
  const [pending, start] = useTransition();
  return (
    <form
      className="flex items-center gap-2 text-sm"
      action={(f) =>
        start(async () => {
          await action(Number(f.get("size")));
          router.refresh();
        })
      }
    >
      <label>
        Sample size{" "}
        <input
          name="size"
          type="number"
          min={1}
          max={200}
          defaultValue={size}
          disabled={!canWrite}
          className={`w-20 ${inputClass}`}
        />
      </label>
      {canWrite && (
        <Button type="submit" disabled={pending} size="sm">
          Save
        </Button>
      )}
    </form>
  );
}
