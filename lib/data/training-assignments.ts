import "server-only";
import { z } from "zod";
import { AppError } from "@/lib/app-error";
import { assertCan, type Actor } from "@/lib/auth/permissions";
import { appendAudit } from "@/lib/data/audit";
import { notifyUser } from "@/lib/data/notifications";
import { ASSIGNMENT_SELECT, PATH_SELECT, requireId, toPath, uuid } from "@/lib/data/training-rows";
import { getUserNames } from "@/lib/data/users";
import { getDb } from "@/lib/db/client";
import { buildExpectedPath, buildReplay } from "@/lib/training/replay";
import { parseStoredQuestions } from "@/lib/training/scenario";
import { maxScoreOf, scorePath, timePerStep } from "@/lib/training/scoring";

/** Assignments as trainers and trainees list them: who has which scenario, progress, replay. */

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
/** Progress of every assignment: status, score and time per step (trainers). */
export async function listAssignmentProgress(actor: Actor) {
  assertCan(actor, "training:manage");
  const rows = await getDb().prisma.trainingAssignment.findMany({
    orderBy: { assignedAt: "desc" },
    take: 200,
    select: {
      ...ASSIGNMENT_SELECT,
      assignedAt: true,
      startedAt: true,
      completedAt: true,
      scenario: { select: { id: true, title: true } },
      actions: PATH_SELECT,
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

/** A trainee's path beside the expected one (trainers). */
export async function getAssignmentReplay(actor: Actor, assignmentId: string) {
  assertCan(actor, "training:manage");
  const row = await getDb().prisma.trainingAssignment.findUnique({
    where: { id: requireId(assignmentId, "assignment") },
    select: {
      ...ASSIGNMENT_SELECT,
      assignedAt: true,
      completedAt: true,
      scenario: { select: { id: true, title: true, questions: true, expectedVerdict: true } },
      actions: PATH_SELECT,
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
