import Link from "next/link";

export default function AlertNotFound() {
  return (
    <div className="space-y-3 rounded-lg border border-slate-200 bg-white p-6">
      <h1 className="text-lg font-semibold">No such alert</h1>
      <p className="text-sm text-slate-600">The link may be wrong, or the alert&apos;s events were deleted.</p>
      <Link className="text-blue-700 hover:underline" href="/alerts">
        Back to the alerts
      </Link>
    </div>
  );
}
