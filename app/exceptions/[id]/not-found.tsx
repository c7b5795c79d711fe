import Link from "next/link";

export default function ExceptionNotFound() {
  return (
    <div className="space-y-3 rounded-lg border border-slate-200 bg-white p-6">
      <h1 className="text-lg font-semibold">No such exception</h1>
      <p className="text-sm text-slate-600">It may have been deleted; the audit log keeps its history.</p>
      <Link className="text-blue-700 hover:underline" href="/exceptions">
        Back to exceptions
      </Link>
    </div>
  );
}
