"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { withPermission, type Failure } from "@/lib/actions/with-permission";
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
} from "@/lib/data/cases";
import { qaReopenSchema, reopenFromQa } from "@/lib/data/queue";

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

export const createCaseAction = withPermission(
  "cases:write",
  z.tuple([caseFieldsSchema.extend({ alertIds: z.array(z.string()).optional() })]),
  async (actor, input): Promise<{ ok: true; caseId: string; number: number } | Failure> => {
    const created = await createCase(actor, { ...input, alertIds: input.alertIds ?? [] });
    revalidateCase(created.id);
    return { ok: true, caseId: created.id, number: created.number };
  },
);

/**
 * For the alerts table's bulk bar: `addAlertsToCaseAction(alertIds, { caseId })` adds to an open
 * case, `addAlertsToCaseAction(alertIds, { title })` creates a case from them.
 */
export const addAlertsToCaseAction = withPermission(
  "cases:write",
  z.tuple([idList, addToCaseTargetSchema]),
  async (actor, alertIds, target): Promise<{ ok: true; caseId: string; attached: number } | Failure> => {
    const result = await addAlertsToCase(actor, alertIds, target);
    revalidateCase(result.caseId);
    return { ok: true, ...result };
  },
);

export const updateCaseAction = withPermission(
  "cases:write",
  z.tuple([caseId, stamp, caseUpdateSchema]),
  async (actor, id, expectedUpdatedAt, patch): Promise<CaseActionResult> => {
    await updateCase(actor, id, expectedUpdatedAt, patch);
    revalidateCase(id);
    return { ok: true, message: "saved" };
  },
);

export const assignCasesAction = withPermission(
  "cases:write",
  z.tuple([
    z
      .array(z.object({ id: caseId, updatedAt: stamp }))
      .min(1)
      .max(500),
    z.string().min(1).max(100).nullable(),
  ]),
  async (actor, items, assigneeId): Promise<CaseActionResult> => {
    const changed = await assignCases(actor, items, assigneeId);
    revalidateCase(items.length === 1 ? items[0].id : undefined);
    return { ok: true, message: `${changed.length} case(s) ${assigneeId ? "assigned" : "unassigned"}` };
  },
);

export const addCaseCommentAction = withPermission(
  "cases:write",
  z.tuple([caseId, z.string()]),
  async (actor, id, body): Promise<CaseActionResult> => {
    await addCaseComment(actor, id, body);
    revalidateCase(id);
    return { ok: true, message: "comment added" };
  },
);

export const attachAlertsToCaseAction = withPermission(
  "cases:write",
  z.tuple([caseId, idList]),
  async (actor, id, alertIds): Promise<CaseActionResult> => {
    const attached = await attachAlertsToCase(actor, id, alertIds);
    revalidateCase(id);
    return { ok: true, message: `${attached.length} alert(s) attached` };
  },
);

export const detachAlertFromCaseAction = withPermission(
  "cases:write",
  z.tuple([caseId, z.string().min(1).max(200)]),
  async (actor, id, alertId): Promise<CaseActionResult> => {
    await detachAlertFromCase(actor, id, alertId);
    revalidateCase(id);
    return { ok: true, message: "alert detached" };
  },
);

export const closeCaseAction = withPermission(
  "cases:write",
  // the form sends the resolution as the select's string; closeCaseSchema names the valid ones
  z.tuple([caseId, stamp, z.object({ resolution: z.unknown(), note: z.unknown().optional() })]),
  async (actor, id, expectedUpdatedAt, input): Promise<CaseActionResult> => {
    const result = await closeCase(actor, id, expectedUpdatedAt, closeCaseSchema.parse(input));
    revalidateCase(id);
    return { ok: true, message: `case closed; ${result.alertsClosed} alert(s) closed` };
  },
);

export const reopenCaseAction = withPermission(
  "cases:write",
  z.tuple([caseId, stamp]),
  async (actor, id, expectedUpdatedAt): Promise<CaseActionResult> => {
    const result = await reopenCase(actor, id, expectedUpdatedAt);
    revalidateCase(id);
    return { ok: true, message: `case reopened; ${result.alertsReopened} alert(s) reopened` };
  },
);

export const reopenFromQaAction = withPermission(
  "alerts:assign",
  z.tuple([qaReopenSchema]),
  async (actor, input): Promise<CaseActionResult> => {
    await reopenFromQa(actor, input);
    revalidatePath("/qa");
    revalidatePath(`/alerts/${input.id}`);
    return { ok: true, message: "alert reopened with your comment" };
  },
);
