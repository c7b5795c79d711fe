"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { withPermission, type Failure } from "@/lib/actions/with-permission";
import {
  ackSlaMinutesSchema,
  mandatoryStepsSchema,
  qaSampleSizeSchema,
  setAckSlaMinutes,
  setMandatorySteps,
  setQaSampleSize,
} from "@/lib/data/settings";

export type SettingsActionResult = { ok: true; message: string } | Failure;

/** `expectedUpdatedAt`: the setting's updatedAt the form showed (null when it was the default). */
export const setMandatoryStepsAction = withPermission(
  "settings:write",
  z.tuple([mandatoryStepsSchema, z.string().nullable()]),
  async (actor, ids, expectedUpdatedAt): Promise<SettingsActionResult> => {
    await setMandatorySteps(actor, ids, expectedUpdatedAt ? new Date(expectedUpdatedAt) : null);
    revalidatePath("/queue");
    revalidatePath("/alerts");
    return { ok: true, message: `${ids.length} mandatory step(s) saved` };
  },
);

export const setQaSampleSizeAction = withPermission(
  "settings:write",
  z.tuple([qaSampleSizeSchema]),
  async (actor, n): Promise<SettingsActionResult> => {
    await setQaSampleSize(actor, n);
    revalidatePath("/qa");
    return { ok: true, message: `QA sample size is ${n}` };
  },
);

export const setAckSlaAction = withPermission(
  "settings:write",
  z.tuple([ackSlaMinutesSchema, z.string().nullable()]),
  async (actor, minutes, expectedUpdatedAt): Promise<SettingsActionResult> => {
    await setAckSlaMinutes(actor, minutes, expectedUpdatedAt ? new Date(expectedUpdatedAt) : null);
    revalidatePath("/metrics");
    return { ok: true, message: `acknowledge within ${minutes} min` };
  },
);
