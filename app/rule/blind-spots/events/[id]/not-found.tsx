import Link from "next/link";

export default function EventNotFound() {
  return (
    <div className="space-y-2 rounded-lg border border-slate-200 bg-white p-6">
      <h1 className="text-lg font-semibold">No such event</h1>
      <p className="text-sm text-slate-600">It may have been removed by retention.</p>
      <Link href="/rule/blind-spots" className="text-sm text-blue-700 hover:underline">
        Back to blind spots
      </Link>
    </div>
  );
}
