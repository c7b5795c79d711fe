import Link from "next/link";
import { trainingStatusLabel } from "@/lib/format/labels";
import { requirePageUser } from "@/lib/auth/session";
import { listMyAssignments } from "@/lib/data/training-assignments";
import { canManageTraining } from "@/lib/data/training-rows";
import { DataTable } from "@/components/ui/data-table";
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
        <DataTable
          rows={assignments}
          columns={[
            {
              header: "Scenario",
              cell: (a) => (
                <Link href={`/training/${a.id}`} className="text-blue-700 hover:underline">
                  {a.title}
                </Link>
              ),
            },
            { header: "Assigned by", cell: (a) => a.assignedByName ?? "—" },
            { header: "Assigned", className: "whitespace-nowrap", cell: (a) => <Time value={a.assignedAt} /> },
            { header: "Status", cell: (a) => trainingStatusLabel(a.status) },
            { header: "Score", cell: (a) => (a.score !== null ? `${a.score} / ${a.maxScore}` : "—") },
          ]}
        />
      )}
    </div>
  );
}
