import Link from "next/link";
import { trainingStatusLabel } from "@/lib/format/labels";
import {
  AssignForm,
  DeleteTipButton,
  GuideTipForm,
  InstallPacksButton,
  NewScenarioForm,
} from "@/components/training/manage-forms";
import { DataTable } from "@/components/ui/data-table";
import { requirePageUser } from "@/lib/auth/session";
import { listGuideTips } from "@/lib/data/guide-tips";
import { listAssignmentProgress, listTrainees } from "@/lib/data/training-assignments";
import { listShippedPacks } from "@/lib/data/training-packs";
import { listScenarios } from "@/lib/data/training-scenarios";
import { stepLabel } from "@/lib/training/replay";
import { GUIDE_STEP_IDS, VERDICT_LABELS, type TrainingVerdict } from "@/lib/training/scenario";
import { formatDuration } from "@/lib/training/scoring";

export const dynamic = "force-dynamic";

export default async function TrainingManagePage() {
  const user = await requirePageUser("training:manage");
  const [scenarios, trainees, progress, tips] = [
    await listScenarios(user),
    await listTrainees(user),
    await listAssignmentProgress(user),
    await listGuideTips([...GUIDE_STEP_IDS], { forAnalysts: false }),
  ];
  const packs = listShippedPacks();
  return (
    <div className="space-y-6">
      <div className="flex items-center gap-4">
        <h1 className="text-2xl font-semibold">Training — trainer</h1>
        <Link href="/training" className="ml-auto text-sm text-blue-700 hover:underline">
          My assignments
        </Link>
      </div>

      <section className="space-y-3">
        <h2 className="text-lg font-semibold">Scenarios</h2>
        <InstallPacksButton />
        <DataTable
          testId="scenario-table"
          rows={scenarios}
          empty="No scenarios yet: install the shipped packs or create one."
          columns={[
            {
              header: "Scenario",
              cell: (s) => (
                <>
                  <Link href={`/training/manage/scenarios/${s.id}`} className="text-blue-700 hover:underline">
                    {s.title}
                  </Link>
                  {s.packId && <span className="ml-2 rounded bg-slate-100 px-1.5 py-0.5 text-xs">pack</span>}
                </>
              ),
            },
            {
              header: "Expected verdict",
              cell: (s) => VERDICT_LABELS[s.expectedVerdict as TrainingVerdict]?.split(" — ")[0] ?? s.expectedVerdict,
            },
            { header: "Events", cell: (s) => s.eventCount },
            { header: "Questions", cell: (s) => s.questionCount },
            { header: "Assigned", cell: (s) => s.assignmentCount },
            { header: "Source", className: "max-w-sm text-xs text-slate-600", cell: (s) => s.sourceNote },
            {
              header: "",
              className: "whitespace-nowrap",
              cell: (s) => (
                <Link href={`/training/present/${s.id}`} className="text-blue-700 hover:underline">
                  Present
                </Link>
              ),
            },
          ]}
        />
        <NewScenarioForm packs={packs} />
      </section>

      <section className="space-y-3">
        <h2 className="text-lg font-semibold">Assignments</h2>
        {scenarios.length > 0 && <AssignForm scenarios={scenarios} trainees={trainees} />}
        <DataTable
          testId="progress-table"
          rows={progress}
          empty="Nothing assigned yet."
          columns={[
            { header: "Trainee", cell: (a) => a.traineeName },
            { header: "Scenario", cell: (a) => a.scenarioTitle },
            { header: "Status", cell: (a) => trainingStatusLabel(a.status) },
            {
              header: "Score",
              testId: "progress-score",
              cell: (a) => (a.score !== null ? `${a.score} / ${a.maxScore}` : "—"),
            },
            { header: "Hints", cell: (a) => a.hintsTaken },
            {
              header: "Time per step",
              className: "text-xs",
              cell: (a) =>
                a.steps.map((s) => (
                  <div key={s.stepId}>
                    {stepLabel(s.stepId)}: {formatDuration(s.ms)}
                  </div>
                )),
            },
            {
              header: "",
              cell: (a) => (
                <Link href={`/training/manage/assignments/${a.id}/replay`} className="text-blue-700 hover:underline">
                  Replay
                </Link>
              ),
            },
          ]}
        />
      </section>

      <section className="space-y-3">
        <h2 className="text-lg font-semibold">Guide tips</h2>
        <div className="rounded-lg border border-slate-200 bg-white p-4">
          <GuideTipForm
            steps={GUIDE_STEP_IDS.map((id) => ({
              id,
              label: id === "overview" ? "Overview: why it matched" : stepLabel(id),
            }))}
          />
          <ul className="mt-4 space-y-2 text-sm">
            {tips.map((t) => (
              <li key={t.id} className="rounded bg-slate-50 px-3 py-2">
                <span className="font-medium">{stepLabel(t.stepId)}</span>
                {t.visibleToAll && (
                  <span className="ml-2 rounded bg-sky-100 px-1.5 py-0.5 text-xs text-sky-900">
                    visible to analysts
                  </span>
                )}
                <span className="ml-2 text-xs text-slate-600">{t.authorName ?? ""}</span>{" "}
                <DeleteTipButton tipId={t.id} />
                <p className="whitespace-pre-wrap">{t.text}</p>
              </li>
            ))}
          </ul>
        </div>
      </section>
    </div>
  );
}
