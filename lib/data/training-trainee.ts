import "server-only";
import { z } from "zod";
import { AppError } from "@/lib/app-error";
import type { Actor } from "@/lib/auth/permissions";
import { appendAudit } from "@/lib/data/audit";
import { listGuideTips } from "@/lib/data/guide-tips";
import { ASSIGNMENT_SELECT, PATH_SELECT, requireId, toPath } from "@/lib/data/training-rows";
import { getDb } from "@/lib/db/client";
import type { EcsDocument } from "@/lib/ecs/document";
import type { Prisma } from "@/lib/generated/prisma/client";
import { CURRENT_RULE } from "@/lib/rule/rules";
import {
  GUIDE_STEP_IDS,
  TRAINING_VERDICTS,
  VERDICT_STEP_ID,
  parseStoredQuestions,
  toPublicQuestion,
  type TrainingQuestion,
} from "@/lib/training/scenario";
import {
  hintCostTaken,
  isAnswerCorrect,
  maxScoreOf,
  pointsForAnswer,
  scorePath,
  type PathAction,
} from "@/lib/training/scoring";
import { buildWalkthrough } from "@/lib/training/walkthrough";

/**
 * A trainee working an assignment: their workspace, opening steps, answers, hints and the verdict.
 * Each write locks the assignment row (`FOR UPDATE`) so two tabs cannot both answer.
 */

type Tx = Prisma.TransactionClient;

async function loadOwnAssignment(user: Actor, assignmentId: string) {
  const row = await getDb().prisma.trainingAssignment.findUnique({
    where: { id: requireId(assignmentId, "assignment") },
    select: {
      ...ASSIGNMENT_SELECT,
      scenario: {
        select: { id: true, title: true, description: true, events: true, questions: true, expectedVerdict: true },
      },
      actions: PATH_SELECT,
    },
  });
  // someone else's assignment is "not found", not "forbidden": ids are not to be probed
  if (!row || row.traineeId !== user.id) throw new AppError("not_found", "assignment not found");
  return row;
}

export interface AnswerFeedback {
  questionId: string;
  given: string;
  correct: boolean;
  /** shown after a wrong answer (and always after completion) */
  expected?: string;
  explanation?: string;
  points: number;
}

function feedbackFor(q: TrainingQuestion, given: string, correct: boolean, points: number): AnswerFeedback {
  return {
    questionId: q.id,
    given,
    correct,
    expected: correct ? undefined : q.answer,
    explanation: q.explanation || undefined,
    points,
  };
}

/** The trainee's page: the alert workflow from the scenario's events, their questions and progress so far. */
export async function getTraineeWorkspace(user: Actor, assignmentId: string) {
  const row = await loadOwnAssignment(user, assignmentId);
  const questions = parseStoredQuestions(row.scenario.questions);
  const path = toPath(row.actions);
  const walkthrough = buildWalkthrough(row.scenario.events as EcsDocument[]);
  const answers: AnswerFeedback[] = [];
  for (const q of questions) {
    const a = path.find((x) => x.kind === "answer" && x.payload.questionId === q.id);
    if (a) answers.push(feedbackFor(q, String(a.payload.answer ?? ""), a.correct === true, a.points));
  }
  const hints = path
    .filter((a) => a.kind === "hint")
    .map((a) => {
      const q = questions.find((x) => x.id === a.payload.questionId);
      const index = Number(a.payload.hintIndex);
      return {
        questionId: String(a.payload.questionId),
        index,
        text: q?.hints[index]?.text ?? "",
        cost: Number(a.payload.cost) || 0,
      };
    });
  const completed = row.status === "completed";
  const summary = completed ? scorePath(questions, row.scenario.expectedVerdict, path) : null;
  const tips = await listGuideTips(GUIDE_STEP_IDS as string[], { forAnalysts: false });
  const verdictAction = path.find((a) => a.kind === "verdict");
  return {
    id: row.id,
    status: row.status,
    score: row.score,
    maxScore: row.maxScore ?? maxScoreOf(questions),
    title: row.scenario.title,
    description: row.scenario.description,
    ruleName: CURRENT_RULE.name,
    walkthrough,
    questions: questions.map(toPublicQuestion),
    answers,
    hints,
    openedSteps: [...new Set(path.filter((a) => a.kind === "open-step").map((a) => a.stepId!))],
    verdict: verdictAction
      ? {
          given: String(verdictAction.payload.verdict),
          correct: verdictAction.correct === true,
          expected: completed ? row.scenario.expectedVerdict : undefined,
        }
      : null,
    summary,
    tips,
  };
}

export type TraineeWorkspace = Awaited<ReturnType<typeof getTraineeWorkspace>>;

type Locked = Awaited<ReturnType<typeof lockAssignment>>;

/** Locks the trainee's assignment row for the transaction and reloads it with its path. */
async function lockAssignment(tx: Tx, user: Actor, assignmentId: string) {
  const id = requireId(assignmentId, "assignment");
  await tx.$queryRaw`select id from training_assignment where id = ${id}::uuid for update`;
  const row = await tx.trainingAssignment.findUnique({
    where: { id },
    select: {
      id: true,
      traineeId: true,
      status: true,
      startedAt: true,
      scenario: { select: { questions: true, expectedVerdict: true } },
      actions: PATH_SELECT,
    },
  });
  if (!row || row.traineeId !== user.id) throw new AppError("not_found", "assignment not found");
  if (row.status === "completed") throw new AppError("conflict", "this scenario is already completed");
  return row;
}

async function markStarted(tx: Tx, row: Locked) {
  if (row.status === "assigned") {
    await tx.trainingAssignment.update({
      where: { id: row.id },
      data: { status: "in-progress", startedAt: row.startedAt ?? new Date() },
    });
  }
}

const stepIdSchema = z.string().refine((s) => s === VERDICT_STEP_ID || GUIDE_STEP_IDS.includes(s), "not a guide step");

/** Opening a step starts its clock (time per step = open-step → answer). */
export async function recordOpenStep(user: Actor, assignmentId: string, stepId: string) {
  const step = stepIdSchema.parse(stepId);
  await getDb().prisma.$transaction(async (tx) => {
    const row = await lockAssignment(tx, user, assignmentId);
    await markStarted(tx, row);
    await tx.trainingAction.create({ data: { assignmentId: row.id, kind: "open-step", stepId: step } });
  });
}

export const answerSchema = z.object({
  questionId: z.string().min(1).max(64),
  answer: z.string().trim().min(1, "type an answer").max(2000),
});

/** Records the first (and only) answer to a question, scored at once: the question's points less the hints taken. */
export async function answerTrainingQuestion(
  user: Actor,
  assignmentId: string,
  input: z.input<typeof answerSchema>,
): Promise<AnswerFeedback> {
  const { questionId, answer } = answerSchema.parse(input);
  return getDb().prisma.$transaction(async (tx) => {
    const row = await lockAssignment(tx, user, assignmentId);
    const q = parseStoredQuestions(row.scenario.questions).find((x) => x.id === questionId);
    if (!q) throw new AppError("not_found", "question not found");
    const path = toPath(row.actions);
    if (path.some((a) => a.kind === "answer" && a.payload.questionId === questionId)) {
      throw new AppError("conflict", "this question was already answered (maybe in another tab); reload");
    }
    if (q.choices && !q.choices.includes(answer)) throw new AppError("bad_request", "pick one of the choices");
    const correct = isAnswerCorrect(q, answer);
    const points = pointsForAnswer(q, correct, hintCostTaken(path, questionId));
    await markStarted(tx, row);
    await tx.trainingAction.create({
      data: {
        assignmentId: row.id,
        kind: "answer",
        stepId: q.stepId,
        payload: { questionId, answer },
        correct,
        points,
      },
    });
    await appendAudit(tx, {
      actorId: user.id,
      action: "training.answer",
      entityType: "training",
      entityId: row.id,
      after: { questionId, correct, points },
    });
    return feedbackFor(q, answer, correct, points);
  });
}

export const hintSchema = z.object({
  questionId: z.string().min(1).max(64),
  hintIndex: z.number().int().min(0).max(10),
});

/** Reveals a hint; its cost comes off the question's points. Taking the same hint again is free. */
export async function takeTrainingHint(user: Actor, assignmentId: string, input: z.input<typeof hintSchema>) {
  const { questionId, hintIndex } = hintSchema.parse(input);
  return getDb().prisma.$transaction(async (tx) => {
    const row = await lockAssignment(tx, user, assignmentId);
    const q = parseStoredQuestions(row.scenario.questions).find((x) => x.id === questionId);
    const hint = q?.hints[hintIndex];
    if (!q || !hint) throw new AppError("not_found", "hint not found");
    const path = toPath(row.actions);
    if (path.some((a) => a.kind === "answer" && a.payload.questionId === questionId))
      throw new AppError("conflict", "this question is already answered");
    const taken = path.some(
      (a) => a.kind === "hint" && a.payload.questionId === questionId && Number(a.payload.hintIndex) === hintIndex,
    );
    if (!taken) {
      await markStarted(tx, row);
      await tx.trainingAction.create({
        data: {
          assignmentId: row.id,
          kind: "hint",
          stepId: q.stepId,
          payload: { questionId, hintIndex, cost: hint.cost },
        },
      });
      await appendAudit(tx, {
        actorId: user.id,
        action: "training.hint",
        entityType: "training",
        entityId: row.id,
        after: { questionId, hintIndex, cost: hint.cost },
      });
    }
    return { questionId, index: hintIndex, text: hint.text, cost: hint.cost };
  });
}

export const verdictSchema = z.object({ verdict: z.enum(TRAINING_VERDICTS) });

/** The verdict ends the scenario: it is scored and the final score saved on the assignment. */
export async function submitTrainingVerdict(user: Actor, assignmentId: string, input: z.input<typeof verdictSchema>) {
  const { verdict } = verdictSchema.parse(input);
  return getDb().prisma.$transaction(async (tx) => {
    const row = await lockAssignment(tx, user, assignmentId);
    const questions = parseStoredQuestions(row.scenario.questions);
    const correct = verdict === row.scenario.expectedVerdict;
    const now = new Date();
    const verdictAction: PathAction = {
      kind: "verdict",
      stepId: VERDICT_STEP_ID,
      payload: { verdict },
      correct,
      points: 0,
      at: now,
    };
    const summary = scorePath(questions, row.scenario.expectedVerdict, [...toPath(row.actions), verdictAction]);
    await tx.trainingAction.create({
      data: {
        assignmentId: row.id,
        kind: "verdict",
        stepId: VERDICT_STEP_ID,
        payload: { verdict },
        correct,
        points: summary.verdict.points,
        at: now,
      },
    });
    await tx.trainingAction.create({
      data: {
        assignmentId: row.id,
        kind: "complete",
        payload: { score: summary.score, maxScore: summary.maxScore },
        at: new Date(now.getTime() + 1),
      },
    });
    await tx.trainingAssignment.update({
      where: { id: row.id },
      data: {
        status: "completed",
        score: summary.score,
        maxScore: summary.maxScore,
        completedAt: now,
        startedAt: row.startedAt ?? now,
      },
    });
    await appendAudit(tx, {
      actorId: user.id,
      action: "training.complete",
      entityType: "training",
      entityId: row.id,
      after: { verdict, correct, score: summary.score, maxScore: summary.maxScore },
    });
    return summary;
  });
}
