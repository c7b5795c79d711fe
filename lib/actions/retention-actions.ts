"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { toErrorBody, type AppErrorCode } from "@/lib/app-error";
import { requirePermission } from "@/lib/auth/session";
import { setRetentionDays } from "@/lib/data/retention";
import { retentionDaysSchema } from "@/lib/retention/policy";
import { purgeExpiredEvents } from "@/lib/services/retention-service";

export type RetentionActionResult =
  { ok: true; message: string } | { ok: false; error: { code: AppErrorCode; message: string } };

const PAGE = "/admin/retention";

function fail(error: unknown): RetentionActionResult {
  if (error instanceof z.ZodError)
    return { ok: false, error: { code: "bad_request", message: error.issues[0]?.message ?? "invalid input" } };
  const { body } = toErrorBody(error);
  return { ok: false, error: { code: body.error.code, message: body.error.message } };
}

/** `expectedUpdatedAt`: the setting's updatedAt the form showed (null when it showed the default). */
export async function setRetentionDaysAction(
  days: unknown,
  expectedUpdatedAt: string | null,
): Promise<RetentionActionResult> {
  try {
    const actor = await requirePermission("retention:manage");
    const value = retentionDaysSchema.parse(days);
    await setRetentionDays(actor, value, expectedUpdatedAt ? new Date(expectedUpdatedAt) : null);
    revalidatePath(PAGE);
    return { ok: true, message: `Events are kept for ${value} days` };
  } catch (error) {
    return fail(error);
  }
}

export async function purgeNowAction(): Promise<RetentionActionResult> {
  try {
    await requirePermission("retention:manage");
    const s = await purgeExpiredEvents();
    revalidatePath(PAGE);
    return {
      ok: true,
      message: `${s.deleted.toLocaleString("en-US")} expired events deleted, ${s.kept.toLocaleString("en-US")} kept as evidence`,
    };
  } catch (error) {
    return fail(error);
  }
}
