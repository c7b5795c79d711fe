"use client";

import "./globals.css";

/**
 * When the root layout itself fails (the database is down while reading the user): the whole
 * document, without the nav, in the system's theme; Try again re-renders the layout.
 */
export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en" className="theme-system">
      <body className="min-h-screen bg-slate-50 font-sans text-slate-900 antialiased">
        <main className="mx-auto max-w-xl px-4 py-16">
          <div role="alert" className="space-y-3 rounded-lg border border-red-200 bg-red-50 p-6">
            <h1 className="text-lg font-semibold text-red-800">wmi-triage could not load</h1>
            <p className="text-sm text-red-800">
              {error.digest ? `Something went wrong on the server (error reference ${error.digest}).` : error.message}
            </p>
            <button
              type="button"
              onClick={reset}
              className="focus-ring rounded bg-slate-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-700"
            >
              Try again
            </button>
          </div>
        </main>
      </body>
    </html>
  );
}
