"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { updateScenarioAction } from "@/lib/actions/training-actions";
import { TRAINING_VERDICTS, VERDICT_LABELS, type TrainingQuestion } from "@/lib/training/scenario";

const EXAMPLE = `[
  {
    "id": "consumer-type",
    "stepId": "investigation.sysmon-21-fields",
    "prompt": "Which consumer type was used?",
    "choices": ["CommandLineEventConsumer", "ActiveScriptEventConsumer"],
    "answer": "CommandLineEventConsumer",
    "accept": [],
    "explanation": "",
    "hints": [{ "text": "Read winlog.event_data.Consumer", "cost": 3 }],
    "points": 10
  }
]`;

/**
 * The trainer's key: title, expected verdict and the questions as JSON (each on a guide step id,
 * free text or multiple choice, with hints and their cost). The server validates it with the
 * same zod schema the packs use and says which field is wrong.
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
  stepIds: string[];
}) {
  const router = useRouter();
  const s = props.scenario;
  const [title, setTitle] = useState(s.title);
  const [description, setDescription] = useState(s.description);
  const [sourceNote, setSourceNote] = useState(s.sourceNote);
  const [expectedVerdict, setExpectedVerdict] = useState(s.expectedVerdict);
  const [questions, setQuestions] = useState(JSON.stringify(s.questions, null, 2));
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const [pending, start] = useTransition();
  return (
    <form
      className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 text-sm"
      onSubmit={(e) => {
        e.preventDefault();
        let parsed: unknown;
        try {
          parsed = JSON.parse(questions);
        } catch (error) {
          setMessage({ text: `questions are not valid JSON: ${(error as Error).message}`, error: true });
          return;
        }
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
        <input
          value={title}
          onChange={(e) => setTitle(e.target.value)}
          className="ml-2 w-[32rem] rounded border border-slate-300 px-2 py-1"
        />
      </label>
      <label className="block">
        Description{" "}
        <textarea
          value={description}
          onChange={(e) => setDescription(e.target.value)}
          rows={2}
          className="block w-full rounded border border-slate-300 px-2 py-1"
        />
      </label>
      <label className="block">
        Source note{" "}
        <input
          value={sourceNote}
          onChange={(e) => setSourceNote(e.target.value)}
          className="ml-2 w-[32rem] rounded border border-slate-300 px-2 py-1"
        />
      </label>
      <label className="block">
        Expected verdict (hidden from trainees)
        <select
          aria-label="Expected verdict"
          value={expectedVerdict}
          onChange={(e) => setExpectedVerdict(e.target.value)}
          className="ml-2 rounded border border-slate-300 px-2 py-1"
        >
          {TRAINING_VERDICTS.map((v) => (
            <option key={v} value={v}>
              {VERDICT_LABELS[v]}
            </option>
          ))}
        </select>
      </label>
      <label className="block">
        Questions (JSON)
        <textarea
          aria-label="Questions JSON"
          value={questions}
          onChange={(e) => setQuestions(e.target.value)}
          rows={20}
          spellCheck={false}
          className="block w-full rounded border border-slate-300 px-2 py-1 font-mono text-xs"
        />
      </label>
      <details className="text-xs text-slate-600">
        <summary className="cursor-pointer">Format and step ids</summary>
        <pre className="whitespace-pre-wrap">{EXAMPLE}</pre>
        <p>Step ids: {props.stepIds.join(", ")}</p>
      </details>
      <button disabled={pending} className="rounded bg-slate-900 px-3 py-1.5 text-white disabled:opacity-50">
        Save
      </button>
      {message && (
        <p role={message.error ? "alert" : "status"} className={message.error ? "text-red-700" : "text-green-800"}>
          {message.text}
        </p>
      )}
    </form>
  );
}
