import { AppError } from "@/lib/app-error";
import { buildCaseReport } from "@/lib/data/case-report";
import { renderCaseReportMarkdown } from "@/lib/data/case-report-markdown";
import { handleRoute } from "@/lib/http/route-handler";

export const dynamic = "force-dynamic";

/** GET /cases/:id/export?format=md|json — the case report as a download. */
export const GET = handleRoute<{ params: Promise<{ id: string }> }>(
  "cases:read",
  async (request, actor, { params }) => {
    const { id } = await params;
    const format = new URL(request.url).searchParams.get("format") ?? "md";
    if (format !== "md" && format !== "json") throw new AppError("bad_request", "format must be md or json");
    const report = await buildCaseReport({ id: actor!.id, role: actor!.role, name: actor!.name }, id);
    if (!report) throw new AppError("not_found", "no such case");
    const name = `case-${report.case.number}`;
    if (format === "json") {
      return new Response(JSON.stringify(report, null, 2), {
        headers: {
          "content-type": "application/json; charset=utf-8",
          "content-disposition": `attachment; filename="${name}.json"`,
          "cache-control": "no-store",
        },
      });
    }
    return new Response(renderCaseReportMarkdown(report), {
      headers: {
        "content-type": "text/markdown; charset=utf-8",
        "content-disposition": `attachment; filename="${name}.md"`,
        "cache-control": "no-store",
      },
    });
  },
);
