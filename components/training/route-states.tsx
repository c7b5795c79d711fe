"use client";

import Link from "next/link";

export { PageSkeleton as TrainingSkeleton, PageError as TrainingError } from "@/components/ui/route-states";

export function TrainingNotFound({ what, back }: { what: string; back: string }) {
  return (
    <div className="space-y-2 rounded-lg border border-slate-200 bg-white p-6">
      <h1 className="text-lg font-semibold">{what} not found</h1>
      <p className="text-sm text-slate-600">It does not exist, or it is not yours.</p>
      <Link href={back} className="text-sm text-blue-700 hover:underline">
        Back
      </Link>
    </div>
  );
}
