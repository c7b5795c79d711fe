"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { withPermission, type Failure } from "@/lib/actions/with-permission";
import { createApiToken, revokeApiToken } from "@/lib/data/api-tokens";
import { roleLabel } from "@/lib/format/labels";
import {
  createUser,
  createUserSchema,
  passwordSchema,
  resetUserPassword,
  roleSchema,
  setUserDisabled,
  setUserRole,
} from "@/lib/data/users";

export type UserActionResult = { ok: true; message: string } | Failure;

export const createUserAction = withPermission(
  "users:manage",
  z.tuple([createUserSchema]),
  async (actor, input): Promise<UserActionResult> => {
    const user = await createUser(actor, input);
    revalidatePath("/admin/users");
    return { ok: true, message: `created ${user.email} (${user.role})` };
  },
);

const idSchema = z.string().min(1).max(100);

export const setUserRoleAction = withPermission(
  "users:manage",
  // the form sends the select's string; roleSchema names the valid roles
  z.tuple([idSchema, z.string().pipe(roleSchema)]),
  async (actor, userId, role): Promise<UserActionResult> => {
    const user = await setUserRole(actor, userId, role);
    revalidatePath("/admin/users");
    return { ok: true, message: `${user.email} is now ${roleLabel(user.role)}` };
  },
);

export const setUserDisabledAction = withPermission(
  "users:manage",
  z.tuple([idSchema, z.boolean()]),
  async (actor, userId, disabled): Promise<UserActionResult> => {
    const user = await setUserDisabled(actor, userId, disabled);
    revalidatePath("/admin/users");
    return {
      ok: true,
      message: `${user.email} ${user.disabled ? `disabled (${user.sessionsEnded} session(s) ended)` : "enabled"}`,
    };
  },
);

export const resetUserPasswordAction = withPermission(
  "users:manage",
  z.tuple([idSchema, passwordSchema]),
  async (actor, userId, password): Promise<UserActionResult> => {
    await resetUserPassword(actor, userId, password);
    revalidatePath("/admin/users");
    return { ok: true, message: "password reset; the user's sessions were ended" };
  },
);

const tokenNameSchema = z.string().trim().min(1, "name the token").max(100);

/** The token is in the result once and nowhere else: only its hash is stored. */
export const createApiTokenAction = withPermission(
  "tokens:manage",
  z.tuple([tokenNameSchema]),
  async (actor, name): Promise<{ ok: true; token: string; name: string } | Failure> => {
    const { token } = await createApiToken(actor.id, name);
    revalidatePath("/admin/tokens");
    return { ok: true, token, name };
  },
);

export const revokeApiTokenAction = withPermission(
  "tokens:manage",
  z.tuple([z.uuid()]),
  async (actor, tokenId): Promise<UserActionResult> => {
    await revokeApiToken(actor.id, tokenId);
    revalidatePath("/admin/tokens");
    return { ok: true, message: "token revoked" };
  },
);
