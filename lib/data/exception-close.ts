import "server-only";
import { AppError } from "@/lib/app-error";
import { assertCan, type Actor } from "@/lib/auth/permissions";
import { MAX_BULK, setAlertsStatus, type AlertChangeResult } from "@/lib/data/alert-status";
import { WHAT_IF_ALERT_LIMIT } from "@/lib/data/exception-what-if";
import { getException } from "@/lib/data/exceptions";
import { getDb } from "@/lib/db/client";
import { compileConditions, type ExceptionCondition } from "@/lib/exceptions/conditions";
import { CURRENT_RULE } from "@/lib/rule/rules";

/** Open/acknowledged alerts of the rule the exception matches (for "Close matching open alerts"). */
export async function listOpenAlertsMatching(
  _user: Actor,
  conditions: ExceptionCondition[],
): Promise<{ id: string; version: number }[]> {
  const matcher = compileConditions(conditions);
  const rows = await getDb().prisma.alert.findMany({
    where: { ruleId: CURRENT_RULE.ruleId, status: { in: ["open", "acknowledged"] } },
    orderBy: { eventTimestamp: "desc" },
    take: WHAT_IF_ALERT_LIMIT,
    select: { id: true, version: true, event: { select: { doc: true } } },
  });
  return rows
    .filter((r) => matcher(r.event.doc as Record<string, unknown>))
    .map((r) => ({ id: r.id, version: r.version }));
}

/**
 * The lead's "Close matching open alerts": closes the open and acknowledged alerts the exception
 * matches as benign positive with the note "closed by exception <name>", through the alert
 * workflow (version-checked, audited per alert with the exception's name). Unfinished mandatory
 * steps do not block: the audit entry lists the ones skipped. Only a concurrent change keeps an
 * alert open (reported in `conflicts`).
 */
export async function closeAlertsMatchingException(
  user: Actor,
  exceptionId: string,
): Promise<AlertChangeResult & { matched: number }> {
  assertCan(user, "exceptions:write");
  const exception = await getException(user, exceptionId);
  if (!exception) throw new AppError("not_found", "no such exception");
  const items = await listOpenAlertsMatching(user, exception.conditions);
  const result: AlertChangeResult = { updated: [], unchanged: [], conflicts: [], blocked: [] };
  for (let i = 0; i < items.length; i += MAX_BULK) {
    const part = await setAlertsStatus(user, items.slice(i, i + MAX_BULK), "closed", {
      closeReason: "benign_positive",
      verdictNote: closedByExceptionNote(exception.name),
      byException: exception.name,
    });
    for (const key of ["updated", "unchanged", "conflicts", "blocked"] as const)
      (result[key] as unknown[]).push(...part[key]);
  }
  return { ...result, matched: items.length };
}

export const closedByExceptionNote = (name: string) => `closed by exception "${name}"`;
