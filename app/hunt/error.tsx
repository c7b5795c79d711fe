"use client";

export default function HuntError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div role="alert" className="space-y-3 rounded-lg border border-red-200 bg-red-50 p-6">
      <h1 className="text-lg font-semibold text-red-800">Could not load the hunt</h1>
      <p className="text-sm text-red-700">{error.digest ? `Error reference ${error.digest}.` : error.message}</p>
      <button type="button" onClick={reset} className="rounded bg-slate-900 px-3 py-1.5 text-sm text-white">
        Try again
      </button>
    </div>
  );
}
