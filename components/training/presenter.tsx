"use client";

import { useCallback, useEffect, useState, type ReactNode } from "react";
import { VERDICT_LABELS, type TrainingQuestion, type TrainingVerdict } from "@/lib/training/scenario";
import type { Walkthrough } from "@/lib/training/walkthrough";
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

interface Slide {
  stepId: string;
  kicker: string;
  title: string;
  text?: string;
  evidence: ReactNode;
}

/** One alert on a shared screen: one step at a time, large type, evidence revealed on click, ←/→. */
export function Presenter(props: {
  title: string;
  expectedVerdict: string;
  walkthrough: Walkthrough;
  questions: TrainingQuestion[];
  tips: { id: string; stepId: string; text: string; authorName: string | null }[];
}) {
  const w = props.walkthrough;
  const slides: Slide[] = [
    { stepId: "alert", kicker: "The alert", title: props.title, evidence: <AlertSummary w={w} large /> },
    {
      stepId: "overview",
      kicker: "Why it matched",
      title: w.matched ? "Why the rule matched" : "Why the rule did not match",
      evidence: <WhyItMatched w={w} large />,
    },
    {
      stepId: "subscription",
      kicker: "Evidence",
      title: "The rebuilt subscription",
      evidence: (
        <>
          <SubscriptionView w={w} large />
          <div className="mt-4">
            <PayloadsView w={w} />
          </div>
        </>
      ),
    },
    ...w.investigation.map(({ step, evidence }, i) => ({
      stepId: step.id,
      kicker: `Investigation ${i + 1} of ${w.investigation.length}`,
      title: step.label,
      text: step.text,
      evidence: <EvidenceList items={evidence} large />,
    })),
    ...w.falsePositives.map(({ step, check }) => ({
      stepId: step.id,
      kicker: "False-positive item",
      title: step.label,
      text: step.text,
      evidence: check ? (
        <div className="space-y-2">
          <CheckBadge status={check.status} />
          <CheckEvidence evidence={check.evidence} large />
        </div>
      ) : (
        <p>No data check.</p>
      ),
    })),
    {
      stepId: "verdict",
      kicker: "Verdict",
      title: "What is it?",
      evidence: (
        <p className="text-3xl font-semibold">
          {VERDICT_LABELS[props.expectedVerdict as TrainingVerdict] ?? props.expectedVerdict}
        </p>
      ),
    },
    ...w.response.map((step) => ({
      stepId: step.id,
      kicker: "Response",
      title: step.label,
      text: step.text,
      evidence:
        step.id === "response.remove-subscription" && w.remediation ? (
          <pre className="literal max-h-[50vh] overflow-auto rounded bg-slate-900 p-4 text-base text-slate-100">
            {w.remediation.cim}
          </pre>
        ) : (
          <p className="text-slate-600">No evidence for this step.</p>
        ),
    })),
  ];
  const [index, setIndex] = useState(0);
  // answers and evidence are revealed apart: the room answers first, then sees what proves it
  const [revealed, setRevealed] = useState(false);
  const [answersShown, setAnswersShown] = useState(false);
  const go = useCallback(
    (delta: number) => {
      setIndex((i) => Math.min(Math.max(i + delta, 0), slides.length - 1));
      setRevealed(false);
      setAnswersShown(false);
    },
    [slides.length],
  );
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "ArrowRight") go(1);
      if (e.key === "ArrowLeft") go(-1);
      if (e.key === " " || e.key === "Enter") {
        e.preventDefault();
        setRevealed(true);
      }
      if (e.key === "a" || e.key === "A") setAnswersShown(true);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [go]);
  const slide = slides[index];
  const questions = props.questions.filter((q) => q.stepId === slide.stepId);
  const tips = props.tips.filter((t) => t.stepId === slide.stepId);
  return (
    <div
      className="flex min-h-[80vh] flex-col gap-6 rounded-xl bg-white p-10 shadow-sm ring-1 ring-slate-200"
      data-testid="presenter"
    >
      <p className="text-lg uppercase tracking-wide text-slate-600">
        {slide.kicker} · {index + 1} / {slides.length}
      </p>
      <h1 className="text-5xl font-semibold leading-tight">{slide.title}</h1>
      {slide.text && <p className="max-w-5xl text-2xl leading-relaxed text-slate-700">{slide.text}</p>}
      {questions.length > 0 && (
        <ul className="space-y-2 text-2xl">
          {questions.map((q) => (
            <li key={q.id} data-testid="presenter-question">
              ❓ {q.prompt}
              {q.choices && <span className="ml-3 text-xl text-slate-600">({q.choices.join(" · ")})</span>}
              {answersShown && (
                <span className="ml-3 rounded bg-green-100 px-2 text-green-900" data-testid="presenter-answer">
                  <span className="literal">{q.answer}</span>
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
      {questions.length > 0 && !answersShown && (
        <button
          onClick={() => setAnswersShown(true)}
          className="self-start rounded-lg border border-green-700 px-6 py-3 text-2xl text-green-900"
        >
          Reveal answers
        </button>
      )}
      {revealed ? (
        <div className="space-y-3 text-xl" data-testid="presenter-evidence">
          {slide.evidence}
          <TipList tips={tips} />
        </div>
      ) : (
        <button
          onClick={() => setRevealed(true)}
          className="self-start rounded-lg bg-indigo-600 px-6 py-3 text-2xl text-white"
        >
          Reveal evidence
        </button>
      )}
      <div className="mt-auto flex items-center gap-4 text-xl">
        <button
          onClick={() => go(-1)}
          disabled={index === 0}
          className="rounded-lg border border-slate-300 px-5 py-2 disabled:opacity-30"
        >
          ← Previous
        </button>
        <button
          onClick={() => go(1)}
          disabled={index === slides.length - 1}
          className="rounded-lg border border-slate-300 px-5 py-2 disabled:opacity-30"
        >
          Next →
        </button>
        <span className="text-base text-slate-600">
          Keyboard: ← → to move, A to reveal answers, Space to reveal evidence
        </span>
      </div>
    </div>
  );
}
