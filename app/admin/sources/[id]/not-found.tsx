import Link from "next/link";

export default function SourceNotFound() {
  return (
    <div className="space-y-2 rounded-lg border border-slate-200 bg-white p-6">
      <h1 className="text-lg font-semibold">No such source</h1>
      <p className="text-sm text-slate-600">It may have been deleted.</p>
      <Link href="/admin/sources" className="text-sm text-blue-700 hover:underline">
        Back to event sources
      </Link>
    </div>
  );
}
