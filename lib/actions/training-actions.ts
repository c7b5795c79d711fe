"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { toErrorBody, type AppErrorCode } from "@/lib/app-error";
import { getCurrentUser, requirePermission } from "@/lib/auth/session";
import { AppError } from "@/lib/app-error";
import {
  addGuideTip,
  answerTrainingQuestion,
  assignScenario,
  createScenarioFromPack,
  createScenarioFromUpload,
  deleteGuideTip,
  installShippedPacks,
  recordOpenStep,
  submitTrainingVerdict,
  takeTrainingHint,
  updateScenario,
  type AnswerFeedback,
  type PackInstallStatus,
} from "@/lib/data/training";
import type { ScoreSummary } from "@/lib/training/scoring";

type Failure = { ok: false; error: { code: AppErrorCode; message: string } };

function fail(error: unknown): Failure {
  if (error instanceof z.ZodError) {
    const issue = error.issues[0];
    const where = issue?.path.length ? `${issue.path.join(".")}: ` : "";
    return { ok: false, error: { code: "bad_request", message: `${where}${issue?.message ?? "invalid input"}` } };
  }
  const { body } = toErrorBody(error);
  return { ok: false, error: { code: body.error.code, message: body.error.message } };
}

/** Any signed-in user does their own assignments: the data functions check the assignment is theirs. */
async function requireTrainee() {
  const user = await getCurrentUser();
  if (!user) throw new AppError("unauthenticated", "sign in first");
  return user;
}

const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

export async function installShippedPacksAction(): Promise<{ ok: true; results: PackInstallStatus[] } | Failure> {
  try {
    const actor = await requirePermission("training:manage");
    const results = await installShippedPacks(actor);
    revalidatePath("/training/manage");
    return { ok: true, results };
  } catch (error) {
    return fail(error);
  }
}

export async function createScenarioFromPackAction(input: {
  packId: string;
  title?: string;
}): Promise<{ ok: true; scenarioId: string } | Failure> {
  try {
    const actor = await requirePermission("training:manage");
    const created = await createScenarioFromPack(actor, input);
    revalidatePath("/training/manage");
    return { ok: true, scenarioId: created.id };
  } catch (error) {
    return fail(error);
  }
}

export async function createScenarioFromUploadAction(
  form: FormData,
): Promise<{ ok: true; scenarioId: string; events: number; rejected: number; matches: number } | Failure> {
  try {
    const actor = await requirePermission("training:manage");
    const file = form.get("file");
    if (!(file instanceof File) || file.size === 0) throw new AppError("bad_request", "choose an event file");
    if (file.size > MAX_UPLOAD_BYTES) throw new AppError("payload_too_large", "the file is larger than 20 MB");
    const created = await createScenarioFromUpload(
      actor,
      {
        title: String(form.get("title") ?? ""),
        description: String(form.get("description") ?? ""),
        sourceNote: String(form.get("sourceNote") ?? ""),
        expectedVerdict: String(form.get("expectedVerdict") ?? "") as "true_positive",
      },
      { name: file.name, stream: file.stream() as unknown as AsyncIterable<Uint8Array> },
    );
    revalidatePath("/training/manage");
    return {
      ok: true,
      scenarioId: created.id,
      events: created.events,
      rejected: created.rejected,
      matches: created.matches,
    };
  } catch (error) {
    return fail(error);
  }
}

export async function updateScenarioAction(scenarioId: string, input: unknown): Promise<{ ok: true } | Failure> {
  try {
    const actor = await requirePermission("training:manage");
    await updateScenario(actor, scenarioId, input as Parameters<typeof updateScenario>[2]);
    revalidatePath("/training/manage");
    revalidatePath(`/training/manage/scenarios/${scenarioId}`);
    return { ok: true };
  } catch (error) {
    return fail(error);
  }
}

export async function assignScenarioAction(input: {
  scenarioId: string;
  traineeIds: string[];
}): Promise<{ ok: true; count: number } | Failure> {
  try {
    const actor = await requirePermission("training:manage");
    const { assignmentIds } = await assignScenario(actor, input);
    revalidatePath("/training/manage");
    revalidatePath("/training");
    return { ok: true, count: assignmentIds.length };
  } catch (error) {
    return fail(error);
  }
}

export async function addGuideTipAction(input: {
  stepId: string;
  text: string;
  visibleToAll: boolean;
}): Promise<{ ok: true } | Failure> {
  try {
    const actor = await requirePermission("training:manage");
    await addGuideTip(actor, input);
    revalidatePath("/training/manage");
    revalidatePath("/alerts", "layout");
    return { ok: true };
  } catch (error) {
    return fail(error);
  }
}

export async function deleteGuideTipAction(tipId: string): Promise<{ ok: true } | Failure> {
  try {
    const actor = await requirePermission("training:manage");
    await deleteGuideTip(actor, tipId);
    revalidatePath("/training/manage");
    revalidatePath("/alerts", "layout");
    return { ok: true };
  } catch (error) {
    return fail(error);
  }
}

// ---------------------------------------------------------------- trainee

export async function openTrainingStepAction(assignmentId: string, stepId: string): Promise<{ ok: true } | Failure> {
  try {
    const user = await requireTrainee();
    await recordOpenStep(user, assignmentId, stepId);
    return { ok: true };
  } catch (error) {
    return fail(error);
  }
}

export async function answerTrainingQuestionAction(
  assignmentId: string,
  input: { questionId: string; answer: string },
): Promise<{ ok: true; feedback: AnswerFeedback } | Failure> {
  try {
    const user = await requireTrainee();
    const feedback = await answerTrainingQuestion(user, assignmentId, input);
    revalidatePath(`/training/${assignmentId}`);
    return { ok: true, feedback };
  } catch (error) {
    return fail(error);
  }
}

export async function takeTrainingHintAction(
  assignmentId: string,
  input: { questionId: string; hintIndex: number },
): Promise<{ ok: true; hint: { questionId: string; index: number; text: string; cost: number } } | Failure> {
  try {
    const user = await requireTrainee();
    const hint = await takeTrainingHint(user, assignmentId, input);
    revalidatePath(`/training/${assignmentId}`);
    return { ok: true, hint };
  } catch (error) {
    return fail(error);
  }
}

export async function submitTrainingVerdictAction(
  assignmentId: string,
  input: { verdict: string },
): Promise<{ ok: true; summary: ScoreSummary } | Failure> {
  try {
    const user = await requireTrainee();
    const summary = await submitTrainingVerdict(user, assignmentId, input as { verdict: "true_positive" });
    revalidatePath(`/training/${assignmentId}`);
    revalidatePath("/training");
    revalidatePath("/training/manage");
    return { ok: true, summary };
  } catch (error) {
    return fail(error);
  }
}
