import { CURRENT_RULE } from "@/lib/rule/rules";
import { VERDICT_LABELS, VERDICT_STEP_ID, type TrainingQuestion, type TrainingVerdict } from "./scenario";
import type { PathAction } from "./scoring";

/**
 * A trainee's path as frames to step through beside the expected path: what they did at each
 * action, what was expected there, hints taken and the time it took.
 */

export interface ReplayFrame {
  index: number;
  at: string;
  kind: PathAction["kind"];
  stepId: string | null;
  stepLabel: string;
  /** what happened, in words */
  summary: string;
  question?: { id: string; prompt: string };
  given?: string;
  expected?: string;
  correct: boolean | null;
  hint?: { index: number; text: string; cost: number };
  points: number;
  /** score so far, this action included */
  runningScore: number;
  sinceStartMs: number;
  sincePreviousMs: number;
}

export interface ExpectedStep {
  stepId: string;
  stepLabel: string;
  questions: { id: string; prompt: string; answer: string; points: number }[];
}

const STEP_LABELS = new Map<string, string>([
  [CURRENT_RULE.guide.overview.id, "Why it matched"],
  ...[...CURRENT_RULE.guide.investigation, ...CURRENT_RULE.guide.falsePositives, ...CURRENT_RULE.guide.response].map(
    (s) => [s.id, s.label] as [string, string],
  ),
  [VERDICT_STEP_ID, "Verdict"],
]);

/** The guide's steps a question can sit on, in the checklist's words, grouped as the guide is (trainers' form). */
export function guideStepOptions(): { id: string; label: string; section: string }[] {
  const { overview, investigation, falsePositives, response } = CURRENT_RULE.guide;
  return [
    { id: overview.id, label: "Why it matched", section: "Overview" },
    ...investigation.map((s) => ({ id: s.id, label: s.label, section: "Investigation" })),
    ...falsePositives.map((s) => ({ id: s.id, label: s.label, section: "False-positive checklist" })),
    ...response.map((s) => ({ id: s.id, label: s.label, section: "Response" })),
  ];
}

export function stepLabel(stepId: string | null): string {
  if (!stepId) return "—";
  return STEP_LABELS.get(stepId) ?? stepId;
}

function verdictText(v: unknown): string {
  return typeof v === "string" ? (VERDICT_LABELS[v as TrainingVerdict] ?? v) : "—";
}

export function buildReplay(
  questions: TrainingQuestion[],
  expectedVerdict: string,
  actions: PathAction[],
): ReplayFrame[] {
  const byId = new Map(questions.map((q) => [q.id, q]));
  const start = actions[0]?.at.getTime() ?? 0;
  let previous = start;
  let running = 0;
  return actions.map((a, index) => {
    const t = a.at.getTime();
    const q = typeof a.payload.questionId === "string" ? byId.get(a.payload.questionId) : undefined;
    const frame: ReplayFrame = {
      index,
      at: a.at.toISOString(),
      kind: a.kind,
      stepId: a.stepId,
      stepLabel: stepLabel(a.stepId),
      summary: "",
      question: q ? { id: q.id, prompt: q.prompt } : undefined,
      correct: a.correct,
      points: a.points,
      runningScore: 0,
      sinceStartMs: t - start,
      sincePreviousMs: t - previous,
    };
    switch (a.kind) {
      case "open-step":
        frame.summary = `Opened “${frame.stepLabel}”`;
        break;
      case "answer":
        frame.given = String(a.payload.answer ?? "");
        frame.expected = q?.answer;
        frame.summary = a.correct ? "Answered correctly" : "Answered wrongly";
        break;
      case "hint": {
        const hintIndex = Number(a.payload.hintIndex);
        frame.hint = {
          index: hintIndex,
          text: q?.hints[hintIndex]?.text ?? "(hint removed since)",
          cost: Number(a.payload.cost) || 0,
        };
        frame.summary = `Took hint ${hintIndex + 1} (−${frame.hint.cost} points)`;
        break;
      }
      case "verdict":
        frame.given = verdictText(a.payload.verdict);
        frame.expected = verdictText(expectedVerdict);
        frame.summary = a.correct ? "Verdict correct" : "Verdict wrong";
        break;
      case "complete":
        frame.summary = `Completed: ${String(a.payload.score ?? "?")} / ${String(a.payload.maxScore ?? "?")}`;
        break;
    }
    if (a.kind === "answer" || a.kind === "verdict") running += a.points;
    frame.runningScore = running;
    previous = t;
    return frame;
  });
}

/** The expected path: the guide's order, each step with its questions and answers. */
export function buildExpectedPath(questions: TrainingQuestion[], expectedVerdict: string): ExpectedStep[] {
  const order = [...STEP_LABELS.keys()];
  const steps = order
    .map((stepId) => ({
      stepId,
      stepLabel: stepLabel(stepId),
      questions: questions
        .filter((q) => q.stepId === stepId)
        .map((q) => ({ id: q.id, prompt: q.prompt, answer: q.answer, points: q.points })),
    }))
    .filter((s) => s.questions.length > 0 && s.stepId !== VERDICT_STEP_ID);
  steps.push({
    stepId: VERDICT_STEP_ID,
    stepLabel: "Verdict",
    questions: [{ id: VERDICT_STEP_ID, prompt: "Verdict", answer: verdictText(expectedVerdict), points: 10 }],
  });
  return steps;
}
