"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { withPermission, type Failure } from "@/lib/actions/with-permission";
import { markNotificationsRead } from "@/lib/data/notifications";

export type NotificationActionResult = { ok: true; marked: number } | Failure;

const idsSchema = z.array(z.uuid("invalid notification ids")).max(500, "invalid notification ids").optional();

/** Marks the given notifications, or all of the user's, read. Any signed-in user, own notifications only. */
export const markNotificationsReadAction = withPermission(
  "alerts:read",
  z.tuple([idsSchema]),
  async (actor, ids): Promise<NotificationActionResult> => {
    const marked = await markNotificationsRead(actor, ids);
    revalidatePath("/notifications");
    return { ok: true, marked };
  },
);
