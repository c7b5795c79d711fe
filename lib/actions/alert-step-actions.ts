"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { toErrorBody, type AppErrorCode } from "@/lib/app-error";
import { requirePermission } from "@/lib/auth/session";
import {
  setAlertStep,
  setFpAllowlist,
  stepChangeSchema,
  type StepChange,
  type StepState,
} from "@/lib/data/alert-steps";

type Failure = { ok: false; error: { code: AppErrorCode; message: string } };
export type AlertStepActionResult = { ok: true; version: number; step: StepState } | Failure;
export type AllowlistActionResult = { ok: true; message: string } | Failure;

function fail(error: unknown): Failure {
  if (error instanceof z.ZodError)
    return { ok: false, error: { code: "bad_request", message: error.issues[0]?.message ?? "invalid input" } };
  const { body } = toErrorBody(error);
  return { ok: false, error: { code: body.error.code, message: body.error.message } };
}

/** Saves one guide step of an alert (done, note, false-positive answer) against the version the page showed. */
export async function setAlertStepAction(change: StepChange): Promise<AlertStepActionResult> {
  try {
    const actor = await requirePermission("alerts:triage");
    const parsed = stepChangeSchema.parse(change);
    const result = await setAlertStep(actor, parsed);
    revalidatePath(`/alerts/${parsed.alertId}`);
    return { ok: true, ...result };
  } catch (error) {
    return fail(error);
  }
}

const allowlistInputSchema = z.object({
  json: z.string().max(200_000),
  expectedUpdatedAt: z.iso.datetime().nullable(),
  alertId: z.string().min(1).max(100).optional(),
});

/** Replaces the false-positive allowlist (setting `fpAllowlist`) from the JSON a lead edited. */
export async function setFpAllowlistAction(
  input: z.input<typeof allowlistInputSchema>,
): Promise<AllowlistActionResult> {
  try {
    const actor = await requirePermission("settings:write");
    const { json, expectedUpdatedAt, alertId } = allowlistInputSchema.parse(input);
    let entries: unknown;
    try {
      entries = JSON.parse(json);
    } catch {
      return { ok: false, error: { code: "bad_request", message: "the allowlist is not valid JSON" } };
    }
    const { count } = await setFpAllowlist(actor, entries, expectedUpdatedAt ? new Date(expectedUpdatedAt) : null);
    if (alertId) revalidatePath(`/alerts/${alertId}`);
    return { ok: true, message: `allowlist saved (${count} entries)` };
  } catch (error) {
    return fail(error);
  }
}
