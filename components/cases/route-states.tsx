"use client";

/** Shared bodies for the loading.tsx / error.tsx files of the lead and admin pages. */
export function PageSkeleton({ label }: { label: string }) {
  return (
    <div className="space-y-3" aria-busy="true" aria-label={`Loading ${label}`}>
      <div className="h-8 w-64 animate-pulse rounded bg-slate-200" />
      {Array.from({ length: 6 }, (_, i) => (
        <div key={i} className="h-10 animate-pulse rounded bg-slate-100" />
      ))}
    </div>
  );
}

export function PageError({
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
