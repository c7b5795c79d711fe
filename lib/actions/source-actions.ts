"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { AppError, toErrorBody, type AppErrorCode } from "@/lib/app-error";
import { requirePermission } from "@/lib/auth/session";
import { claimSourceNow, createSource, deleteSource, resolveTestConnection, updateSource } from "@/lib/data/sources";
import { pollSource, testSourceConnection, type ConnectionTestResult } from "@/lib/services/poller";
import { sourceInputSchema, type SourceFormValues } from "@/lib/sources/source-input";

/**
 * Event-source admin actions. Sources hold cluster credentials, so every action requires
 * `tokens:manage`, which only admins hold (lib/auth/permissions.ts).
 */
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

const idSchema = z.uuid();
const versionSchema = z.iso.datetime({ offset: true }).transform((v) => new Date(v));
const PAGE = "/admin/sources";

export type SourceActionResult = { ok: true; id: string; message: string; updatedAt: string } | Failure;

export async function createSourceAction(values: SourceFormValues): Promise<SourceActionResult> {
  try {
    const actor = await requirePermission("tokens:manage");
    const source = await createSource(actor, sourceInputSchema.parse(values));
    revalidatePath(PAGE);
    return {
      ok: true,
      id: source.id,
      message: `source “${source.name}” created`,
      updatedAt: source.updatedAt.toISOString(),
    };
  } catch (error) {
    return fail(error);
  }
}

export async function updateSourceAction(
  id: string,
  version: string,
  values: SourceFormValues,
): Promise<SourceActionResult> {
  try {
    const actor = await requirePermission("tokens:manage");
    const source = await updateSource(
      actor,
      idSchema.parse(id),
      versionSchema.parse(version),
      sourceInputSchema.parse(values),
    );
    revalidatePath(PAGE);
    revalidatePath(`${PAGE}/${id}`);
    return {
      ok: true,
      id: source.id,
      message: `source “${source.name}” saved`,
      updatedAt: source.updatedAt.toISOString(),
    };
  } catch (error) {
    return fail(error);
  }
}

export async function deleteSourceAction(id: string, version: string): Promise<{ ok: true } | Failure> {
  try {
    const actor = await requirePermission("tokens:manage");
    await deleteSource(actor, idSchema.parse(id), versionSchema.parse(version));
    revalidatePath(PAGE);
    return { ok: true };
  } catch (error) {
    return fail(error);
  }
}

/** Tests the form's values (with the stored secret when the field was left empty). */
export async function testSourceConnectionAction(
  id: string | null,
  values: SourceFormValues,
): Promise<{ ok: true; result: ConnectionTestResult } | Failure> {
  try {
    const actor = await requirePermission("tokens:manage");
    const connection = await resolveTestConnection(
      actor,
      id ? idSchema.parse(id) : null,
      sourceInputSchema.parse(values),
    );
    return { ok: true, result: await testSourceConnection(connection) };
  } catch (error) {
    return fail(error);
  }
}

export async function pollSourceNowAction(id: string): Promise<{ ok: true; message: string } | Failure> {
  try {
    const actor = await requirePermission("tokens:manage");
    const sourceId = idSchema.parse(id);
    if (!(await claimSourceNow(actor, sourceId, new Date())))
      throw new AppError("conflict", "this source was polled less than a minute ago; wait a moment");
    const outcome = await pollSource(sourceId);
    revalidatePath(PAGE);
    if (!outcome.ok) return { ok: false, error: { code: "unavailable", message: `poll failed: ${outcome.error}` } };
    return {
      ok: true,
      message: `polled ${outcome.windows} window(s): ${outcome.received} read, ${outcome.stored} new, ${outcome.alerts} alert(s)${outcome.caughtUp ? "" : "; still catching up"}`,
    };
  } catch (error) {
    return fail(error);
  }
}
