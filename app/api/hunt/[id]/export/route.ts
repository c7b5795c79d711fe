import { exportHuntRun } from "@/lib/data/hunts";
import { parseColumns } from "@/lib/hunt/table";
import { handleRoute } from "@/lib/http/route-handler";

/** GET /api/hunt/<run id>/export?format=csv|ndjson&cols=a,b — every hit of a finished hunt. */
export const GET = handleRoute<{ params: Promise<{ id: string }> }>("hunt:run", async (request, actor, context) => {
  const { id } = await context.params;
  const url = new URL(request.url);
  const format = url.searchParams.get("format") === "csv" ? "csv" : "ndjson";
  const body = await exportHuntRun(actor!, id, format, parseColumns(url.searchParams.get("cols")));
  return new Response(body, {
    headers: {
      "content-type": format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8",
      "content-disposition": `attachment; filename="hunt-${id.slice(0, 8)}.${format}"`,
    },
  });
});
