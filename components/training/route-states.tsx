"use client";

import Link from "next/link";

export function TrainingSkeleton({ label }: { label: string }) {
  return (
    <div className="space-y-3" aria-busy="true" aria-label={`Loading ${label}`}>
      <div className="h-8 w-72 animate-pulse rounded bg-slate-200" />
      {Array.from({ length: 5 }, (_, i) => (
        <div key={i} className="h-12 animate-pulse rounded bg-slate-100" />
      ))}
    </div>
  );
}

export function TrainingError({
  error,
  reset,
  what,
}: {
  error: Error & { digest?: string };
  reset: () => void;
  what: string;
}) {
  return (
    <div role="alert" className="space-y-3 rounded-lg border border-red-200 bg-red-50 p-6">
      <h1 className="text-lg font-semibold text-red-800">Could not load {what}</h1>
      <p className="text-sm text-red-700">{error.digest ? `Error reference ${error.digest}.` : error.message}</p>
      <button onClick={reset} className="rounded bg-slate-900 px-3 py-1.5 text-sm text-white">
        Try again
      </button>
    </div>
  );
}

export function TrainingNotFound({ what, back }: { what: string; back: string }) {
  return (
    <div className="space-y-2 rounded-lg border border-slate-200 bg-white p-6">
      <h1 className="text-lg font-semibold">{what} not found</h1>
      <p className="text-sm text-slate-600">It does not exist, or it is not yours.</p>
      <Link href={back} className="text-sm text-blue-700 hover:underline">
        Back
      </Link>
    </div>
  );
}
