"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { getAuth } from "@/lib/auth/auth";
import { safeNextPath } from "@/lib/http/safe-next";

const signInSchema = z.object({
  email: z.email("enter a valid email address"),
  password: z.string().min(1, "enter your password"),
  next: z.string().optional(),
});

export type SignInState = { error: string | null };

export async function signInAction(_prev: SignInState, form: FormData): Promise<SignInState> {
  const parsed = signInSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return { error: parsed.error.issues[0].message };
  const requestHeaders = await headers();
  try {
    // throttled (per account, and per address behind a trusted proxy) in lib/auth/auth.ts's hooks
    await getAuth().api.signInEmail({
      body: { email: parsed.data.email, password: parsed.data.password },
      headers: requestHeaders,
    });
  } catch (error) {
    const status = (error as { statusCode?: number }).statusCode;
    if (status === 429) return { error: (error as Error).message };
    if (status === 403) return { error: "this account is disabled; ask an admin" };
    return { error: "wrong email or password" };
  }
  redirect(safeNextPath(parsed.data.next));
}

export async function signOutAction(): Promise<void> {
  await getAuth().api.signOut({ headers: await headers() });
  redirect("/login");
}
