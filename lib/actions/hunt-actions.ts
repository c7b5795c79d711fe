"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { toErrorBody, type AppErrorCode } from "@/lib/app-error";
import { requirePermission } from "@/lib/auth/session";
import {
  cancelHuntRun,
  deleteSavedHunt,
  HuntQueryError,
  pinHuntHit,
  saveHunt,
  type QueryProblem,
} from "@/lib/data/hunts";
import { startHunt } from "@/lib/services/hunt-queue";

type Failure = { ok: false; error: { code: AppErrorCode; message: string }; problem?: QueryProblem };

function fail(error: unknown): Failure {
  if (error instanceof HuntQueryError)
    return { ok: false, error: { code: "bad_request", message: error.message }, problem: error.problem };
  if (error instanceof z.ZodError) {
    const issue = error.issues[0];
    return { ok: false, error: { code: "bad_request", message: issue ? issue.message : "invalid input" } };
  }
  const { body } = toErrorBody(error);
  return { ok: false, error: { code: body.error.code, message: body.error.message } };
}

export type StartHuntResult = { ok: true; id: string } | Failure;

export async function startHuntAction(input: {
  query: string;
  from: string;
  to: string;
  host?: string;
}): Promise<StartHuntResult> {
  try {
    const user = await requirePermission("hunt:run");
    const { id } = await startHunt(user, input);
    return { ok: true, id };
  } catch (error) {
    return fail(error);
  }
}

export async function cancelHuntAction(runId: string): Promise<{ ok: true } | Failure> {
  try {
    const user = await requirePermission("hunt:run");
    await cancelHuntRun(user, runId);
    revalidatePath("/hunt");
    return { ok: true };
  } catch (error) {
    return fail(error);
  }
}

export async function saveHuntAction(input: {
  name: string;
  query: string;
  shared: boolean;
}): Promise<{ ok: true } | Failure> {
  try {
    const user = await requirePermission("hunt:run");
    await saveHunt(user, input);
    revalidatePath("/hunt");
    return { ok: true };
  } catch (error) {
    return fail(error);
  }
}

export async function deleteSavedHuntAction(id: string): Promise<{ ok: true } | Failure> {
  try {
    const user = await requirePermission("hunt:run");
    await deleteSavedHunt(user, id);
    revalidatePath("/hunt");
    return { ok: true };
  } catch (error) {
    return fail(error);
  }
}

export async function pinHuntHitAction(input: {
  eventId: string;
  target: string;
  query: string;
  note: string;
}): Promise<{ ok: true; target: string } | Failure> {
  try {
    const user = await requirePermission("hunt:run");
    // "#12" or "case 12" is a case number; anything else an alert id
    const caseMatch = /^(?:case\s*)?#\s*(\d+)$/i.exec(input.target.trim());
    const pinned = await pinHuntHit(user, {
      eventId: input.eventId,
      query: input.query,
      note: input.note,
      ...(caseMatch ? { caseNumber: Number(caseMatch[1]) } : { alertId: input.target.trim() }),
    });
    revalidatePath("/hunt");
    return { ok: true, target: pinned.target };
  } catch (error) {
    return fail(error);
  }
}
