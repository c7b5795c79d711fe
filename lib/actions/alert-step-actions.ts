"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { withPermission, type Failure } from "@/lib/actions/with-permission";
import { setAlertStep, setFpAllowlist, stepChangeSchema, type StepState } from "@/lib/data/alert-steps";

export type AlertStepActionResult = { ok: true; version: number; step: StepState } | Failure;
export type AllowlistActionResult = { ok: true; message: string } | Failure;

/** Saves one guide step of an alert (done, note, false-positive answer) against the version the page showed. */
export const setAlertStepAction = withPermission(
  "alerts:triage",
  z.tuple([stepChangeSchema]),
  async (actor, change): Promise<AlertStepActionResult> => {
    const result = await setAlertStep(actor, change);
    revalidatePath(`/alerts/${change.alertId}`);
    return { ok: true, ...result };
  },
);

const allowlistInputSchema = z.object({
  json: z.string().max(200_000),
  expectedUpdatedAt: z.iso.datetime().nullable(),
  alertId: z.string().min(1).max(100).optional(),
});

/** Replaces the false-positive allowlist (setting `fpAllowlist`) from the JSON a lead edited. */
export const setFpAllowlistAction = withPermission(
  "settings:write",
  z.tuple([allowlistInputSchema]),
  async (actor, { json, expectedUpdatedAt, alertId }): Promise<AllowlistActionResult> => {
    let entries: unknown;
    try {
      entries = JSON.parse(json);
    } catch {
      return { ok: false, error: { code: "bad_request", message: "the allowlist is not valid JSON" } };
    }
    const { count } = await setFpAllowlist(actor, entries, expectedUpdatedAt ? new Date(expectedUpdatedAt) : null);
    if (alertId) revalidatePath(`/alerts/${alertId}`);
    return { ok: true, message: `allowlist saved (${count} entries)` };
  },
);
