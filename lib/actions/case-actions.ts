"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { toErrorBody, type AppErrorCode } from "@/lib/app-error";
import { requirePermission } from "@/lib/auth/session";
import {
  addAlertsToCase,
  addCaseComment,
  addToCaseTargetSchema,
  assignCases,
  attachAlertsToCase,
  caseFieldsSchema,
  caseUpdateSchema,
  closeCaseSchema,
  closeCase,
  createCase,
  detachAlertFromCase,
  reopenCase,
  updateCase,
  type AddToCaseTarget,
  type CaseFields,
  type CaseUpdate,
} from "@/lib/data/cases";
import { qaReopenSchema, reopenFromQa } from "@/lib/data/queue";

type Failure = { ok: false; error: { code: AppErrorCode; message: string; details?: unknown } };

function fail(error: unknown): Failure {
  if (error instanceof z.ZodError)
    return { ok: false, error: { code: "bad_request", message: error.issues[0]?.message ?? "invalid input" } };
  const { body } = toErrorBody(error);
  return { ok: false, error: body.error };
}

export type CaseActionResult = { ok: true; message: string } | Failure;

const idList = z.array(z.string().min(1).max(200)).min(1, "select at least one alert").max(1000);
const caseId = z.uuid();
const stamp = z.union([z.string(), z.date()]);

function revalidateCase(id?: string) {
  revalidatePath("/cases");
  if (id) revalidatePath(`/cases/${id}`);
  revalidatePath("/alerts");
  revalidatePath("/queue");
}

export async function createCaseAction(
  input: CaseFields & { alertIds?: string[] },
): Promise<{ ok: true; caseId: string; number: number } | Failure> {
  try {
    const actor = await requirePermission("cases:write");
    const created = await createCase(actor, { ...caseFieldsSchema.parse(input), alertIds: input.alertIds ?? [] });
    revalidateCase(created.id);
    return { ok: true, caseId: created.id, number: created.number };
  } catch (error) {
    return fail(error);
  }
}

/**
 * For the alerts table's bulk bar: `addAlertsToCaseAction(alertIds, { caseId })` adds to an open
 * case, `addAlertsToCaseAction(alertIds, { title })` creates a case from them.
 */
export async function addAlertsToCaseAction(
  alertIds: string[],
  target: AddToCaseTarget,
): Promise<{ ok: true; caseId: string; attached: number } | Failure> {
  try {
    const actor = await requirePermission("cases:write");
    const result = await addAlertsToCase(actor, idList.parse(alertIds), addToCaseTargetSchema.parse(target));
    revalidateCase(result.caseId);
    return { ok: true, ...result };
  } catch (error) {
    return fail(error);
  }
}

export async function updateCaseAction(
  id: string,
  expectedUpdatedAt: string,
  patch: CaseUpdate,
): Promise<CaseActionResult> {
  try {
    const actor = await requirePermission("cases:write");
    await updateCase(actor, caseId.parse(id), stamp.parse(expectedUpdatedAt), caseUpdateSchema.parse(patch));
    revalidateCase(id);
    return { ok: true, message: "saved" };
  } catch (error) {
    return fail(error);
  }
}

export async function assignCasesAction(
  items: { id: string; updatedAt: string }[],
  assigneeId: string | null,
): Promise<CaseActionResult> {
  try {
    const actor = await requirePermission("cases:write");
    const parsed = z
      .array(z.object({ id: caseId, updatedAt: stamp }))
      .min(1)
      .max(500)
      .parse(items);
    const changed = await assignCases(actor, parsed, z.string().min(1).max(100).nullable().parse(assigneeId));
    revalidateCase(parsed.length === 1 ? parsed[0].id : undefined);
    return { ok: true, message: `${changed.length} case(s) ${assigneeId ? "assigned" : "unassigned"}` };
  } catch (error) {
    return fail(error);
  }
}

export async function addCaseCommentAction(id: string, body: string): Promise<CaseActionResult> {
  try {
    const actor = await requirePermission("cases:write");
    await addCaseComment(actor, caseId.parse(id), body);
    revalidateCase(id);
    return { ok: true, message: "comment added" };
  } catch (error) {
    return fail(error);
  }
}

export async function attachAlertsToCaseAction(id: string, alertIds: string[]): Promise<CaseActionResult> {
  try {
    const actor = await requirePermission("cases:write");
    const attached = await attachAlertsToCase(actor, caseId.parse(id), idList.parse(alertIds));
    revalidateCase(id);
    return { ok: true, message: `${attached.length} alert(s) attached` };
  } catch (error) {
    return fail(error);
  }
}

export async function detachAlertFromCaseAction(id: string, alertId: string): Promise<CaseActionResult> {
  try {
    const actor = await requirePermission("cases:write");
    await detachAlertFromCase(actor, caseId.parse(id), z.string().min(1).max(200).parse(alertId));
    revalidateCase(id);
    return { ok: true, message: "alert detached" };
  } catch (error) {
    return fail(error);
  }
}

export async function closeCaseAction(
  id: string,
  expectedUpdatedAt: string,
  input: { resolution: string; note?: string },
): Promise<CaseActionResult> {
  try {
    const actor = await requirePermission("cases:write");
    const result = await closeCase(
      actor,
      caseId.parse(id),
      stamp.parse(expectedUpdatedAt),
      closeCaseSchema.parse(input),
    );
    revalidateCase(id);
    return { ok: true, message: `case closed; ${result.alertsClosed} alert(s) closed` };
  } catch (error) {
    return fail(error);
  }
}

export async function reopenCaseAction(id: string, expectedUpdatedAt: string): Promise<CaseActionResult> {
  try {
    const actor = await requirePermission("cases:write");
    const result = await reopenCase(actor, caseId.parse(id), stamp.parse(expectedUpdatedAt));
    revalidateCase(id);
    return { ok: true, message: `case reopened; ${result.alertsReopened} alert(s) reopened` };
  } catch (error) {
    return fail(error);
  }
}

export async function reopenFromQaAction(input: {
  id: string;
  version: number;
  comment: string;
}): Promise<CaseActionResult> {
  try {
    const actor = await requirePermission("alerts:assign");
    await reopenFromQa(actor, qaReopenSchema.parse(input));
    revalidatePath("/qa");
    revalidatePath(`/alerts/${input.id}`);
    return { ok: true, message: "alert reopened with your comment" };
  } catch (error) {
    return fail(error);
  }
}
