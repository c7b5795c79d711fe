import "server-only";
import { getDb } from "@/lib/db/client";
import { CURRENT_RULE } from "@/lib/rule/rules";

/** The rule's stored on/off state (rule_state); a rule with no row is enabled, as in Kibana. */

export async function isRuleEnabled(ruleId = CURRENT_RULE.ruleId): Promise<boolean> {
  const state = await getDb().prisma.ruleState.findUnique({ where: { ruleId }, select: { enabled: true } });
  return state?.enabled ?? true;
}

export async function setRuleEnabled(actorId: string, enabled: boolean, ruleId = CURRENT_RULE.ruleId): Promise<void> {
  const { prisma } = getDb();
  await prisma.$transaction(async (tx) => {
    const before = await tx.ruleState.findUnique({ where: { ruleId }, select: { enabled: true } });
    await tx.ruleState.upsert({
      where: { ruleId },
      create: { ruleId, enabled, updatedBy: actorId },
      update: { enabled, updatedBy: actorId },
    });
    await tx.auditLog.create({
      data: {
        actorId,
        action: enabled ? "rule.enable" : "rule.disable",
        entityType: "rule",
        entityId: ruleId,
        before: { enabled: before?.enabled ?? true },
        after: { enabled },
      },
    });
  });
}
