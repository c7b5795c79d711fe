"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { withPermission, type ActionOptions, type Failure } from "@/lib/actions/with-permission";
import { AppError } from "@/lib/app-error";
import { claimSourceNow, createSource, deleteSource, resolveTestConnection, updateSource } from "@/lib/data/sources";
import { pollSource, testSourceConnection, type ConnectionTestResult } from "@/lib/services/poller";
import { sourceInputSchema } from "@/lib/sources/source-input";

/**
 * Event-source admin actions. Sources hold cluster credentials, so every action requires
 * `tokens:manage`, which only admins hold (lib/auth/permissions.ts).
 */

const idSchema = z.uuid();
const versionSchema = z.iso.datetime({ offset: true }).transform((v) => new Date(v));
const PAGE = "/admin/sources";
// the source form has many fields: a message names the one that is wrong
const FORM: ActionOptions = { fieldPaths: true };

export type SourceActionResult = { ok: true; id: string; message: string; updatedAt: string } | Failure;

export const createSourceAction = withPermission(
  "tokens:manage",
  z.tuple([sourceInputSchema]),
  async (actor, values): Promise<SourceActionResult> => {
    const source = await createSource(actor, values);
    revalidatePath(PAGE);
    return {
      ok: true,
      id: source.id,
      message: `source “${source.name}” created`,
      updatedAt: source.updatedAt.toISOString(),
    };
  },
  FORM,
);

export const updateSourceAction = withPermission(
  "tokens:manage",
  z.tuple([idSchema, versionSchema, sourceInputSchema]),
  async (actor, id, version, values): Promise<SourceActionResult> => {
    const source = await updateSource(actor, id, version, values);
    revalidatePath(PAGE);
    revalidatePath(`${PAGE}/${id}`);
    return {
      ok: true,
      id: source.id,
      message: `source “${source.name}” saved`,
      updatedAt: source.updatedAt.toISOString(),
    };
  },
  FORM,
);

export const deleteSourceAction = withPermission(
  "tokens:manage",
  z.tuple([idSchema, versionSchema]),
  async (actor, id, version): Promise<{ ok: true } | Failure> => {
    await deleteSource(actor, id, version);
    revalidatePath(PAGE);
    return { ok: true };
  },
  FORM,
);

/** Tests the form's values (with the stored secret when the field was left empty). */
export const testSourceConnectionAction = withPermission(
  "tokens:manage",
  z.tuple([idSchema.nullable(), sourceInputSchema]),
  async (actor, id, values): Promise<{ ok: true; result: ConnectionTestResult } | Failure> => {
    const connection = await resolveTestConnection(actor, id, values);
    return { ok: true, result: await testSourceConnection(connection) };
  },
  FORM,
);

export const pollSourceNowAction = withPermission(
  "tokens:manage",
  z.tuple([idSchema]),
  async (actor, sourceId): Promise<{ ok: true; message: string } | Failure> => {
    if (!(await claimSourceNow(actor, sourceId, new Date())))
      throw new AppError("conflict", "this source was polled less than a minute ago; wait a moment");
    const outcome = await pollSource(sourceId);
    revalidatePath(PAGE);
    if (!outcome.ok) return { ok: false, error: { code: "unavailable", message: `poll failed: ${outcome.error}` } };
    return {
      ok: true,
      message:
        `polled ${outcome.windows} window(s): ${outcome.received} read, ${outcome.stored} new, ` +
        `${outcome.alerts} alert(s)${outcome.caughtUp ? "" : "; still catching up"}`,
    };
  },
  FORM,
);
