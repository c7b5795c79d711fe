"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { toErrorBody, type AppErrorCode } from "@/lib/app-error";
import { requirePermission } from "@/lib/auth/session";
import { MAX_BACKFILL_DAYS } from "@/lib/detection/run";
import { runRuleNow, startBackfill, updateRuleEnabled } from "@/lib/services/rule-service";

type Failure = { ok: false; error: { code: AppErrorCode; message: string } };

function fail(error: unknown): Failure {
  if (error instanceof z.ZodError) {
    const issue = error.issues[0];
    return { ok: false, error: { code: "bad_request", message: issue ? issue.message : "invalid input" } };
  }
  const { body } = toErrorBody(error);
  return { ok: false, error: { code: body.error.code, message: body.error.message } };
}

export type RunNowActionResult =
  | {
      ok: true;
      result: {
        runId: string;
        status: "succeeded" | "failed";
        eventsScanned: number;
        matches: number;
        alertsCreated: number;
        suppressed: number;
        truncated: boolean;
        warnings: string[];
        error: string | null;
      };
    }
  | Failure;

export async function runRuleNowAction(): Promise<RunNowActionResult> {
  try {
    const user = await requirePermission("rule:run");
    const result = await runRuleNow(user);
    revalidatePath("/rule");
    revalidatePath("/alerts");
    return { ok: true, result };
  } catch (error) {
    return fail(error);
  }
}

export type SetRuleEnabledResult = { ok: true; enabled: boolean } | Failure;

export async function setRuleEnabledAction(enabled: unknown): Promise<SetRuleEnabledResult> {
  try {
    const user = await requirePermission("rule:run");
    const result = await updateRuleEnabled(user, z.boolean().parse(enabled));
    revalidatePath("/rule");
    return { ok: true, enabled: result.enabled };
  } catch (error) {
    return fail(error);
  }
}

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

export async function startBackfillAction(input: BackfillInput): Promise<StartBackfillResult> {
  try {
    const user = await requirePermission("rule:run");
    const request = backfillSchema.parse(input);
    const started = await startBackfill(user, request);
    revalidatePath("/rule");
    return { ok: true, ...started };
  } catch (error) {
    return fail(error);
  }
}
