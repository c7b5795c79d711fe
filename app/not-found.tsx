import Link from "next/link";

/** Any unknown address: the app's own page, answered with HTTP 404. */
export default function NotFound() {
  return (
    <div className="space-y-3 rounded-lg border border-slate-200 bg-white p-6" data-testid="not-found">
      <h1 className="text-lg font-semibold">Page not found</h1>
      <p className="text-sm text-slate-600">
        There is nothing at this address. Check the link, or start from the alerts.
      </p>
      <Link className="text-blue-700 hover:underline" href="/alerts">
        Go to the alerts
      </Link>
    </div>
  );
}
