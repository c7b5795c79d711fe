import { clusterUuid, esRoute, shipperRootInfo } from "@/app/api/es/es-route";
import { readLimitedBody } from "@/lib/http/body-limit";
import { ingestBulk, MAX_BULK_BYTES } from "@/lib/services/es-bulk";
import { esError, licenseInfo, xpackInfo } from "@/lib/sources/es-compat";

type Context = { params: Promise<{ path: string[] }> };

const notFound = (method: string, path: string[]) =>
  Response.json(
    esError(
      404,
      "resource_not_found_exception",
      `this endpoint speaks a subset of the Elasticsearch API: no handler for ${method} /${path.join("/")}`,
    ),
    { status: 404 },
  );

export const GET = esRoute<Context>(async (request, _actor, { params }) => {
  const { path } = await params;
  // GET /api/es/ — Elastic's clients send the root with its trailing slash (next.config keeps it)
  if (path.every((p) => p === "")) return shipperRootInfo();
  if (path.length === 1 && path[0] === "_license") return Response.json(licenseInfo(clusterUuid()));
  if (path.length === 1 && path[0] === "_xpack") return Response.json(xpackInfo(clusterUuid()));
  return notFound(request.method, path);
});

// POST /_bulk and POST /<index>/_bulk (PUT is accepted too, as Elasticsearch does)
const bulk = esRoute<Context>(async (request, actor, { params }) => {
  const { path } = await params;
  const isBulk = (path.length === 1 && path[0] === "_bulk") || (path.length === 2 && path[1] === "_bulk");
  if (!isBulk) return notFound(request.method, path);
  // Beats 8 gzip their bulk requests; the limit holds on the wire and after gunzip
  const text = (await readLimitedBody(request, MAX_BULK_BYTES)).toString("utf8");
  return Response.json(await ingestBulk(text, path.length === 2 ? path[0] : null, actor?.name ?? "shipper"));
});
export const POST = bulk;
export const PUT = bulk;

// every other method gets Elasticsearch's answer (and the product header), not Next's bare 405
const other = esRoute<Context>(async (request, _actor, { params }) => notFound(request.method, (await params).path));
export const DELETE = other;
export const PATCH = other;
