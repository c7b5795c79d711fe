"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { toErrorBody, type AppErrorCode } from "@/lib/app-error";
import { requirePermission } from "@/lib/auth/session";
import { mandatoryStepsSchema, qaSampleSizeSchema, setMandatorySteps, setQaSampleSize } from "@/lib/data/settings";

export type SettingsActionResult =
  { ok: true; message: string } | { ok: false; error: { code: AppErrorCode; message: string } };

function fail(error: unknown): SettingsActionResult {
  if (error instanceof z.ZodError)
    return { ok: false, error: { code: "bad_request", message: error.issues[0]?.message ?? "invalid input" } };
  const { body } = toErrorBody(error);
  return { ok: false, error: { code: body.error.code, message: body.error.message } };
}

/** `expectedUpdatedAt`: the setting's updatedAt the form showed (null when it was the default). */
export async function setMandatoryStepsAction(
  stepIds: string[],
  expectedUpdatedAt: string | null,
): Promise<SettingsActionResult> {
  try {
    const actor = await requirePermission("settings:write");
    const ids = mandatoryStepsSchema.parse(stepIds);
    await setMandatorySteps(actor, ids, expectedUpdatedAt ? new Date(expectedUpdatedAt) : null);
    revalidatePath("/queue");
    revalidatePath("/alerts");
    return { ok: true, message: `${ids.length} mandatory step(s) saved` };
  } catch (error) {
    return fail(error);
  }
}

export async function setQaSampleSizeAction(size: number): Promise<SettingsActionResult> {
  try {
    const actor = await requirePermission("settings:write");
    const n = qaSampleSizeSchema.parse(size);
    await setQaSampleSize(actor, n);
    revalidatePath("/qa");
    return { ok: true, message: `QA sample size is ${n}` };
  } catch (error) {
    return fail(error);
  }
}
