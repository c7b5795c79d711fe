import { OPENAPI_DOCUMENT } from "@/lib/http/openapi";

/** GET /api/openapi.json — the OpenAPI 3.1 description of the app's HTTP API (public, like /api/health). */
export function GET() {
  return Response.json(OPENAPI_DOCUMENT, { headers: { "cache-control": "public, max-age=300" } });
}
