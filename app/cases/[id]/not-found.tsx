import Link from "next/link";

export default function CaseNotFound() {
  return (
    <div className="space-y-2 rounded-lg border border-slate-200 bg-white p-6">
      <h1 className="text-lg font-semibold">No such case</h1>
      <Link href="/cases" className="text-sm text-blue-700 underline">
        All cases
      </Link>
    </div>
  );
}
