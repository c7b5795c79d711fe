"use client";

import { useRef, useState, useTransition, type ReactNode } from "react";
import {
  answerTrainingQuestionAction,
  openTrainingStepAction,
  submitTrainingVerdictAction,
  takeTrainingHintAction,
} from "@/lib/actions/training-actions";
import type { AnswerFeedback, TraineeWorkspace as Workspace } from "@/lib/data/training-trainee";
import {
  TRAINING_VERDICTS,
  VERDICT_LABELS,
  VERDICT_STEP_ID,
  type PublicQuestion,
  type TrainingVerdict,
} from "@/lib/training/scenario";
import type { ScoreSummary } from "@/lib/training/scoring";
import {
  AlertSummary,
  CheckBadge,
  CheckEvidence,
  EvidenceList,
  PayloadsView,
  SubscriptionView,
  TipList,
  WhyItMatched,
} from "./workflow-parts";
import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";

type Hint = { questionId: string; index: number; text: string; cost: number };

export function TraineeWorkspace({ workspace }: { workspace: Workspace }) {
  const w = workspace.walkthrough;
  const [answers, setAnswers] = useState<Record<string, AnswerFeedback>>(() =>
    Object.fromEntries(workspace.answers.map((a) => [a.questionId, a])),
  );
  const [hints, setHints] = useState<Hint[]>(workspace.hints);
  const [summary, setSummary] = useState<ScoreSummary | null>(workspace.summary);
  const [error, setError] = useState<string | null>(null);
  const opened = useRef(new Set<string>(workspace.openedSteps));
  const completed = summary !== null;

  const onOpen = (stepId: string) => {
    if (completed || opened.current.has(stepId)) return;
    opened.current.add(stepId);
    void openTrainingStepAction(workspace.id, stepId).then((r) => {
      if (!r.ok) setError(r.error.message);
    });
  };

  const questionsFor = (stepId: string) => workspace.questions.filter((q) => q.stepId === stepId);
  const tipsFor = (stepId: string) => workspace.tips.filter((t) => t.stepId === stepId);
  const qa = (stepId: string) =>
    questionsFor(stepId).map((q) => (
      <QuestionCard
        key={q.id}
        assignmentId={workspace.id}
        question={q}
        feedback={answers[q.id]}
        hints={hints.filter((h) => h.questionId === q.id)}
        locked={completed}
        onAnswered={(f) => setAnswers((prev) => ({ ...prev, [f.questionId]: f }))}
        onHint={(h) =>
          setHints((prev) =>
            prev.some((x) => x.questionId === h.questionId && x.index === h.index) ? prev : [...prev, h],
          )
        }
        onError={setError}
      />
    ));

  const step = (id: string, title: string, body: ReactNode) => {
    const qs = questionsFor(id);
    const done = qs.filter((q) => answers[q.id]).length;
    return (
      <details
        key={id}
        className="group rounded-lg border border-slate-200 bg-white"
        onToggle={(e) => (e.currentTarget as HTMLDetailsElement).open && onOpen(id)}
        data-testid={`step-${id}`}
      >
        <summary className="flex cursor-pointer items-center gap-3 px-4 py-3">
          <span className="font-medium">{title}</span>
          {qs.length > 0 && (
            <span
              className={`ml-auto rounded px-2 py-0.5 text-xs ${done === qs.length ? "bg-green-100 text-green-800" : "bg-amber-100 text-amber-900"}`}
            >
              {done}/{qs.length} answered
            </span>
          )}
        </summary>
        <div className="space-y-3 border-t border-slate-100 px-4 py-3">
          {body}
          <TipList tips={tipsFor(id)} />
          {qa(id)}
        </div>
      </details>
    );
  };

  const guide = (text: string) => <p className="text-sm text-slate-700">{text}</p>;

  return (
    <div className="space-y-4">
      {error && (
        <p role="alert" className="rounded bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-200">
          {error}{" "}
          <button className="ml-2 underline" onClick={() => setError(null)}>
            dismiss
          </button>
        </p>
      )}
      {summary && <FinalScore summary={summary} />}
      <section className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 className="mb-2 text-lg font-semibold">The alert</h2>
        <AlertSummary w={w} />
      </section>

      <h2 className="text-lg font-semibold">Why it matched</h2>
      {step(
        "overview",
        w.matched ? "Why the rule matched, and the subscription" : "Why the rule did not match, and the subscription",
        <>
          <WhyItMatched w={w} />
          <h3 className="font-medium">Rebuilt subscription</h3>
          <SubscriptionView w={w} />
          <h3 className="font-medium">Decoded payloads</h3>
          <PayloadsView w={w} />
        </>,
      )}

      <h2 className="text-lg font-semibold">Investigation</h2>
      {w.investigation.map(({ step: s, evidence }, i) =>
        step(
          s.id,
          `${i + 1}. ${s.label}`,
          <>
            {guide(s.text)}
            <EvidenceList items={evidence} />
          </>,
        ),
      )}

      <h2 className="text-lg font-semibold">False-positive items</h2>
      {w.falsePositives.map(({ step: s, check }) =>
        step(
          s.id,
          s.label,
          <>
            {guide(s.text)}
            {check && (
              <div className="space-y-1">
                <CheckBadge status={check.status} />
                <CheckEvidence evidence={check.evidence} />
              </div>
            )}
          </>,
        ),
      )}

      <h2 className="text-lg font-semibold">Verdict</h2>
      <VerdictCard
        assignmentId={workspace.id}
        given={workspace.verdict?.given ?? summary?.verdict.given}
        summary={summary}
        onDone={(s) => setSummary(s)}
        onError={setError}
        onOpen={() => onOpen(VERDICT_STEP_ID)}
      />

      <h2 className="text-lg font-semibold">Response</h2>
      {w.response.map((s) =>
        step(
          s.id,
          s.label,
          <>
            {guide(s.text)}
            {s.id === "response.remove-subscription" && w.remediation && (
              <pre className="literal max-h-72 overflow-auto rounded bg-slate-900 p-3 text-xs text-slate-100">
                {w.remediation.cim}
              </pre>
            )}
          </>,
        ),
      )}
    </div>
  );
}

function FinalScore({ summary }: { summary: ScoreSummary }) {
  const verdictLabel = (v?: string) => (v ? (VERDICT_LABELS[v as TrainingVerdict] ?? v) : "—");
  return (
    <section className="rounded-lg border border-green-300 bg-green-50 p-4" data-testid="final-score">
      <h2 className="text-xl font-semibold text-green-900">
        Final score: {summary.score} / {summary.maxScore}
      </h2>
      <p className="text-sm text-green-900">
        Verdict {summary.verdict.correct ? "correct" : "wrong"}: you said “{verdictLabel(summary.verdict.given)}”
        {summary.verdict.correct ? "" : `; expected “${verdictLabel(summary.verdict.expected)}”`}.
      </p>
      <ul className="mt-2 text-sm text-green-900">
        {summary.questions.map((q) => (
          <li key={q.questionId}>
            {q.questionId}: {q.points}/{q.maxPoints}
            {q.hintsTaken > 0 ? ` (${q.hintsTaken} hint${q.hintsTaken > 1 ? "s" : ""}, −${q.hintCost})` : ""}
            {!q.answered ? " — not answered" : ""}
          </li>
        ))}
      </ul>
    </section>
  );
}

function QuestionCard(props: {
  assignmentId: string;
  question: PublicQuestion;
  feedback?: AnswerFeedback;
  hints: Hint[];
  locked: boolean;
  onAnswered: (f: AnswerFeedback) => void;
  onHint: (h: Hint) => void;
  onError: (message: string) => void;
}) {
  const { question: q, feedback } = props;
  const [value, setValue] = useState("");
  const [pending, start] = useTransition();
  const submit = () =>
    start(async () => {
      const r = await answerTrainingQuestionAction(props.assignmentId, { questionId: q.id, answer: value });
      if (r.ok) props.onAnswered(r.feedback);
      else props.onError(r.error.message);
    });
  const hint = (index: number) =>
    start(async () => {
      const r = await takeTrainingHintAction(props.assignmentId, { questionId: q.id, hintIndex: index });
      if (r.ok) props.onHint(r.hint);
      else props.onError(r.error.message);
    });
  const name = `q-${q.id}`;
  return (
    <div className="rounded border border-indigo-200 bg-indigo-50/50 p-3" data-testid={`question-${q.id}`}>
      <p className="font-medium">
        {q.prompt} <span className="text-xs font-normal text-slate-600">({q.points} points)</span>
      </p>
      {props.hints.map((h) => (
        <p key={h.index} className="mt-1 rounded bg-amber-50 px-2 py-1 text-sm text-amber-900 ring-1 ring-amber-200">
          Hint {h.index + 1} (−{h.cost}): {h.text}
        </p>
      ))}
      {feedback ? (
        <div
          className={`mt-2 rounded px-2 py-1 text-sm ${feedback.correct ? "bg-green-100 text-green-900" : "bg-red-100 text-red-900"}`}
          role="status"
        >
          <p>
            {feedback.correct ? `Correct (+${feedback.points})` : "Not quite."} You answered{" "}
            <span className="literal">{feedback.given}</span>.
          </p>
          {!feedback.correct && feedback.expected && (
            <p>
              Expected: <span className="literal">{feedback.expected}</span>
            </p>
          )}
          {feedback.explanation && <p className="text-slate-700">{feedback.explanation}</p>}
        </div>
      ) : props.locked ? (
        <p className="mt-2 text-sm text-slate-600">Not answered.</p>
      ) : (
        <form
          className="mt-2 space-y-2"
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
        >
          {q.choices ? (
            <fieldset className="space-y-1">
              <legend className="sr-only">{q.prompt}</legend>
              {q.choices.map((c) => (
                <label key={c} className="flex items-center gap-2 text-sm">
                  <input type="radio" name={name} value={c} checked={value === c} onChange={() => setValue(c)} />
                  <span className="literal">{c}</span>
                </label>
              ))}
            </fieldset>
          ) : (
            <input
              aria-label={q.prompt}
              value={value}
              onChange={(e) => setValue(e.target.value)}
              className={`w-full font-mono ${inputClass}`}
              placeholder="your answer"
            />
          )}
          <div className="flex flex-wrap gap-2">
            <Button type="submit" disabled={pending || value.trim() === ""} variant="primary">
              Submit answer
            </Button>
            {q.hints
              .filter((h) => !props.hints.some((t) => t.index === h.index))
              .slice(0, 1)
              .map((h) => (
                <button
                  key={h.index}
                  type="button"
                  disabled={pending}
                  onClick={() => hint(h.index)}
                  className="rounded border border-amber-400 bg-white px-3 py-1 text-sm text-amber-900"
                >
                  Take hint {h.index + 1} (−{h.cost} points)
                </button>
              ))}
          </div>
        </form>
      )}
    </div>
  );
}

function VerdictCard(props: {
  assignmentId: string;
  given?: string;
  summary: ScoreSummary | null;
  onDone: (s: ScoreSummary) => void;
  onError: (m: string) => void;
  onOpen: () => void;
}) {
  const [verdict, setVerdict] = useState<string>("");
  const [pending, start] = useTransition();
  if (props.summary) {
    return (
      <p className="rounded-lg border border-slate-200 bg-white p-4 text-sm">
        Verdict given: {VERDICT_LABELS[props.summary.verdict.given as TrainingVerdict] ?? props.summary.verdict.given} —{" "}
        {props.summary.verdict.correct ? "correct" : "wrong"} ({props.summary.verdict.points}/
        {props.summary.verdict.maxPoints}).
      </p>
    );
  }
  return (
    <form
      className="space-y-2 rounded-lg border border-slate-200 bg-white p-4"
      onFocus={props.onOpen}
      onSubmit={(e) => {
        e.preventDefault();
        start(async () => {
          const r = await submitTrainingVerdictAction(props.assignmentId, { verdict });
          if (r.ok) props.onDone(r.summary);
          else props.onError(r.error.message);
        });
      }}
    >
      <fieldset className="space-y-1">
        <legend className="mb-1 text-sm text-slate-600">
          Your verdict ends the scenario: unanswered questions score nothing.
        </legend>
        {TRAINING_VERDICTS.map((v) => (
          <label key={v} className="flex items-center gap-2 text-sm">
            <input type="radio" name="verdict" value={v} checked={verdict === v} onChange={() => setVerdict(v)} />
            {VERDICT_LABELS[v]}
          </label>
        ))}
      </fieldset>
      <Button type="submit" disabled={pending || !verdict} variant="primary">
        Submit verdict and finish
      </Button>
    </form>
  );
}
