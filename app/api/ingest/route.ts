import { tooLarge } from "@/lib/http/body-limit";
import { readIngestRequest } from "@/lib/http/ingest-request";
import { handleRoute } from "@/lib/http/route-handler";
import { ingestStream } from "@/lib/services/ingest/ingest-stream";

export const dynamic = "force-dynamic";

/**
 * POST /api/ingest — the body is the file, streamed. `?format=` or the content type names the
 * format (else it is detected); `?filename=` names the job. With `?progress=1` the response is
 * NDJSON: progress lines, then the summary line.
 */
export const POST = handleRoute("events:ingest", async (request, actor) => {
  const { format, fileName, progress, body } = readIngestRequest(request);
  if (!progress) {
    const summary = await ingestStream({ source: "api", fileName, format, stream: body, userId: actor!.id });
    // stopped at the size limit: what was read whole before it is stored, the job says why
    if (body.exceeded) throw tooLarge(body.limit, `the request body (job ${summary.jobId})`);
    return Response.json(summary, { status: summary.status === "succeeded" ? 200 : 422 });
  }
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (value: object) => controller.enqueue(encoder.encode(`${JSON.stringify(value)}\n`));
      try {
        const summary = await ingestStream({
          source: "upload",
          fileName,
          format,
          stream: body,
          userId: actor!.id,
          onProgress: (p) => send({ type: "progress", ...p }),
        });
        send({ type: "summary", ...summary });
      } catch (error) {
        send({ type: "error", message: error instanceof Error ? error.message : String(error) });
      }
      controller.close();
    },
  });
  return new Response(stream, { headers: { "content-type": "application/x-ndjson", "cache-control": "no-store" } });
});
