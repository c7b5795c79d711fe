"use client";

import { Button, ButtonLink } from "./button";

/** The body of every loading.tsx: a heading bar and rows, announced as busy. */
export function PageSkeleton({ label, rows = 6 }: { label: string; rows?: number }) {
  return (
    <div className="space-y-3" aria-busy="true" aria-label={`Loading ${label}`}>
      <div className="h-8 w-64 animate-pulse rounded bg-slate-200" />
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="h-10 animate-pulse rounded bg-slate-100" />
      ))}
    </div>
  );
}

/** The body of every error.tsx: what could not load, the error's reference, Try again and a way home. */
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
      <p className="text-sm text-red-800">
        {error.digest ? `Something went wrong on the server (error reference ${error.digest}).` : error.message}
      </p>
      <div className="flex gap-2">
        <Button variant="primary" onClick={reset}>
          Try again
        </Button>
        <ButtonLink href="/">Home</ButtonLink>
      </div>
    </div>
  );
}
