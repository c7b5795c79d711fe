import Link from "next/link";
import { trainingStatusLabel } from "@/lib/format/labels";
import { requirePageUser } from "@/lib/auth/session";
import { listMyAssignments } from "@/lib/data/training-assignments";
import { canManageTraining } from "@/lib/data/training-rows";
import { Time } from "@/components/ui/time";

export const dynamic = "force-dynamic";

export default async function TrainingPage() {
  const user = await requirePageUser();
  const assignments = await listMyAssignments(user);
  return (
    <div className="space-y-4">
      <div className="flex items-center gap-4">
        <h1 className="text-2xl font-semibold">Training</h1>
        {canManageTraining(user) && (
          <Link href="/training/manage" className="ml-auto rounded bg-slate-900 px-3 py-1.5 text-sm text-white">
            Manage training
          </Link>
        )}
      </div>
      <p className="text-sm text-slate-600">
        Scenarios assigned to you. Their events are training data: they never appear in the alert queue or the metrics.
      </p>
      {assignments.length === 0 ? (
        <p className="rounded-lg border border-slate-200 bg-white p-6 text-slate-600">
          No training assigned to you yet.
        </p>
      ) : (
        <table className="w-full rounded-lg border border-slate-200 bg-white text-sm">
          <thead className="bg-slate-100 text-left text-slate-600">
            <tr>
              {["Scenario", "Assigned by", "Assigned", "Status", "Score"].map((h) => (
                <th key={h} className="px-3 py-2 font-medium">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {assignments.map((a) => (
              <tr key={a.id} className="border-t border-slate-100">
                <td className="px-3 py-2">
                  <Link href={`/training/${a.id}`} className="text-blue-700 hover:underline">
                    {a.title}
                  </Link>
                </td>
                <td className="px-3 py-2">{a.assignedByName ?? "—"}</td>
                <td className="px-3 py-2 whitespace-nowrap">
                  <Time value={a.assignedAt} />
                </td>
                <td className="px-3 py-2">{trainingStatusLabel(a.status)}</td>
                <td className="px-3 py-2">{a.score !== null ? `${a.score} / ${a.maxScore}` : "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
