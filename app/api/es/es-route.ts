import "server-only";
import { createHash } from "node:crypto";
import { TOKEN_PREFIX } from "@/lib/data/api-tokens";
import { getEnv } from "@/lib/env";
import { handleRoute, type RouteActor } from "@/lib/http/route-handler";
import { normalizeShipperAuthorization, PRODUCT_HEADERS, rootInfo } from "@/lib/sources/es-compat";

/**
 * The wrapper of every `/api/es` handler: shipper credentials (ApiKey base64 "id:key", Basic
 * with the token as password) become `Bearer <token>` for the one route wrapper, which checks
 * `events:ingest`; every response carries `X-Elastic-Product: Elasticsearch`, which Elastic's
 * clients check.
 */
export function esRoute<C>(handler: (request: Request, actor: RouteActor | null, context: C) => Promise<Response>) {
  const wrapped = handleRoute<C>("events:ingest", handler);
  return async (request: Request, context: C): Promise<Response> => {
    const authorization = normalizeShipperAuthorization(request.headers.get("authorization"), TOKEN_PREFIX);
    const headers = new Headers(request.headers);
    if (authorization) headers.set("authorization", authorization);
    const forwarded = new Request(request.url, {
      method: request.method,
      headers,
      body: request.body,
      duplex: "half",
    } as RequestInit);
    const response = await wrapped(forwarded, context);
    const out = new Response(response.body, response);
    for (const [k, v] of Object.entries(PRODUCT_HEADERS)) out.headers.set(k, v);
    if (response.status === 401) out.headers.set("WWW-Authenticate", 'ApiKey, Bearer realm="wmi-triage"');
    return out;
  };
}

/** A stable cluster uuid per deployment, so Beats see the same "cluster" on every restart. */
export const clusterUuid = () =>
  createHash("sha256")
    .update(`wmi-triage:${getEnv().BETTER_AUTH_SECRET ?? ""}`)
    .digest("base64url")
    .slice(0, 22);

export function shipperRootInfo(): Response {
  return Response.json(rootInfo(clusterUuid()));
}
