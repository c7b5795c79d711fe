import Link from "next/link";
import { notFound } from "next/navigation";
import { TraineeWorkspace } from "@/components/training/trainee-workspace";
import { requirePageUser } from "@/lib/auth/session";
import { getTraineeWorkspace } from "@/lib/data/training-trainee";
import { isNotFound } from "@/lib/training/not-found";

export const dynamic = "force-dynamic";

export default async function TrainingAssignmentPage({ params }: { params: Promise<{ assignmentId: string }> }) {
  const { assignmentId } = await params;
  const user = await requirePageUser();
  const workspace = await getTraineeWorkspace(user, assignmentId).catch((error: unknown) => {
    if (isNotFound(error)) notFound();
    throw error;
  });
  return (
    <div className="space-y-4">
      <Link href="/training" className="text-sm text-blue-700 hover:underline">
        ← My training
      </Link>
      <div>
        <p className="text-xs uppercase tracking-wide text-slate-600">Training scenario · {workspace.ruleName}</p>
        <h1 className="text-2xl font-semibold">{workspace.title}</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-700">{workspace.description}</p>
        <p className="mt-1 text-sm text-slate-600">
          Open each step, answer its questions, then give your verdict. Hints cost points. Maximum {workspace.maxScore}{" "}
          points.
        </p>
      </div>
      <TraineeWorkspace workspace={workspace} />
    </div>
  );
}
