"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { toErrorBody, type AppErrorCode } from "@/lib/app-error";
import { requirePermission } from "@/lib/auth/session";
import { markNotificationsRead } from "@/lib/data/notifications";

export type NotificationActionResult =
  { ok: true; marked: number } | { ok: false; error: { code: AppErrorCode; message: string } };

/** Marks the given notifications, or all of the user's, read. Any signed-in user, own notifications only. */
export async function markNotificationsReadAction(ids?: string[]): Promise<NotificationActionResult> {
  try {
    const actor = await requirePermission("alerts:read");
    const marked = await markNotificationsRead(
      actor,
      ids === undefined ? undefined : z.array(z.uuid()).max(500).parse(ids),
    );
    revalidatePath("/notifications");
    return { ok: true, marked };
  } catch (error) {
    if (error instanceof z.ZodError)
      return { ok: false, error: { code: "bad_request", message: "invalid notification ids" } };
    const { body } = toErrorBody(error);
    return { ok: false, error: { code: body.error.code, message: body.error.message } };
  }
}
