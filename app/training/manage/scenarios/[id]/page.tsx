import Link from "next/link";
import { notFound } from "next/navigation";
import { ScenarioEditor } from "@/components/training/scenario-editor";
import { requirePageUser } from "@/lib/auth/session";
import { getScenarioForEdit } from "@/lib/data/training-scenarios";
import { isNotFound } from "@/lib/training/not-found";
import { guideStepOptions } from "@/lib/training/replay";

export const dynamic = "force-dynamic";

export default async function ScenarioEditPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requirePageUser("training:manage");
  const scenario = await getScenarioForEdit(user, id).catch((error: unknown) => {
    if (isNotFound(error)) notFound();
    throw error;
  });
  return (
    <div className="space-y-4">
      <Link href="/training/manage" className="text-sm text-blue-700 hover:underline">
        ← Training
      </Link>
      <h1 className="text-2xl font-semibold">{scenario.title}</h1>
      <p className="text-sm text-slate-600">
        {scenario.eventCount} events, {scenario.matchCount} matching the rule
        {scenario.packId ? ` · pack ${scenario.packId}` : ""} ·{" "}
        <Link href={`/training/present/${scenario.id}`} className="text-blue-700 hover:underline">
          Present
        </Link>
      </p>
      <p className="text-xs text-slate-600">Source: {scenario.sourceNote || "—"}</p>
      <ScenarioEditor
        key={scenario.updatedAt.toISOString()}
        scenario={{ ...scenario, updatedAt: scenario.updatedAt.toISOString() }}
        steps={guideStepOptions()}
      />
    </div>
  );
}
