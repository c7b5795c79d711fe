import Link from "next/link";
import { trainingStatusLabel } from "@/lib/format/labels";
import { notFound } from "next/navigation";
import { KeyboardNav } from "@/components/training/keyboard-nav";
import { requirePageUser } from "@/lib/auth/session";
import { getAssignmentReplay } from "@/lib/data/training-assignments";
import { isNotFound } from "@/lib/training/not-found";
import { stepLabel } from "@/lib/training/replay";
import { formatDuration } from "@/lib/training/scoring";

export const dynamic = "force-dynamic";

export default async function ReplayPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ frame?: string }>;
}) {
  const { id } = await params;
  const { frame: frameParam } = await searchParams;
  const user = await requirePageUser("training:manage");
  const replay = await getAssignmentReplay(user, id).catch((error: unknown) => {
    if (isNotFound(error)) notFound();
    throw error;
  });
  const last = replay.frames.length - 1;
  const index = Math.min(Math.max(Number.parseInt(frameParam ?? "0", 10) || 0, 0), Math.max(last, 0));
  const frame = replay.frames[index];
  const href = (i: number) => `/training/manage/assignments/${id}/replay?frame=${i}`;
  const prevHref = index > 0 ? href(index - 1) : null;
  const nextHref = index < last ? href(index + 1) : null;
  return (
    <div className="space-y-4">
      <Link href="/training/manage" className="text-sm text-blue-700 hover:underline">
        ← Training
      </Link>
      <div>
        <h1 className="text-2xl font-semibold">
          Replay: {replay.traineeName} — {replay.scenarioTitle}
        </h1>
        <p className="text-sm text-slate-600" data-testid="replay-score">
          {trainingStatusLabel(replay.status)} · score {replay.score ?? replay.summary.score} /{" "}
          {replay.maxScore ?? replay.summary.maxScore} · {replay.frames.filter((f) => f.kind === "hint").length} hint(s)
          taken
        </p>
      </div>
      <KeyboardNav prevHref={prevHref} nextHref={nextHref} />
      <div className="grid gap-4 lg:grid-cols-2">
        <section className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
          <div className="flex items-center gap-2">
            <h2 className="text-lg font-semibold">Trainee’s path</h2>
            <span className="ml-auto text-sm text-slate-600">
              action {replay.frames.length === 0 ? 0 : index + 1} of {replay.frames.length}
            </span>
          </div>
          {frame ? (
            <div className="space-y-2" data-testid="replay-frame">
              <p className="text-lg font-medium">{frame.summary}</p>
              <p className="text-sm text-slate-600">Step: {frame.stepLabel}</p>
              {frame.question && <p className="text-sm">Question: {frame.question.prompt}</p>}
              {frame.given !== undefined && (
                <p className="text-sm">
                  Answered: <span className="literal">{frame.given}</span>
                </p>
              )}
              {frame.expected !== undefined && (
                <p className="text-sm">
                  Expected: <span className="literal">{frame.expected}</span>
                </p>
              )}
              {frame.correct !== null && (
                <p className={`text-sm font-medium ${frame.correct ? "text-green-700" : "text-red-700"}`}>
                  {frame.correct ? "✓ correct" : "✗ wrong"} ({frame.points} points)
                </p>
              )}
              {frame.hint && (
                <p className="rounded bg-amber-50 px-2 py-1 text-sm text-amber-900">Hint: {frame.hint.text}</p>
              )}
              <p className="text-xs text-slate-600">
                at {frame.at.replace("T", " ").slice(0, 19)} · +{formatDuration(frame.sincePreviousMs)} since the
                previous action · {formatDuration(frame.sinceStartMs)} since start · running score {frame.runningScore}
              </p>
            </div>
          ) : (
            <p className="text-slate-600">The trainee has not started yet.</p>
          )}
          <div className="flex gap-2">
            {prevHref ? (
              <Link href={prevHref} className="rounded border border-slate-300 px-3 py-1 text-sm">
                ← Previous
              </Link>
            ) : (
              <span className="rounded border border-slate-100 px-3 py-1 text-sm text-slate-600" aria-disabled="true">
                ← Previous
              </span>
            )}
            {nextHref ? (
              <Link href={nextHref} className="rounded border border-slate-300 px-3 py-1 text-sm">
                Next →
              </Link>
            ) : (
              <span className="rounded border border-slate-100 px-3 py-1 text-sm text-slate-600" aria-disabled="true">
                Next →
              </span>
            )}
          </div>
          <ol className="max-h-80 space-y-0.5 overflow-auto text-xs">
            {replay.frames.map((f) => (
              <li key={f.index}>
                <Link
                  href={href(f.index)}
                  className={f.index === index ? "font-semibold text-slate-900" : "text-blue-700 hover:underline"}
                >
                  {f.index + 1}. {f.summary}
                  {f.stepId ? ` — ${f.stepLabel}` : ""}
                </Link>
              </li>
            ))}
          </ol>
        </section>
        <section className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
          <h2 className="text-lg font-semibold">Expected path</h2>
          <ol className="space-y-2 text-sm">
            {replay.expected.map((s) => (
              <li
                key={s.stepId}
                className={`rounded p-2 ${frame?.stepId === s.stepId ? "bg-indigo-50 ring-1 ring-indigo-200" : ""}`}
              >
                <p className="font-medium">{s.stepLabel}</p>
                <ul className="ml-4 list-disc">
                  {s.questions.map((q) => (
                    <li key={q.id}>
                      {q.prompt} → <span className="literal">{q.answer}</span>
                      {(() => {
                        const got = replay.summary.questions.find((x) => x.questionId === q.id);
                        return got ? (
                          <span className="ml-1 text-xs text-slate-600">
                            ({got.points}/{got.maxPoints}
                            {got.hintsTaken ? `, ${got.hintsTaken} hint` : ""})
                          </span>
                        ) : null;
                      })()}
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ol>
          <h3 className="font-medium">Time per step</h3>
          <ul className="text-sm">
            {replay.steps.map((s) => (
              <li key={s.stepId}>
                {stepLabel(s.stepId)}: {formatDuration(s.ms)}
              </li>
            ))}
          </ul>
        </section>
      </div>
    </div>
  );
}
