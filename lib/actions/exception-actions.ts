"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { toFailure, withPermission, type Failure } from "@/lib/actions/with-permission";
import type { CurrentUser } from "@/lib/auth/session";
import { closeAlertsMatchingException } from "@/lib/data/exception-close";
import { exportExceptions, importExceptions, type ImportSummary } from "@/lib/data/exception-transfer";
import { whatIfException, type WhatIfResult } from "@/lib/data/exception-what-if";
import { createException, deleteException, setExceptionEnabled, updateException } from "@/lib/data/exceptions";
import { conditionsSchema } from "@/lib/exceptions/conditions";
import { exceptionInputSchema } from "@/lib/exceptions/input";
import type { CaseWarning } from "@/lib/exceptions/kibana";

function revalidateExceptions(id?: string) {
  revalidatePath("/exceptions");
  if (id) revalidatePath(`/exceptions/${id}`);
}

const idSchema = z.uuid("no such exception");
const stampSchema = z.iso.datetime({ offset: true }).transform((s) => new Date(s));
/** true = after saving, close the open alerts the exception matches (as benign positive) */
const closeSchema = z.boolean().default(false);

export type WhatIfActionResult = { ok: true; result: WhatIfResult } | Failure;

export const whatIfExceptionAction = withPermission(
  "exceptions:write",
  z.tuple([conditionsSchema]),
  async (user, conditions): Promise<WhatIfActionResult> => ({
    ok: true,
    result: await whatIfException(user, conditions),
  }),
);

export interface ClosedByException {
  matched: number;
  updated: number;
  conflicts: number;
}

export type SaveExceptionResult =
  { ok: true; id: string; updatedAt: string; closed: ClosedByException | null } | Failure;

async function closeMatching(user: CurrentUser, id: string): Promise<ClosedByException> {
  const result = await closeAlertsMatchingException(user, id);
  revalidatePath("/alerts");
  revalidatePath("/queue");
  return { matched: result.matched, updated: result.updated.length, conflicts: result.conflicts.length };
}

export const createExceptionAction = withPermission(
  "exceptions:write",
  z.tuple([exceptionInputSchema, closeSchema]),
  async (user, data, close): Promise<SaveExceptionResult> => {
    const saved = await createException(user, data);
    // a failure to close alerts must not hide that the exception was saved
    let closed = null;
    try {
      if (close) closed = await closeMatching(user, saved.id);
    } catch (error) {
      revalidateExceptions(saved.id);
      const { code, message } = toFailure(error).error;
      return {
        ok: false,
        error: { code, message: `the exception was saved, but closing its alerts failed: ${message}` },
      };
    }
    revalidateExceptions(saved.id);
    return { ok: true, id: saved.id, updatedAt: saved.updatedAt.toISOString(), closed };
  },
);

export const updateExceptionAction = withPermission(
  "exceptions:write",
  z.tuple([idSchema, exceptionInputSchema, stampSchema, closeSchema]),
  async (user, id, data, expectedUpdatedAt, close): Promise<SaveExceptionResult> => {
    const saved = await updateException(user, id, data, expectedUpdatedAt);
    const closed = close ? await closeMatching(user, saved.id) : null;
    revalidateExceptions(saved.id);
    return { ok: true, id: saved.id, updatedAt: saved.updatedAt.toISOString(), closed };
  },
);

export type SimpleResult = { ok: true; updatedAt?: string } | Failure;

export type CloseMatchingResult = { ok: true; closed: ClosedByException } | Failure;

/** The lead's explicit "Close matching open alerts" on an exception. */
export const closeMatchingAlertsAction = withPermission(
  "exceptions:write",
  z.tuple([idSchema]),
  async (user, id): Promise<CloseMatchingResult> => {
    const closed = await closeMatching(user, id);
    revalidateExceptions(id);
    return { ok: true, closed };
  },
);

export const setExceptionEnabledAction = withPermission(
  "exceptions:write",
  z.tuple([idSchema, z.boolean(), stampSchema]),
  async (user, id, enabled, expectedUpdatedAt): Promise<SimpleResult> => {
    const saved = await setExceptionEnabled(user, id, enabled, expectedUpdatedAt);
    revalidateExceptions(id);
    return { ok: true, updatedAt: saved.updatedAt.toISOString() };
  },
);

export const deleteExceptionAction = withPermission(
  "exceptions:write",
  z.tuple([idSchema, stampSchema]),
  async (user, id, expectedUpdatedAt): Promise<SimpleResult> => {
    await deleteException(user, id, expectedUpdatedAt);
    revalidateExceptions();
    return { ok: true };
  },
);

/** Kibana exports of a few thousand items are well under this. */
const MAX_IMPORT_BYTES = 5 * 1024 * 1024;

export type ImportActionResult = { ok: true; summary: ImportSummary } | Failure;

export const importExceptionsAction = withPermission(
  "exceptions:write",
  z.tuple([z.instanceof(FormData)]),
  async (user, form): Promise<ImportActionResult> => {
    const file = form.get("file");
    if (!(file instanceof File) || file.size === 0)
      return { ok: false, error: { code: "bad_request", message: "choose a Kibana exception-list export (.ndjson)" } };
    if (file.size > MAX_IMPORT_BYTES)
      return { ok: false, error: { code: "payload_too_large", message: "the file is larger than 5 MiB" } };
    const summary = await importExceptions(user, await file.text());
    revalidateExceptions();
    return { ok: true, summary };
  },
);

export type ExportActionResult = { ok: true; fileName: string; text: string; warnings: CaseWarning[] } | Failure;

export const exportExceptionsAction = withPermission(
  "rule:read",
  z.tuple([]),
  async (user): Promise<ExportActionResult> => {
    const { text, warnings } = await exportExceptions(user);
    const fileName = `wmi-triage-exceptions-${new Date().toISOString().slice(0, 10)}.ndjson`;
    return { ok: true, fileName, text, warnings };
  },
);
