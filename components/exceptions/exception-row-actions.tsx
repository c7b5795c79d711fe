"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import {
  closeMatchingAlertsAction,
  deleteExceptionAction,
  setExceptionEnabledAction,
} from "@/lib/actions/exception-actions";
import { describeClosedByException } from "@/lib/exceptions/close-summary";

export function ExceptionRowActions({
  id,
  name,
  enabled,
  updatedAt,
}: {
  id: string;
  name: string;
  enabled: boolean;
  updatedAt: string;
}) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const run = (fn: () => Promise<{ ok: true } | { ok: false; error: { message: string } }>) =>
    start(async () => {
      setError(null);
      setDone(null);
      const res = await fn();
      if (!res.ok) setError(res.error.message);
      router.refresh();
    });

  return (
    <div className="flex flex-wrap items-center gap-3 text-sm">
      <Link className="text-blue-700 hover:underline" href={`/exceptions/${id}`}>
        Edit
      </Link>
      <button
        type="button"
        disabled={pending}
        className="text-slate-700 hover:underline"
        onClick={() => run(() => setExceptionEnabledAction(id, !enabled, updatedAt))}
      >
        {enabled ? "Disable" : "Enable"}
      </button>
      <button
        type="button"
        disabled={pending}
        className="text-red-700 hover:underline"
        onClick={() => {
          if (window.confirm(`Delete the exception "${name}"? The audit log keeps its history.`))
            run(() => deleteExceptionAction(id, updatedAt));
        }}
      >
        Delete
      </button>
      <button
        type="button"
        disabled={pending}
        className="text-slate-700 hover:underline"
        onClick={() => {
          if (
            window.confirm(
              `Close every open or acknowledged alert that "${name}" matches as benign positive, ` +
                `with the note "closed by exception", even where mandatory steps are unfinished?`,
            )
          )
            run(async () => {
              const res = await closeMatchingAlertsAction(id);
              if (res.ok) setDone(describeClosedByException(res.closed));
              return res;
            });
        }}
      >
        Close matching open alerts
      </button>
      {done && (
        <span role="status" className="basis-full text-green-800">
          {done}
        </span>
      )}
      {error && (
        <span role="alert" className="basis-full text-red-700">
          {error}
        </span>
      )}
    </div>
  );
}
