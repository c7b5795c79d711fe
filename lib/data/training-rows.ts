import "server-only";
import { z } from "zod";
import { AppError } from "@/lib/app-error";
import { can, type Actor } from "@/lib/auth/permissions";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { PathAction } from "@/lib/training/scoring";

/**
 * Training: scenarios with their own events (kept in `training_scenario.events`, never in the
 * live `event`/`alert` tables, so nothing here shows up in the queue or the metrics), assignments
 * and every action of a trainee's path. Each write is one transaction with its audit entry; a
 * trainee's writes lock their assignment row (`FOR UPDATE`) so two tabs cannot both answer.
 * This file holds what the training data files share: ids, JSON columns and the path's rows.
 */

export const uuid = z.uuid("not a valid id");

export function toJson(value: unknown): Prisma.InputJsonValue {
  return JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue;
}

export function requireId(id: string, what: string): string {
  const parsed = uuid.safeParse(id);
  if (!parsed.success) throw new AppError("not_found", `${what} not found`);
  return parsed.data;
}

export function toPath(
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

export const ACTION_SELECT = {
  kind: true,
  stepId: true,
  payload: true,
  correct: true,
  points: true,
  at: true,
} as const;

/** An assignment's path: its actions in the order they were taken. */
export const PATH_SELECT = {
  orderBy: [{ at: "asc" }, { id: "asc" }] as Prisma.TrainingActionOrderByWithRelationInput[],
  select: ACTION_SELECT,
};

/** What every read of an assignment starts with: whose it is, where it stands, its score. */
export const ASSIGNMENT_SELECT = {
  id: true,
  traineeId: true,
  status: true,
  score: true,
  maxScore: true,
} as const;

/** For pages: whether the user may see the trainer's side. */
export function canManageTraining(actor: Actor): boolean {
  return can(actor.role, "training:manage");
}
