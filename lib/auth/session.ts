import "server-only";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { AppError } from "@/lib/app-error";
import { getAuth } from "@/lib/auth/auth";
import { can, isRole, type Permission, type Role } from "@/lib/auth/permissions";

export interface CurrentUser {
  id: string;
  name: string;
  email: string;
  role: Role;
}

/**
 * The signed-in user, or null. Disabled users have no session. Looked up once per request: the
 * layout's nav bar, the alert's layout and its page all ask, and React's cache() answers from the first.
 */
export const getCurrentUser = cache(async (): Promise<CurrentUser | null> => {
  // headers() first: it marks the render dynamic before anything needs the auth secret
  const requestHeaders = await headers();
  const session = await getAuth().api.getSession({ headers: requestHeaders });
  if (!session) return null;
  const user = session.user as typeof session.user & { role?: string; disabled?: boolean };
  if (user.disabled || !isRole(user.role)) return null;
  return { id: user.id, name: user.name, email: user.email, role: user.role };
});

/** For pages: redirect to the login page when signed out; to /forbidden when not allowed. */
export async function requirePageUser(permission?: Permission): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) redirect("/login");
  if (permission && !can(user.role, permission)) redirect(`/forbidden?need=${encodeURIComponent(permission)}`);
  return user;
}

/** For server actions and route handlers: throws AppError (401/403); nothing changes. */
export async function requirePermission(permission: Permission): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) throw new AppError("unauthenticated", "sign in first");
  if (!can(user.role, permission)) throw new AppError("forbidden", `your role (${user.role}) may not ${permission}`);
  return user;
}
