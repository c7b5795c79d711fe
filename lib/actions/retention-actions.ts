"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { withPermission, type Failure } from "@/lib/actions/with-permission";
import { setRetentionDays } from "@/lib/data/retention";
import { retentionDaysSchema } from "@/lib/retention/policy";
import { purgeExpiredEvents } from "@/lib/services/retention-service";

export type RetentionActionResult = { ok: true; message: string } | Failure;

const PAGE = "/admin/retention";

/** `expectedUpdatedAt`: the setting's updatedAt the form showed (null when it showed the default). */
export const setRetentionDaysAction = withPermission(
  "retention:manage",
  // the form sends the field as it reads it (FormDataEntryValue); retentionDaysSchema coerces it
  z.tuple([z.unknown().pipe(retentionDaysSchema), z.string().nullable()]),
  async (actor, days, expectedUpdatedAt): Promise<RetentionActionResult> => {
    await setRetentionDays(actor, days, expectedUpdatedAt ? new Date(expectedUpdatedAt) : null);
    revalidatePath(PAGE);
    return { ok: true, message: `Events are kept for ${days} days` };
  },
);

export const purgeNowAction = withPermission(
  "retention:manage",
  z.tuple([]),
  async (): Promise<RetentionActionResult> => {
    const s = await purgeExpiredEvents();
    revalidatePath(PAGE);
    return {
      ok: true,
      message:
        `${s.deleted.toLocaleString("en-US")} expired events deleted, ` +
        `${s.kept.toLocaleString("en-US")} kept as evidence`,
    };
  },
);
