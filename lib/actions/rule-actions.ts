"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { withPermission, type Failure } from "@/lib/actions/with-permission";
import { MAX_BACKFILL_DAYS, type RunResult } from "@/lib/detection/run";
import { runRuleNow, startBackfill, updateRuleEnabled } from "@/lib/services/rule-service";

export type RunNowActionResult = { ok: true; result: RunResult } | Failure;

export const runRuleNowAction = withPermission("rule:run", z.tuple([]), async (user): Promise<RunNowActionResult> => {
  const result = await runRuleNow(user);
  revalidatePath("/rule");
  revalidatePath("/alerts");
  return { ok: true, result };
});

export type SetRuleEnabledResult = { ok: true; enabled: boolean } | Failure;

export const setRuleEnabledAction = withPermission(
  "rule:run",
  z.tuple([z.boolean()]),
  async (user, enabled): Promise<SetRuleEnabledResult> => {
    const result = await updateRuleEnabled(user, enabled);
    revalidatePath("/rule");
    return { ok: true, enabled: result.enabled };
  },
);

/** `<input type="datetime-local">` values, read as UTC (the form says so). */
const utcLocal = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/, "enter a date and time")
  .transform((s) => new Date(`${s}Z`))
  .refine((d) => !Number.isNaN(d.getTime()), "enter a valid date and time");

const backfillSchema = z
  .object({ start: utcLocal, end: utcLocal, capped: z.boolean() })
  .refine((b) => b.end > b.start, { message: "the end must be after the start", path: ["end"] })
  .refine((b) => b.end.getTime() - b.start.getTime() <= MAX_BACKFILL_DAYS * 86_400_000, {
    message: `a backfill covers at most ${MAX_BACKFILL_DAYS} days`,
    path: ["end"],
  });

export type BackfillInput = z.input<typeof backfillSchema>;
export type StartBackfillResult = { ok: true; id: string; windowsTotal: number } | Failure;

export const startBackfillAction = withPermission(
  "rule:run",
  z.tuple([backfillSchema]),
  async (user, request): Promise<StartBackfillResult> => {
    const started = await startBackfill(user, request);
    revalidatePath("/rule");
    return { ok: true, ...started };
  },
);
