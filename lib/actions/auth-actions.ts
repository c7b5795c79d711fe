"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { getAuth } from "@/lib/auth/auth";
import { LoginRateLimiter } from "@/lib/auth/login-rate-limit";

const limiterCache = globalThis as unknown as { __wmiLoginLimiter?: LoginRateLimiter };
const limiter = (limiterCache.__wmiLoginLimiter ??= new LoginRateLimiter());

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
  const client = requestHeaders.get("x-forwarded-for")?.split(",")[0].trim() ?? "local";
  const key = `${client}|${parsed.data.email.toLowerCase()}`;
  const wait = limiter.retryAfter(key);
  if (wait > 0) return { error: `too many failed sign-in attempts; try again in ${Math.ceil(wait / 1000)} s` };
  try {
    await getAuth().api.signInEmail({
      body: { email: parsed.data.email, password: parsed.data.password },
      headers: requestHeaders,
    });
  } catch {
    limiter.recordFailure(key);
    return { error: "wrong email or password" };
  }
  limiter.recordSuccess(key);
  const next =
    parsed.data.next && parsed.data.next.startsWith("/") && !parsed.data.next.startsWith("//") ? parsed.data.next : "/";
  redirect(next);
}

export async function signOutAction(): Promise<void> {
  await getAuth().api.signOut({ headers: await headers() });
  redirect("/login");
}
