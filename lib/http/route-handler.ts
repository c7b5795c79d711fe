import "server-only";
import { AppError, toErrorBody } from "@/lib/app-error";
import { can, type Permission, type Role } from "@/lib/auth/permissions";
import { getCurrentUser } from "@/lib/auth/session";
import { authenticateApiToken } from "@/lib/data/api-tokens";
import { getEnv } from "@/lib/env";
import { appOrigins, isCrossOriginRequest, isSafeMethod } from "@/lib/http/same-origin";

/** Who is calling a route handler: a signed-in user, or a machine with an API token. */
export interface RouteActor {
  id: string;
  name: string;
  role: Role;
  kind: "user" | "token";
}

// Machine tokens may ingest and read; they never triage, assign or administer.
const TOKEN_PERMISSIONS: Permission[] = ["events:ingest", "events:read", "alerts:read", "rule:read"];

async function resolveActor(request: Request): Promise<RouteActor | null> {
  const authorization = request.headers.get("authorization");
  const bearer = authorization?.match(/^(?:Bearer|ApiKey)\s+(.+)$/i)?.[1];
  if (bearer) {
    const token = await authenticateApiToken(bearer.trim());
    if (!token) throw new AppError("unauthenticated", "the API token is unknown or revoked");
    return { id: `token:${token.id}`, name: token.name, role: "analyst", kind: "token" };
  }
  const user = await getCurrentUser();
  return user ? { id: user.id, name: user.name, role: user.role, kind: "user" } : null;
}

/**
 * Every route handler goes through this wrapper: it authenticates (session cookie or API token),
 * checks the named permission, and renders every failure in the one error shape.
 */
export function handleRoute<C>(
  permission: Permission | null,
  handler: (request: Request, actor: RouteActor | null, context: C) => Promise<Response>,
) {
  return async (request: Request, context: C): Promise<Response> => {
    try {
      let actor: RouteActor | null = null;
      if (permission) {
        actor = await resolveActor(request);
        if (!actor) throw new AppError("unauthenticated", "sign in or send an API token (Authorization: Bearer …)");
        // a cookie rides along with a form posted from any page of the same site; a token never does
        if (
          actor.kind === "user" &&
          !isSafeMethod(request.method) &&
          isCrossOriginRequest(request.headers, appOrigins(request.url, getEnv().BETTER_AUTH_URL))
        )
          throw new AppError("forbidden", "cross-origin request refused: send it from the app's own pages");
        const allowed = actor.kind === "token" ? TOKEN_PERMISSIONS.includes(permission) : can(actor.role, permission);
        if (!allowed)
          throw new AppError(
            "forbidden",
            `${actor.kind === "token" ? "API tokens" : `your role (${actor.role})`} may not ${permission}`,
          );
      }
      return await handler(request, actor, context);
    } catch (error) {
      if (!(error instanceof AppError)) console.error("route error:", error);
      const { status, body } = toErrorBody(error);
      return Response.json(body, { status });
    }
  };
}
