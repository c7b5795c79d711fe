"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { toErrorBody, type AppErrorCode } from "@/lib/app-error";
import { requirePermission } from "@/lib/auth/session";
import { createApiToken, revokeApiToken } from "@/lib/data/api-tokens";
import {
  createUser,
  createUserSchema,
  passwordSchema,
  resetUserPassword,
  roleSchema,
  setUserDisabled,
  setUserRole,
} from "@/lib/data/users";

type Failure = { ok: false; error: { code: AppErrorCode; message: string } };

function fail(error: unknown): Failure {
  if (error instanceof z.ZodError)
    return { ok: false, error: { code: "bad_request", message: error.issues[0]?.message ?? "invalid input" } };
  const { body } = toErrorBody(error);
  return { ok: false, error: { code: body.error.code, message: body.error.message } };
}

export type UserActionResult = { ok: true; message: string } | Failure;

export async function createUserAction(input: z.input<typeof createUserSchema>): Promise<UserActionResult> {
  try {
    const actor = await requirePermission("users:manage");
    const user = await createUser(actor, createUserSchema.parse(input));
    revalidatePath("/admin/users");
    return { ok: true, message: `created ${user.email} (${user.role})` };
  } catch (error) {
    return fail(error);
  }
}

const idSchema = z.string().min(1).max(100);

export async function setUserRoleAction(userId: string, role: string): Promise<UserActionResult> {
  try {
    const actor = await requirePermission("users:manage");
    const user = await setUserRole(actor, idSchema.parse(userId), roleSchema.parse(role));
    revalidatePath("/admin/users");
    return { ok: true, message: `${user.email} is now ${user.role}` };
  } catch (error) {
    return fail(error);
  }
}

export async function setUserDisabledAction(userId: string, disabled: boolean): Promise<UserActionResult> {
  try {
    const actor = await requirePermission("users:manage");
    const user = await setUserDisabled(actor, idSchema.parse(userId), z.boolean().parse(disabled));
    revalidatePath("/admin/users");
    return {
      ok: true,
      message: `${user.email} ${user.disabled ? `disabled (${user.sessionsEnded} session(s) ended)` : "enabled"}`,
    };
  } catch (error) {
    return fail(error);
  }
}

export async function resetUserPasswordAction(userId: string, password: string): Promise<UserActionResult> {
  try {
    const actor = await requirePermission("users:manage");
    await resetUserPassword(actor, idSchema.parse(userId), passwordSchema.parse(password));
    revalidatePath("/admin/users");
    return { ok: true, message: "password reset; the user's sessions were ended" };
  } catch (error) {
    return fail(error);
  }
}

const tokenNameSchema = z.string().trim().min(1, "name the token").max(100);

/** The token is in the result once and nowhere else: only its hash is stored. */
export async function createApiTokenAction(name: string): Promise<{ ok: true; token: string; name: string } | Failure> {
  try {
    const actor = await requirePermission("tokens:manage");
    const parsed = tokenNameSchema.parse(name);
    const { token } = await createApiToken(actor.id, parsed);
    revalidatePath("/admin/tokens");
    return { ok: true, token, name: parsed };
  } catch (error) {
    return fail(error);
  }
}

export async function revokeApiTokenAction(tokenId: string): Promise<UserActionResult> {
  try {
    const actor = await requirePermission("tokens:manage");
    await revokeApiToken(actor.id, z.uuid().parse(tokenId));
    revalidatePath("/admin/tokens");
    return { ok: true, message: "token revoked" };
  } catch (error) {
    return fail(error);
  }
}
