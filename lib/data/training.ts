import "server-only";
import { existsSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { AppError } from "@/lib/app-error";
import { assertCan, can, type Actor } from "@/lib/auth/permissions";
import { appendAudit } from "@/lib/data/audit";
import { notifyUser } from "@/lib/data/notifications";
import { getUserNames } from "@/lib/data/users";
import { getDb } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { readEventFile, readEventStream } from "@/lib/ingest/read-file";
import { CURRENT_RULE } from "@/lib/rule/rules";
import { SHIPPED_PACKS, sourceNoteOf, type TrainingPack } from "@/lib/training/packs";
import { buildExpectedPath, buildReplay } from "@/lib/training/replay";
import {
  GUIDE_STEP_IDS,
  TRAINING_VERDICTS,
  VERDICT_STEP_ID,
  parseStoredQuestions,
  questionSchema,
  scenarioFieldsSchema,
  toPublicQuestion,
  type ScenarioFields,
  type TrainingQuestion,
} from "@/lib/training/scenario";
import {
  hintCostTaken,
  isAnswerCorrect,
  maxScoreOf,
  pointsForAnswer,
  scorePath,
  timePerStep,
  type PathAction,
} from "@/lib/training/scoring";
import { buildWalkthrough, findMatches } from "@/lib/training/walkthrough";
import type { EcsDocument } from "@/lib/ecs/document";
import { getEnv } from "@/lib/env";
import { formatTime } from "@/lib/format/time";

/**
 * Training: scenarios with their own events (kept in `training_scenario.events`, never in the
 * live `event`/`alert` tables, so nothing here shows up in the queue or the metrics), assignments
 * and every action of a trainee's path. Each write is one transaction with its audit entry; a
 * trainee's writes lock their assignment row (`FOR UPDATE`) so two tabs cannot both answer.
 */

type Tx = Prisma.TransactionClient;

const uuid = z.uuid("not a valid id");
/** An uploaded scenario stays a scenario, not a data lake. */
const MAX_SCENARIO_EVENTS = 5000;

export function datasetsRoot(): string {
  return path.resolve(getEnv().WMI_DATASETS_DIR);
}

function toJson(value: unknown): Prisma.InputJsonValue {
  return JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue;
}

function requireId(id: string, what: string): string {
  const parsed = uuid.safeParse(id);
  if (!parsed.success) throw new AppError("not_found", `${what} not found`);
  return parsed.data;
}

// ---------------------------------------------------------------- packs

export type PackInstallStatus = {
  packId: string;
  title: string;
  status: "installed" | "already-installed" | "missing" | "failed";
  message: string;
  scenarioId?: string;
};

async function readPackEvents(pack: TrainingPack): Promise<EcsDocument[]> {
  const file = path.join(datasetsRoot(), pack.source.file);
  const docs: EcsDocument[] = [];
  for await (const record of readEventFile(file)) if (record.ok) docs.push(record.document);
  return pack.prepare ? pack.prepare(docs) : docs;
}

/**
 * Installs the shipped packs that are not installed yet (by `packId`); a trainer's edits to an
 * installed pack are kept. A pack whose dataset file is missing is skipped and said so. Called
 * from the training page and by the seed (`actor` null: the system).
 */
export async function installShippedPacks(actor: Actor | null = null): Promise<PackInstallStatus[]> {
  if (actor) assertCan(actor, "training:manage");
  const { prisma } = getDb();
  const results: PackInstallStatus[] = [];
  for (const pack of SHIPPED_PACKS) {
    const existing = await prisma.trainingScenario.findUnique({ where: { packId: pack.packId }, select: { id: true } });
    if (existing) {
      results.push({
        packId: pack.packId,
        title: pack.title,
        status: "already-installed",
        message: "already installed",
        scenarioId: existing.id,
      });
      continue;
    }
    const file = path.join(datasetsRoot(), pack.source.file);
    if (!existsSync(file)) {
      results.push({
        packId: pack.packId,
        title: pack.title,
        status: "missing",
        message: `skipped: dataset file not found at ${file}`,
      });
      continue;
    }
    try {
      const events = await readPackEvents(pack);
      const questions = z.array(questionSchema).parse(pack.questions);
      const created = await prisma.$transaction(async (tx) => {
        const row = await tx.trainingScenario.create({
          data: {
            title: pack.title,
            description: pack.description,
            sourceNote: sourceNoteOf(pack),
            packId: pack.packId,
            events: toJson(events),
            expectedVerdict: pack.expectedVerdict,
            questions: toJson(questions),
            createdBy: actor?.id ?? null,
          },
          select: { id: true },
        });
        await appendAudit(tx, {
          actorId: actor?.id ?? null,
          action: "training.pack.install",
          entityType: "training",
          entityId: row.id,
          after: { packId: pack.packId, events: events.length },
        });
        return row;
      });
      results.push({
        packId: pack.packId,
        title: pack.title,
        status: "installed",
        message: `installed (${events.length} events)`,
        scenarioId: created.id,
      });
    } catch (error) {
      // a concurrent install of the same pack lost the race on the unique packId: that is "installed"
      if ((error as { code?: string }).code === "P2002") {
        results.push({
          packId: pack.packId,
          title: pack.title,
          status: "already-installed",
          message: "already installed",
        });
      } else {
        results.push({
          packId: pack.packId,
          title: pack.title,
          status: "failed",
          message: `failed: ${(error as Error).message}`,
        });
      }
    }
  }
  return results;
}

export function listShippedPacks() {
  return SHIPPED_PACKS.map((p) => ({
    packId: p.packId,
    title: p.title,
    sourceNote: sourceNoteOf(p),
    available: existsSync(path.join(datasetsRoot(), p.source.file)),
  }));
}

// ---------------------------------------------------------------- scenarios (trainers)

export async function listScenarios(actor: Actor) {
  assertCan(actor, "training:manage");
  const { prisma } = getDb();
  const rows = await prisma.trainingScenario.findMany({
    orderBy: { createdAt: "asc" },
    select: {
      id: true,
      title: true,
      packId: true,
      expectedVerdict: true,
      questions: true,
      sourceNote: true,
      createdAt: true,
      _count: { select: { assignments: true } },
    },
  });
  const counts = await prisma.$queryRaw<
    { id: string; n: number }[]
  >`select id::text as id, jsonb_array_length(events)::int as n from training_scenario`;
  const eventCount = new Map(counts.map((c) => [c.id, c.n]));
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    packId: r.packId,
    expectedVerdict: r.expectedVerdict,
    questionCount: Array.isArray(r.questions) ? r.questions.length : 0,
    eventCount: eventCount.get(r.id) ?? 0,
    assignmentCount: r._count.assignments,
    sourceNote: r.sourceNote,
    createdAt: r.createdAt,
  }));
}

export async function getScenarioForEdit(actor: Actor, scenarioId: string) {
  assertCan(actor, "training:manage");
  const row = await getDb().prisma.trainingScenario.findUnique({
    where: { id: requireId(scenarioId, "scenario") },
    select: {
      id: true,
      title: true,
      description: true,
      sourceNote: true,
      packId: true,
      expectedVerdict: true,
      questions: true,
      events: true,
      updatedAt: true,
    },
  });
  if (!row) throw new AppError("not_found", "scenario not found");
  const events = (row.events as EcsDocument[]) ?? [];
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    sourceNote: row.sourceNote,
    packId: row.packId,
    expectedVerdict: row.expectedVerdict,
    questions: parseStoredQuestions(row.questions),
    eventCount: events.length,
    matchCount: findMatches(events).length,
    updatedAt: row.updatedAt,
  };
}

async function createScenario(
  actor: Actor,
  fields: ScenarioFields,
  events: EcsDocument[],
  action: string,
  extra: Record<string, unknown>,
) {
  const { prisma } = getDb();
  return prisma.$transaction(async (tx) => {
    const row = await tx.trainingScenario.create({
      data: {
        title: fields.title,
        description: fields.description,
        sourceNote: fields.sourceNote,
        events: toJson(events),
        expectedVerdict: fields.expectedVerdict,
        questions: toJson(fields.questions),
        createdBy: actor.id,
      },
      select: { id: true, title: true },
    });
    await appendAudit(tx, {
      actorId: actor.id,
      action,
      entityType: "training",
      entityId: row.id,
      after: { title: fields.title, events: events.length, ...extra },
    });
    return row;
  });
}

export const createFromPackSchema = z.object({
  packId: z.string().min(1).max(100),
  title: z.string().trim().max(200).optional(),
});

/**
 * A new scenario from a shipped pack: the installed pack's events and key are copied (the
 * trainer edits their copy), or read from the dataset when the pack is not installed.
 */
export async function createScenarioFromPack(actor: Actor, input: z.input<typeof createFromPackSchema>) {
  assertCan(actor, "training:manage");
  const { packId, title } = createFromPackSchema.parse(input);
  const pack = SHIPPED_PACKS.find((p) => p.packId === packId);
  if (!pack) throw new AppError("bad_request", `unknown pack ${packId}`);
  const installed = await getDb().prisma.trainingScenario.findUnique({
    where: { packId },
    select: { events: true, questions: true, expectedVerdict: true },
  });
  let events: EcsDocument[];
  if (installed) {
    events = installed.events as EcsDocument[];
  } else {
    const file = path.join(datasetsRoot(), pack.source.file);
    if (!existsSync(file)) throw new AppError("unavailable", `the dataset file of pack ${packId} is missing (${file})`);
    events = await readPackEvents(pack);
  }
  const fields = scenarioFieldsSchema.parse({
    title: title || pack.title,
    description: pack.description,
    sourceNote: sourceNoteOf(pack),
    expectedVerdict: installed?.expectedVerdict ?? pack.expectedVerdict,
    questions: installed ? installed.questions : pack.questions,
  });
  return createScenario(actor, fields, events, "training.scenario.create", { fromPack: packId });
}

export const uploadScenarioSchema = z.object({
  title: z.string().trim().min(1, "a title is required").max(200),
  description: z.string().trim().max(5000).default(""),
  sourceNote: z.string().trim().max(2000).default(""),
  expectedVerdict: z.enum(TRAINING_VERDICTS),
});

/**
 * A new scenario from an uploaded event file (EVTX, Windows XML, NXLog, ECS…), parsed on the
 * server into ECS documents that live in the scenario row only. Questions are added afterwards.
 */
export async function createScenarioFromUpload(
  actor: Actor,
  input: z.input<typeof uploadScenarioSchema>,
  file: { name: string; stream: AsyncIterable<Uint8Array> },
) {
  assertCan(actor, "training:manage");
  const meta = uploadScenarioSchema.parse(input);
  const events: EcsDocument[] = [];
  let rejected = 0;
  try {
    for await (const record of readEventStream(file.stream, { fileName: file.name })) {
      if (!record.ok) {
        rejected++;
        continue;
      }
      events.push(record.document);
      if (events.length > MAX_SCENARIO_EVENTS)
        throw new AppError(
          "payload_too_large",
          `a scenario holds at most ${MAX_SCENARIO_EVENTS} events; cut the file down`,
        );
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError("bad_request", `cannot read ${file.name}: ${(error as Error).message}`);
  }
  if (events.length === 0)
    throw new AppError(
      "bad_request",
      `${file.name} holds no readable events${rejected ? ` (${rejected} rejected)` : ""}`,
    );
  const fields = scenarioFieldsSchema.parse({
    ...meta,
    sourceNote: meta.sourceNote || `uploaded file ${file.name}`,
    questions: [],
  });
  const created = await createScenario(actor, fields, events, "training.scenario.upload", {
    fileName: file.name,
    rejected,
  });
  return { ...created, events: events.length, rejected, matches: findMatches(events).length };
}

export const updateScenarioSchema = scenarioFieldsSchema.extend({ expectedUpdatedAt: z.coerce.date() });

/** Saves the trainer's key. Optimistic: the form sends the `updatedAt` it was rendered with. */
export async function updateScenario(actor: Actor, scenarioId: string, input: z.input<typeof updateScenarioSchema>) {
  assertCan(actor, "training:manage");
  const id = requireId(scenarioId, "scenario");
  const fields = updateScenarioSchema.parse(input);
  return getDb().prisma.$transaction(async (tx) => {
    const before = await tx.trainingScenario.findUnique({
      where: { id },
      select: { title: true, expectedVerdict: true, questions: true, updatedAt: true },
    });
    if (!before) throw new AppError("not_found", "scenario not found");
    const changed = await tx.trainingScenario.updateMany({
      where: { id, updatedAt: fields.expectedUpdatedAt },
      data: {
        title: fields.title,
        description: fields.description,
        sourceNote: fields.sourceNote,
        expectedVerdict: fields.expectedVerdict,
        questions: toJson(fields.questions),
        updatedAt: new Date(),
      },
    });
    if (changed.count !== 1) {
      throw new AppError(
        "conflict",
        `this scenario was changed by someone else at ${formatTime(before.updatedAt)}; reload`,
      );
    }
    await appendAudit(tx, {
      actorId: actor.id,
      action: "training.scenario.update",
      entityType: "training",
      entityId: id,
      before,
      after: { title: fields.title, expectedVerdict: fields.expectedVerdict, questions: fields.questions },
    });
    return { id };
  });
}

// ---------------------------------------------------------------- assignments

export async function listTrainees(actor: Actor) {
  assertCan(actor, "training:manage");
  return getDb().prisma.user.findMany({
    where: { disabled: false },
    orderBy: { name: "asc" },
    select: { id: true, name: true, email: true, role: true },
  });
}

export const assignSchema = z.object({
  scenarioId: uuid,
  traineeIds: z.array(z.string().min(1).max(100)).min(1, "pick at least one trainee").max(100),
});

export async function assignScenario(actor: Actor, input: z.input<typeof assignSchema>) {
  assertCan(actor, "training:manage");
  const { scenarioId, traineeIds } = assignSchema.parse(input);
  return getDb().prisma.$transaction(async (tx) => {
    const scenario = await tx.trainingScenario.findUnique({
      where: { id: scenarioId },
      select: { id: true, title: true, questions: true },
    });
    if (!scenario) throw new AppError("not_found", "scenario not found");
    const users = await tx.user.findMany({ where: { id: { in: traineeIds }, disabled: false }, select: { id: true } });
    if (users.length !== new Set(traineeIds).size) throw new AppError("bad_request", "unknown or disabled trainee");
    const maxScore = maxScoreOf(parseStoredQuestions(scenario.questions));
    const ids: string[] = [];
    for (const u of users) {
      const a = await tx.trainingAssignment.create({
        data: { scenarioId, traineeId: u.id, assignedBy: actor.id, maxScore },
        select: { id: true },
      });
      ids.push(a.id);
      await appendAudit(tx, {
        actorId: actor.id,
        action: "training.assign",
        entityType: "training",
        entityId: a.id,
        after: { scenarioId, traineeId: u.id },
      });
      await notifyUser(tx, u.id, `Training assigned: ${scenario.title}`, `/training/${a.id}`);
    }
    return { assignmentIds: ids };
  });
}

export async function listMyAssignments(user: Actor) {
  const rows = await getDb().prisma.trainingAssignment.findMany({
    where: { traineeId: user.id },
    orderBy: { assignedAt: "desc" },
    select: {
      id: true,
      status: true,
      score: true,
      maxScore: true,
      assignedAt: true,
      completedAt: true,
      assignedBy: true,
      scenario: { select: { title: true, description: true } },
    },
  });
  const names = await getUserNames(rows.map((r) => r.assignedBy));
  return rows.map((r) => ({
    ...r,
    title: r.scenario.title,
    description: r.scenario.description,
    assignedByName: r.assignedBy ? (names.get(r.assignedBy) ?? r.assignedBy) : null,
  }));
}

function toPath(
  actions: {
    kind: string;
    stepId: string | null;
    payload: unknown;
    correct: boolean | null;
    points: number;
    at: Date;
  }[],
): PathAction[] {
  return actions.map((a) => ({
    kind: a.kind as PathAction["kind"],
    stepId: a.stepId,
    payload: (a.payload ?? {}) as Record<string, unknown>,
    correct: a.correct,
    points: a.points,
    at: a.at,
  }));
}

const ACTION_SELECT = { kind: true, stepId: true, payload: true, correct: true, points: true, at: true } as const;

/** Progress of every assignment: status, score and time per step (trainers). */
export async function listAssignmentProgress(actor: Actor) {
  assertCan(actor, "training:manage");
  const rows = await getDb().prisma.trainingAssignment.findMany({
    orderBy: { assignedAt: "desc" },
    take: 200,
    select: {
      id: true,
      traineeId: true,
      status: true,
      score: true,
      maxScore: true,
      assignedAt: true,
      startedAt: true,
      completedAt: true,
      scenario: { select: { id: true, title: true } },
      actions: { orderBy: [{ at: "asc" }, { id: "asc" }], select: ACTION_SELECT },
    },
  });
  const names = await getUserNames(rows.map((r) => r.traineeId));
  return rows.map((r) => {
    const path = toPath(r.actions);
    return {
      id: r.id,
      traineeName: names.get(r.traineeId) ?? r.traineeId,
      scenarioId: r.scenario.id,
      scenarioTitle: r.scenario.title,
      status: r.status,
      score: r.score,
      maxScore: r.maxScore,
      assignedAt: r.assignedAt,
      completedAt: r.completedAt,
      hintsTaken: path.filter((a) => a.kind === "hint").length,
      steps: timePerStep(path),
    };
  });
}

async function loadOwnAssignment(user: Actor, assignmentId: string) {
  const row = await getDb().prisma.trainingAssignment.findUnique({
    where: { id: requireId(assignmentId, "assignment") },
    select: {
      id: true,
      traineeId: true,
      status: true,
      score: true,
      maxScore: true,
      scenario: {
        select: { id: true, title: true, description: true, events: true, questions: true, expectedVerdict: true },
      },
      actions: { orderBy: [{ at: "asc" }, { id: "asc" }], select: ACTION_SELECT },
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
      actions: { orderBy: [{ at: "asc" }, { id: "asc" }], select: ACTION_SELECT },
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

/** A trainee's path beside the expected one (trainers). */
export async function getAssignmentReplay(actor: Actor, assignmentId: string) {
  assertCan(actor, "training:manage");
  const row = await getDb().prisma.trainingAssignment.findUnique({
    where: { id: requireId(assignmentId, "assignment") },
    select: {
      id: true,
      traineeId: true,
      status: true,
      score: true,
      maxScore: true,
      assignedAt: true,
      completedAt: true,
      scenario: { select: { id: true, title: true, questions: true, expectedVerdict: true } },
      actions: { orderBy: [{ at: "asc" }, { id: "asc" }], select: ACTION_SELECT },
    },
  });
  if (!row) throw new AppError("not_found", "assignment not found");
  const questions = parseStoredQuestions(row.scenario.questions);
  const path = toPath(row.actions);
  const names = await getUserNames([row.traineeId]);
  return {
    id: row.id,
    traineeName: names.get(row.traineeId) ?? row.traineeId,
    scenarioTitle: row.scenario.title,
    status: row.status,
    score: row.score,
    maxScore: row.maxScore,
    frames: buildReplay(questions, row.scenario.expectedVerdict, path),
    expected: buildExpectedPath(questions, row.scenario.expectedVerdict),
    summary: scorePath(questions, row.scenario.expectedVerdict, path),
    steps: timePerStep(path),
  };
}

/** One alert for a shared screen: the workflow, with the trainer's key (presenter is a trainer). */
export async function getPresenterScenario(actor: Actor, scenarioId: string) {
  assertCan(actor, "training:manage");
  const row = await getDb().prisma.trainingScenario.findUnique({
    where: { id: requireId(scenarioId, "scenario") },
    select: { id: true, title: true, description: true, events: true, questions: true, expectedVerdict: true },
  });
  if (!row) throw new AppError("not_found", "scenario not found");
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    expectedVerdict: row.expectedVerdict,
    walkthrough: buildWalkthrough(row.events as EcsDocument[]),
    questions: parseStoredQuestions(row.questions),
    tips: await listGuideTips(GUIDE_STEP_IDS as string[], { forAnalysts: false }),
  };
}

// ---------------------------------------------------------------- guide tips

export interface GuideTipView {
  id: string;
  stepId: string;
  text: string;
  visibleToAll: boolean;
  authorName: string | null;
  createdAt: Date;
}

/**
 * Trainers' tips on guide steps. `forAnalysts: true` returns only the tips marked visible to
 * every analyst — what the live alert page shows beside each step.
 */
export async function listGuideTips(stepIds: string[], opts: { forAnalysts: boolean }): Promise<GuideTipView[]> {
  const rows = await getDb().prisma.guideTip.findMany({
    where: { stepId: { in: stepIds }, ...(opts.forAnalysts ? { visibleToAll: true } : {}) },
    orderBy: { createdAt: "asc" },
    select: { id: true, stepId: true, text: true, visibleToAll: true, authorId: true, createdAt: true },
  });
  const names = await getUserNames(rows.map((r) => r.authorId));
  return rows.map((r) => ({
    id: r.id,
    stepId: r.stepId,
    text: r.text,
    visibleToAll: r.visibleToAll,
    authorName: r.authorId ? (names.get(r.authorId) ?? null) : null,
    createdAt: r.createdAt,
  }));
}

export const guideTipSchema = z.object({
  stepId: z.string().refine((s) => GUIDE_STEP_IDS.includes(s), "not a step id of the rule's guide"),
  text: z.string().trim().min(1, "write the tip").max(4000),
  visibleToAll: z.boolean().default(false),
});

export async function addGuideTip(actor: Actor, input: z.input<typeof guideTipSchema>) {
  assertCan(actor, "training:manage");
  const tip = guideTipSchema.parse(input);
  return getDb().prisma.$transaction(async (tx) => {
    const row = await tx.guideTip.create({ data: { ...tip, authorId: actor.id }, select: { id: true } });
    await appendAudit(tx, {
      actorId: actor.id,
      action: "training.tip.add",
      entityType: "training",
      entityId: row.id,
      after: tip,
    });
    return row;
  });
}

export async function deleteGuideTip(actor: Actor, tipId: string) {
  assertCan(actor, "training:manage");
  const id = requireId(tipId, "tip");
  await getDb().prisma.$transaction(async (tx) => {
    const before = await tx.guideTip.findUnique({
      where: { id },
      select: { stepId: true, text: true, visibleToAll: true },
    });
    if (!before) throw new AppError("not_found", "tip not found");
    await tx.guideTip.delete({ where: { id } });
    await appendAudit(tx, {
      actorId: actor.id,
      action: "training.tip.delete",
      entityType: "training",
      entityId: id,
      before,
    });
  });
}

/** For pages: whether the user may see the trainer's side. */
export function canManageTraining(actor: Actor): boolean {
  return can(actor.role, "training:manage");
}
