"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { toErrorBody, type AppErrorCode } from "@/lib/app-error";
import { requirePermission } from "@/lib/auth/session";
import {
  closeAlertsMatchingException,
  createException,
  deleteException,
  exportExceptions,
  importExceptions,
  setExceptionEnabled,
  updateException,
  whatIfException,
  type ImportSummary,
  type WhatIfResult,
} from "@/lib/data/exceptions";
import { conditionsSchema } from "@/lib/exceptions/conditions";
import { CLOSE_ON_SAVE_REASONS, exceptionInputSchema, type ExceptionInputDraft } from "@/lib/exceptions/input";

type Failure = { ok: false; error: { code: AppErrorCode; message: string } };

function fail(error: unknown): Failure {
  if (error instanceof z.ZodError) {
    const issue = error.issues[0];
    return { ok: false, error: { code: "bad_request", message: issue ? issue.message : "invalid input" } };
  }
  const { body } = toErrorBody(error);
  return { ok: false, error: { code: body.error.code, message: body.error.message } };
}

function revalidateExceptions(id?: string) {
  revalidatePath("/exceptions");
  if (id) revalidatePath(`/exceptions/${id}`);
}

const idSchema = z.uuid("no such exception");
const stampSchema = z.iso.datetime({ offset: true }).transform((s) => new Date(s));
const closeSchema = z.enum(CLOSE_ON_SAVE_REASONS).nullable().default(null);

export type WhatIfActionResult = { ok: true; result: WhatIfResult } | Failure;

export async function whatIfExceptionAction(conditions: unknown): Promise<WhatIfActionResult> {
  try {
    const user = await requirePermission("exceptions:write");
    const parsed = conditionsSchema.parse(conditions);
    return { ok: true, result: await whatIfException(user, parsed) };
  } catch (error) {
    return fail(error);
  }
}

export type SaveExceptionResult =
  | {
      ok: true;
      id: string;
      updatedAt: string;
      closed: { matched: number; updated: number; blocked: number; conflicts: number } | null;
    }
  | Failure;

async function closeAfterSave(
  user: Awaited<ReturnType<typeof requirePermission>>,
  id: string,
  reason: z.infer<typeof closeSchema>,
) {
  if (!reason) return null;
  const result = await closeAlertsMatchingException(user, id, reason);
  revalidatePath("/alerts");
  return {
    matched: result.matched,
    updated: result.updated.length,
    blocked: result.blocked.length,
    conflicts: result.conflicts.length,
  };
}

export async function createExceptionAction(
  input: ExceptionInputDraft,
  closeMatching: string | null = null,
): Promise<SaveExceptionResult> {
  try {
    const user = await requirePermission("exceptions:write");
    const data = exceptionInputSchema.parse(input);
    const reason = closeSchema.parse(closeMatching);
    const saved = await createException(user, data);
    // a failure to close alerts must not hide that the exception was saved
    let closed = null;
    try {
      closed = await closeAfterSave(user, saved.id, reason);
    } catch (error) {
      revalidateExceptions(saved.id);
      return {
        ok: false,
        error: {
          code: fail(error).error.code,
          message: `the exception was saved, but closing its alerts failed: ${fail(error).error.message}`,
        },
      };
    }
    revalidateExceptions(saved.id);
    return { ok: true, id: saved.id, updatedAt: saved.updatedAt.toISOString(), closed };
  } catch (error) {
    return fail(error);
  }
}

export async function updateExceptionAction(
  id: string,
  input: ExceptionInputDraft,
  expectedUpdatedAt: string,
  closeMatching: string | null = null,
): Promise<SaveExceptionResult> {
  try {
    const user = await requirePermission("exceptions:write");
    const saved = await updateException(
      user,
      idSchema.parse(id),
      exceptionInputSchema.parse(input),
      stampSchema.parse(expectedUpdatedAt),
    );
    const closed = await closeAfterSave(user, saved.id, closeSchema.parse(closeMatching));
    revalidateExceptions(saved.id);
    return { ok: true, id: saved.id, updatedAt: saved.updatedAt.toISOString(), closed };
  } catch (error) {
    return fail(error);
  }
}

export type SimpleResult = { ok: true; updatedAt?: string } | Failure;

export async function setExceptionEnabledAction(
  id: string,
  enabled: boolean,
  expectedUpdatedAt: string,
): Promise<SimpleResult> {
  try {
    const user = await requirePermission("exceptions:write");
    const saved = await setExceptionEnabled(
      user,
      idSchema.parse(id),
      z.boolean().parse(enabled),
      stampSchema.parse(expectedUpdatedAt),
    );
    revalidateExceptions(id);
    return { ok: true, updatedAt: saved.updatedAt.toISOString() };
  } catch (error) {
    return fail(error);
  }
}

export async function deleteExceptionAction(id: string, expectedUpdatedAt: string): Promise<SimpleResult> {
  try {
    const user = await requirePermission("exceptions:write");
    await deleteException(user, idSchema.parse(id), stampSchema.parse(expectedUpdatedAt));
    revalidateExceptions();
    return { ok: true };
  } catch (error) {
    return fail(error);
  }
}

/** Kibana exports of a few thousand items are well under this. */
const MAX_IMPORT_BYTES = 5 * 1024 * 1024;

export type ImportActionResult = { ok: true; summary: ImportSummary } | Failure;

export async function importExceptionsAction(form: FormData): Promise<ImportActionResult> {
  try {
    const user = await requirePermission("exceptions:write");
    const file = form.get("file");
    if (!(file instanceof File) || file.size === 0)
      return { ok: false, error: { code: "bad_request", message: "choose a Kibana exception-list export (.ndjson)" } };
    if (file.size > MAX_IMPORT_BYTES)
      return { ok: false, error: { code: "payload_too_large", message: "the file is larger than 5 MiB" } };
    const summary = await importExceptions(user, await file.text());
    revalidateExceptions();
    return { ok: true, summary };
  } catch (error) {
    return fail(error);
  }
}

export type ExportActionResult = { ok: true; fileName: string; text: string } | Failure;

export async function exportExceptionsAction(): Promise<ExportActionResult> {
  try {
    const user = await requirePermission("rule:read");
    const text = await exportExceptions(user);
    return { ok: true, fileName: `wmi-triage-exceptions-${new Date().toISOString().slice(0, 10)}.ndjson`, text };
  } catch (error) {
    return fail(error);
  }
}
