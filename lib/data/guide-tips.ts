import "server-only";
import { z } from "zod";
import { AppError } from "@/lib/app-error";
import { assertCan, type Actor } from "@/lib/auth/permissions";
import { appendAudit } from "@/lib/data/audit";
import { requireId } from "@/lib/data/training-rows";
import { getUserNames } from "@/lib/data/users";
import { getDb } from "@/lib/db/client";
import { GUIDE_STEP_IDS } from "@/lib/training/scenario";

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
