"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { withPermission, type ActionOptions, type Failure } from "@/lib/actions/with-permission";
import { AppError } from "@/lib/app-error";
import { addGuideTip, deleteGuideTip } from "@/lib/data/guide-tips";
import { assignScenario } from "@/lib/data/training-assignments";
import { installShippedPacks, type PackInstallStatus } from "@/lib/data/training-packs";
import { createScenarioFromPack, createScenarioFromUpload, updateScenario } from "@/lib/data/training-scenarios";
import {
  answerTrainingQuestion,
  recordOpenStep,
  submitTrainingVerdict,
  takeTrainingHint,
  type AnswerFeedback,
} from "@/lib/data/training-trainee";
import type { ScoreSummary } from "@/lib/training/scoring";

// The training forms' fields are checked by the schemas of lib/data/training-*.ts, which the data
// functions apply whoever calls them; here each argument only has to have its shape.
const input = <F extends (...args: never[]) => unknown, I extends number>() =>
  z.custom<Parameters<F>[I]>((value) => value !== null && typeof value === "object");
const id = z.string();
// many fields: a message names the one that is wrong
const FORM: ActionOptions = { fieldPaths: true };
/**
 * Trainees do their own assignments: any signed-in user (every role reads alerts); the data
 * functions check the assignment is theirs.
 */
const SIGNED_IN = "alerts:read";

const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

export const installShippedPacksAction = withPermission(
  "training:manage",
  z.tuple([]),
  async (actor): Promise<{ ok: true; results: PackInstallStatus[] } | Failure> => {
    const results = await installShippedPacks(actor);
    revalidatePath("/training/manage");
    return { ok: true, results };
  },
  FORM,
);

export const createScenarioFromPackAction = withPermission(
  "training:manage",
  z.tuple([input<typeof createScenarioFromPack, 1>()]),
  async (actor, fields): Promise<{ ok: true; scenarioId: string } | Failure> => {
    const created = await createScenarioFromPack(actor, fields);
    revalidatePath("/training/manage");
    return { ok: true, scenarioId: created.id };
  },
  FORM,
);

export const createScenarioFromUploadAction = withPermission(
  "training:manage",
  z.tuple([z.instanceof(FormData)]),
  async (
    actor,
    form,
  ): Promise<{ ok: true; scenarioId: string; events: number; rejected: number; matches: number } | Failure> => {
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
  },
  FORM,
);

export const updateScenarioAction = withPermission(
  "training:manage",
  z.tuple([id, z.record(z.string(), z.unknown())]),
  async (actor, scenarioId, fields): Promise<{ ok: true } | Failure> => {
    await updateScenario(actor, scenarioId, fields as Parameters<typeof updateScenario>[2]);
    revalidatePath("/training/manage");
    revalidatePath(`/training/manage/scenarios/${scenarioId}`);
    return { ok: true };
  },
  FORM,
);

export const assignScenarioAction = withPermission(
  "training:manage",
  z.tuple([input<typeof assignScenario, 1>()]),
  async (actor, fields): Promise<{ ok: true; count: number } | Failure> => {
    const { assignmentIds } = await assignScenario(actor, fields);
    revalidatePath("/training/manage");
    revalidatePath("/training");
    return { ok: true, count: assignmentIds.length };
  },
  FORM,
);

export const addGuideTipAction = withPermission(
  "training:manage",
  z.tuple([input<typeof addGuideTip, 1>()]),
  async (actor, fields): Promise<{ ok: true } | Failure> => {
    await addGuideTip(actor, fields);
    revalidatePath("/training/manage");
    revalidatePath("/alerts", "layout");
    return { ok: true };
  },
  FORM,
);

export const deleteGuideTipAction = withPermission(
  "training:manage",
  z.tuple([id]),
  async (actor, tipId): Promise<{ ok: true } | Failure> => {
    await deleteGuideTip(actor, tipId);
    revalidatePath("/training/manage");
    revalidatePath("/alerts", "layout");
    return { ok: true };
  },
  FORM,
);

// ---------------------------------------------------------------- trainee

export const openTrainingStepAction = withPermission(
  SIGNED_IN,
  z.tuple([id, id]),
  async (user, assignmentId, stepId): Promise<{ ok: true } | Failure> => {
    await recordOpenStep(user, assignmentId, stepId);
    return { ok: true };
  },
  FORM,
);

export const answerTrainingQuestionAction = withPermission(
  SIGNED_IN,
  z.tuple([id, input<typeof answerTrainingQuestion, 2>()]),
  async (user, assignmentId, answer): Promise<{ ok: true; feedback: AnswerFeedback } | Failure> => {
    const feedback = await answerTrainingQuestion(user, assignmentId, answer);
    revalidatePath(`/training/${assignmentId}`);
    return { ok: true, feedback };
  },
  FORM,
);

export const takeTrainingHintAction = withPermission(
  SIGNED_IN,
  z.tuple([id, input<typeof takeTrainingHint, 2>()]),
  async (
    user,
    assignmentId,
    request,
  ): Promise<{ ok: true; hint: { questionId: string; index: number; text: string; cost: number } } | Failure> => {
    const hint = await takeTrainingHint(user, assignmentId, request);
    revalidatePath(`/training/${assignmentId}`);
    return { ok: true, hint };
  },
  FORM,
);

export const submitTrainingVerdictAction = withPermission(
  SIGNED_IN,
  z.tuple([id, z.object({ verdict: z.string() })]),
  async (user, assignmentId, verdict): Promise<{ ok: true; summary: ScoreSummary } | Failure> => {
    // the verdict's value is checked by lib/data/training-trainee.ts (verdictSchema)
    const summary = await submitTrainingVerdict(user, assignmentId, verdict as { verdict: "true_positive" });
    revalidatePath(`/training/${assignmentId}`);
    revalidatePath("/training");
    revalidatePath("/training/manage");
    return { ok: true, summary };
  },
  FORM,
);
