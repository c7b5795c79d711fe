"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { withPermission, type Failure } from "@/lib/actions/with-permission";
import { updateUserPreferences } from "@/lib/data/user-preferences";
import { columnPrefsSchema, themeSchema, timeZoneSchema, type Preferences } from "@/lib/preferences/preferences";

export type PreferenceActionResult = { ok: true; preferences: Preferences } | Failure;

// every signed-in role reads alerts: its own display choices need nothing more

export const setThemeAction = withPermission(
  "alerts:read",
  z.tuple([themeSchema]),
  async (actor, theme): Promise<PreferenceActionResult> => {
    const preferences = await updateUserPreferences(actor, { theme });
    revalidatePath("/", "layout");
    return { ok: true, preferences };
  },
);

export const setTimeZoneAction = withPermission(
  "alerts:read",
  z.tuple([timeZoneSchema]),
  async (actor, timeZone): Promise<PreferenceActionResult> => {
    const preferences = await updateUserPreferences(actor, { timeZone });
    revalidatePath("/", "layout");
    return { ok: true, preferences };
  },
);

/** null: back to the table's default columns */
export const setAlertColumnsAction = withPermission(
  "alerts:read",
  z.tuple([columnPrefsSchema.nullable()]),
  async (actor, alertColumns): Promise<PreferenceActionResult> => {
    const preferences = await updateUserPreferences(actor, { alertColumns });
    return { ok: true, preferences };
  },
);
