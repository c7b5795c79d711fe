import { VERDICT_POINTS, VERDICT_STEP_ID, type TrainingQuestion } from "./scenario";

/**
 * Scoring of a trainee's path. Only the first answer to a question counts (after a wrong answer
 * the expected one is shown, so a second try would prove nothing). A hint costs its points from
 * that question's score, never below zero; the verdict is worth VERDICT_POINTS.
 */

/** A recorded step of the path, as `training_action` stores it. */
export interface PathAction {
  kind: "open-step" | "answer" | "hint" | "verdict" | "complete";
  stepId: string | null;
  payload: Record<string, unknown>;
  correct: boolean | null;
  points: number;
  at: Date;
}

/**
 * Free text is compared after folding what does not change the meaning: case, Unicode forms,
 * surrounding quotes and punctuation, repeated spaces, and the doubled backslashes of logged
 * Windows paths (`C:\\Windows` as Sysmon writes it is `C:\Windows`).
 */
export function normalizeAnswer(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/\\\\/g, "\\")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/^["'`“”‘’\s]+|["'`“”‘’.,;:!?\s]+$/g, "")
    .trim();
}

export function isAnswerCorrect(
  question: Pick<TrainingQuestion, "answer" | "accept" | "choices">,
  given: string,
): boolean {
  const got = normalizeAnswer(given);
  if (got === "") return false;
  if (question.choices) return got === normalizeAnswer(question.answer);
  return [question.answer, ...question.accept].some((a) => normalizeAnswer(a) === got);
}

export function hintCostTaken(actions: PathAction[], questionId: string): number {
  let cost = 0;
  const seen = new Set<number>();
  for (const a of actions) {
    if (a.kind !== "hint" || a.payload.questionId !== questionId) continue;
    const index = Number(a.payload.hintIndex);
    if (seen.has(index)) continue;
    seen.add(index);
    cost += Number(a.payload.cost) || 0;
  }
  return cost;
}

/** Points an answer earns now: the question's points less the hints taken on it, or 0 when wrong. */
export function pointsForAnswer(question: TrainingQuestion, correct: boolean, hintCost: number): number {
  return correct ? Math.max(0, question.points - hintCost) : 0;
}

export function firstAnswer(actions: PathAction[], questionId: string): PathAction | undefined {
  return actions.find((a) => a.kind === "answer" && a.payload.questionId === questionId);
}

export interface QuestionScore {
  questionId: string;
  stepId: string;
  answered: boolean;
  given?: string;
  correct: boolean;
  hintCost: number;
  hintsTaken: number;
  points: number;
  maxPoints: number;
}

export interface ScoreSummary {
  score: number;
  maxScore: number;
  questions: QuestionScore[];
  verdict: { given?: string; expected: string; correct: boolean; points: number; maxPoints: number };
}

export function scorePath(questions: TrainingQuestion[], expectedVerdict: string, actions: PathAction[]): ScoreSummary {
  const perQuestion = questions.map((q): QuestionScore => {
    const answer = firstAnswer(actions, q.id);
    const hintCost = hintCostTaken(actions, q.id);
    const hintsTaken = new Set(
      actions.filter((a) => a.kind === "hint" && a.payload.questionId === q.id).map((a) => Number(a.payload.hintIndex)),
    ).size;
    const given = typeof answer?.payload.answer === "string" ? answer.payload.answer : undefined;
    const correct = given !== undefined && isAnswerCorrect(q, given);
    return {
      questionId: q.id,
      stepId: q.stepId,
      answered: answer !== undefined,
      given,
      correct,
      hintCost,
      hintsTaken,
      points: pointsForAnswer(q, correct, hintCost),
      maxPoints: q.points,
    };
  });
  const verdictAction = actions.find((a) => a.kind === "verdict");
  const givenVerdict = typeof verdictAction?.payload.verdict === "string" ? verdictAction.payload.verdict : undefined;
  const verdictCorrect = givenVerdict === expectedVerdict;
  const verdict = {
    given: givenVerdict,
    expected: expectedVerdict,
    correct: verdictCorrect,
    points: verdictCorrect ? VERDICT_POINTS : 0,
    maxPoints: VERDICT_POINTS,
  };
  return {
    score: perQuestion.reduce((n, q) => n + q.points, 0) + verdict.points,
    maxScore: maxScoreOf(questions),
    questions: perQuestion,
    verdict,
  };
}

export function maxScoreOf(questions: TrainingQuestion[]): number {
  return questions.reduce((n, q) => n + q.points, 0) + VERDICT_POINTS;
}

/**
 * Time spent per step: from the first time the trainee opened it to their answer on it (the last
 * answer among its questions), or to the verdict for the verdict step. Steps never answered
 * count until the path's last action.
 */
export function timePerStep(actions: PathAction[]): { stepId: string; ms: number }[] {
  const opened = new Map<string, number>();
  const finished = new Map<string, number>();
  let last = 0;
  for (const a of actions) {
    const t = a.at.getTime();
    last = Math.max(last, t);
    if (!a.stepId) continue;
    if (a.kind === "open-step" && !opened.has(a.stepId)) opened.set(a.stepId, t);
    if (a.kind === "answer" || a.kind === "verdict") finished.set(a.stepId, t);
  }
  const out: { stepId: string; ms: number }[] = [];
  for (const [stepId, start] of opened) {
    out.push({ stepId, ms: Math.max(0, (finished.get(stepId) ?? last) - start) });
  }
  for (const [stepId, end] of finished) {
    if (!opened.has(stepId) && stepId !== VERDICT_STEP_ID) out.push({ stepId, ms: 0 });
    else if (!opened.has(stepId)) out.push({ stepId, ms: Math.max(0, end - (actions[0]?.at.getTime() ?? end)) });
  }
  return out;
}

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return `${m}m ${String(s % 60).padStart(2, "0")}s`;
}
