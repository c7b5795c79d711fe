import "server-only";
import type { Actor } from "@/lib/auth/permissions";
import { getDb } from "@/lib/db/client";
import { suggestConditions, suggestName, type SuggestedCondition } from "@/lib/exceptions/prefill";
import { CURRENT_RULE, type GuideStep } from "@/lib/rule/rules";

export interface ExceptionDraft {
  name: string;
  comment: string;
  suggestions: SuggestedCondition[];
  alert: {
    id: string;
    hostName: string | null;
    consumerName: string | null;
    command: string | null;
    status: string;
  } | null;
  fp: GuideStep | null;
  missing: string[];
}

/** The pre-filled form for `/exceptions/new?alert=…&fp=…`. */
export async function getExceptionDraft(
  _user: Actor,
  from: { alertId?: string | null; fpStepId?: string | null },
): Promise<ExceptionDraft> {
  const missing: string[] = [];
  const fp = from.fpStepId ? (CURRENT_RULE.guide.falsePositives.find((s) => s.id === from.fpStepId) ?? null) : null;
  if (from.fpStepId && !fp) missing.push(`false-positive item ${from.fpStepId} is not in the rule's guide`);
  let alert: ExceptionDraft["alert"] = null;
  let suggestions: SuggestedCondition[] = [];
  if (from.alertId) {
    const row = await getDb().prisma.alert.findUnique({
      where: { id: from.alertId },
      select: {
        id: true,
        hostName: true,
        consumerName: true,
        command: true,
        status: true,
        event: { select: { doc: true } },
      },
    });
    if (!row) missing.push(`alert ${from.alertId} does not exist`);
    else {
      alert = {
        id: row.id,
        hostName: row.hostName,
        consumerName: row.consumerName,
        command: row.command,
        status: row.status,
      };
      suggestions = suggestConditions(row.event.doc as Record<string, unknown>, { command: row.command });
    }
  }
  const comment = [fp ? `False positive: ${fp.label} (${fp.id}).` : "", alert ? `Created from alert ${alert.id}.` : ""]
    .filter(Boolean)
    .join(" ");
  return {
    name:
      alert || fp
        ? suggestName({ fpLabel: fp?.label, consumerName: alert?.consumerName, hostName: alert?.hostName })
        : "",
    comment,
    suggestions,
    alert,
    fp,
    missing,
  };
}
