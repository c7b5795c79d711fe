"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { updateScenarioAction } from "@/lib/actions/training-actions";
import {
  QuestionList,
  toDraft,
  toQuestions,
  type DraftQuestion,
  type StepOption,
} from "@/components/training/question-fields";
import { TRAINING_VERDICTS, VERDICT_LABELS, type TrainingQuestion } from "@/lib/training/scenario";
import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";

/**
 * The trainer's key: title, expected verdict and the questions, each written in a form (the guide
 * step it sits on, by the checklist's wording; question; choices in words or free text; correct
 * answer; hint and its cost; points). The server validates them with the same zod schema the
 * packs use and says which question and field is wrong.
 */
export function ScenarioEditor(props: {
  scenario: {
    id: string;
    title: string;
    description: string;
    sourceNote: string;
    expectedVerdict: string;
    questions: TrainingQuestion[];
    updatedAt: string;
  };
  steps: StepOption[];
}) {
  const router = useRouter();
  const s = props.scenario;
  const [title, setTitle] = useState(s.title);
  const [description, setDescription] = useState(s.description);
  const [sourceNote, setSourceNote] = useState(s.sourceNote);
  const [expectedVerdict, setExpectedVerdict] = useState(s.expectedVerdict);
  const [questions, setQuestions] = useState<DraftQuestion[]>(() => s.questions.map(toDraft));
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const [pending, start] = useTransition();
  return (
    <form
      className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 text-sm"
      onSubmit={(e) => {
        e.preventDefault();
        const parsed = toQuestions(questions);
        start(async () => {
          const r = await updateScenarioAction(s.id, {
            title,
            description,
            sourceNote,
            expectedVerdict,
            questions: parsed,
            expectedUpdatedAt: s.updatedAt,
          });
          if (r.ok) {
            setMessage({ text: "Saved.", error: false });
            router.refresh();
          } else setMessage({ text: r.error.message, error: true });
        });
      }}
    >
      <label className="block">
        Title{" "}
        <input value={title} onChange={(e) => setTitle(e.target.value)} className={`ml-2 w-[32rem] ${inputClass}`} />
      </label>
      <label className="block">
        Description{" "}
        <textarea
          value={description}
          onChange={(e) => setDescription(e.target.value)}
          rows={2}
          className={`block w-full ${inputClass}`}
        />
      </label>
      <label className="block">
        Source note{" "}
        <input
          value={sourceNote}
          onChange={(e) => setSourceNote(e.target.value)}
          className={`ml-2 w-[32rem] ${inputClass}`}
        />
      </label>
      <label className="block">
        Expected verdict (hidden from trainees)
        <select
          aria-label="Expected verdict"
          value={expectedVerdict}
          onChange={(e) => setExpectedVerdict(e.target.value)}
          className={`ml-2 ${inputClass}`}
        >
          {TRAINING_VERDICTS.map((v) => (
            <option key={v} value={v}>
              {VERDICT_LABELS[v]}
            </option>
          ))}
        </select>
      </label>
      <QuestionList questions={questions} onChange={setQuestions} steps={props.steps} />
      <Button type="submit" disabled={pending} variant="primary">
        Save
      </Button>
      {message && (
        <p role={message.error ? "alert" : "status"} className={message.error ? "text-red-700" : "text-green-800"}>
          {message.text}
        </p>
      )}
    </form>
  );
}
