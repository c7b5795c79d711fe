"use client";

import type { TrainingQuestion } from "@/lib/training/scenario";
import { Button } from "@/components/ui/button";

export interface StepOption {
  id: string;
  /** the guide's wording of the step (the checklist item), never its id */
  label: string;
  section: string;
}

/** One question as the trainer's form holds it: choices one per line, the first hint in its own fields. */
export interface DraftQuestion {
  key: string;
  id: string;
  stepId: string;
  prompt: string;
  kind: "choice" | "text";
  choices: string;
  answer: string;
  explanation: string;
  hintText: string;
  hintCost: number;
  points: number;
  /** kept as they were: further hints and accepted alternatives, written by packs */
  moreHints: TrainingQuestion["hints"];
  accept: string[];
}

let keys = 0;
const newKey = () => `q${++keys}`;

export function toDraft(q: TrainingQuestion): DraftQuestion {
  const [first, ...moreHints] = q.hints;
  return {
    key: newKey(),
    id: q.id,
    stepId: q.stepId,
    prompt: q.prompt,
    kind: q.choices ? "choice" : "text",
    choices: (q.choices ?? []).join("\n"),
    answer: q.answer,
    explanation: q.explanation,
    hintText: first?.text ?? "",
    hintCost: first?.cost ?? 0,
    points: q.points,
    moreHints,
    accept: q.accept,
  };
}

const emptyDraft = (stepId: string): DraftQuestion => ({
  key: newKey(),
  id: "",
  stepId,
  prompt: "",
  kind: "choice",
  choices: "",
  answer: "",
  explanation: "",
  hintText: "",
  hintCost: 2,
  points: 10,
  moreHints: [],
  accept: [],
});

const choiceList = (text: string) =>
  text
    .split("\n")
    .map((c) => c.trim())
    .filter(Boolean);

/** A new question's id (what answers are recorded under) from its words, unique in the scenario. */
function questionId(prompt: string, taken: Set<string>): string {
  const base =
    prompt
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 40)
      .replace(/-+$/, "") || "question";
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  taken.add(id);
  return id;
}

/** The drafts as the scenario's questions (the server checks them with questionSchema). */
export function toQuestions(drafts: DraftQuestion[]) {
  const taken = new Set(drafts.map((d) => d.id).filter(Boolean));
  return drafts.map((d) => ({
    id: d.id || questionId(d.prompt, taken),
    stepId: d.stepId,
    prompt: d.prompt,
    choices: d.kind === "choice" ? choiceList(d.choices) : undefined,
    answer: d.answer,
    accept: d.accept,
    explanation: d.explanation,
    hints: [...(d.hintText.trim() ? [{ text: d.hintText, cost: d.hintCost }] : []), ...d.moreHints],
    points: d.points,
  }));
}

const input = "mt-1 block w-full rounded border border-slate-300 px-2 py-1";

function QuestionFields({
  q,
  n,
  steps,
  onChange,
  onRemove,
}: {
  q: DraftQuestion;
  n: number;
  steps: StepOption[];
  onChange: (patch: Partial<DraftQuestion>) => void;
  onRemove: () => void;
}) {
  const sections = [...new Set(steps.map((s) => s.section))];
  const choices = choiceList(q.choices);
  return (
    <fieldset className="space-y-2 rounded border border-slate-200 p-3" data-testid={`question-form-${n}`}>
      <legend className="px-1 font-medium">Question {n}</legend>
      <label className="block">
        Guide step
        <select value={q.stepId} onChange={(e) => onChange({ stepId: e.target.value })} className={input}>
          {sections.map((section) => (
            <optgroup key={section} label={section}>
              {steps
                .filter((s) => s.section === section)
                .map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.label}
                  </option>
                ))}
            </optgroup>
          ))}
        </select>
      </label>
      <label className="block">
        Question
        <input value={q.prompt} onChange={(e) => onChange({ prompt: e.target.value })} required className={input} />
      </label>
      <fieldset className="flex gap-4">
        <legend className="sr-only">Answer type</legend>
        <label className="flex items-center gap-1">
          <input type="radio" checked={q.kind === "choice"} onChange={() => onChange({ kind: "choice" })} />
          Multiple choice
        </label>
        <label className="flex items-center gap-1">
          <input type="radio" checked={q.kind === "text"} onChange={() => onChange({ kind: "text" })} />
          Free text
        </label>
      </fieldset>
      {q.kind === "choice" && (
        <label className="block">
          Choices (one per line)
          <textarea
            value={q.choices}
            onChange={(e) => onChange({ choices: e.target.value })}
            rows={4}
            className={input}
          />
        </label>
      )}
      <label className="block">
        Correct answer
        {q.kind === "choice" ? (
          <select value={q.answer} onChange={(e) => onChange({ answer: e.target.value })} className={input}>
            <option value="">— pick one of the choices —</option>
            {choices.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        ) : (
          <input value={q.answer} onChange={(e) => onChange({ answer: e.target.value })} className={input} />
        )}
      </label>
      <div className="grid gap-2 sm:grid-cols-[minmax(0,1fr)_8rem_8rem]">
        <label className="block">
          Hint
          <input value={q.hintText} onChange={(e) => onChange({ hintText: e.target.value })} className={input} />
        </label>
        <label className="block">
          Hint cost (points)
          <input
            type="number"
            min={0}
            max={100}
            value={q.hintCost}
            onChange={(e) => onChange({ hintCost: Number(e.target.value) })}
            className={input}
          />
        </label>
        <label className="block">
          Points
          <input
            type="number"
            min={0}
            max={100}
            value={q.points}
            onChange={(e) => onChange({ points: Number(e.target.value) })}
            className={input}
          />
        </label>
      </div>
      <label className="block">
        Explanation (shown with the feedback)
        <input value={q.explanation} onChange={(e) => onChange({ explanation: e.target.value })} className={input} />
      </label>
      <button
        type="button"
        onClick={onRemove}
        className="rounded border border-red-300 px-2 py-1 text-xs text-red-700 hover:bg-red-50"
      >
        Remove question {n}
      </button>
    </fieldset>
  );
}

export function QuestionList({
  questions,
  onChange,
  steps,
}: {
  questions: DraftQuestion[];
  onChange: (next: DraftQuestion[]) => void;
  steps: StepOption[];
}) {
  return (
    <div className="space-y-3">
      <h2 className="font-medium">Questions</h2>
      {questions.length === 0 && <p className="text-slate-600">No question yet.</p>}
      {questions.map((q, i) => (
        <QuestionFields
          key={q.key}
          q={q}
          n={i + 1}
          steps={steps}
          onChange={(patch) => onChange(questions.map((x) => (x.key === q.key ? { ...x, ...patch } : x)))}
          onRemove={() => onChange(questions.filter((x) => x.key !== q.key))}
        />
      ))}
      <Button type="button" onClick={() => onChange([...questions, emptyDraft(steps[1]?.id ?? steps[0]?.id ?? "")])}>
        Add a question
      </Button>
    </div>
  );
}
