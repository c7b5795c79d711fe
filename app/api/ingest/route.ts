import { tooLarge } from "@/lib/http/body-limit";
import { readIngestRequest } from "@/lib/http/ingest-request";
import { handleRoute } from "@/lib/http/route-handler";
import { startIngestDetection } from "@/lib/services/ingest/detection-queue";
import { ingestStream } from "@/lib/services/ingest/ingest-stream";
import type { IngestSummary } from "@/lib/services/ingest/types";
import { waitForIngestDetection } from "@/lib/services/ingest-sweep";

export const dynamic = "force-dynamic";

/** how long a request waits for the worker's rule run before answering with it still pending */
const DETECTION_WAIT_MS = 240_000;

/** The summary with the worker's rule run as it stands after waiting for it (the request does none of it). */
async function withDetection(summary: IngestSummary): Promise<IngestSummary> {
  if (summary.detection !== "pending") return summary;
  const state = await waitForIngestDetection(summary.jobId, DETECTION_WAIT_MS);
  if (!state) return summary;
  const failed = state.detection === "failed";
  return {
    ...summary,
    detection: state.detection === "running" ? "pending" : state.detection,
    alerts: state.alerts,
    ruleDisabled: state.detection === "disabled",
    ...(failed ? { status: "failed" as const, message: state.message } : {}),
  };
}

/**
 * POST /api/ingest — the body is the file, streamed. `?format=` or the content type names the
 * format (else it is detected); `?filename=` names the job. The rule run over the stored events
 * runs in the worker, never in this request: by default the answer waits for it (up to 4 minutes,
 * `detection` says where it stands), with `?wait=0` it comes at once with `detection: "pending"`.
 * With `?progress=1` the response is NDJSON: progress lines, the summary line (the rule run
 * pending), then a `detection` line when the worker has finished it.
 */
export const POST = handleRoute("events:ingest", async (request, actor) => {
  const { format, fileName, progress, wait, body } = readIngestRequest(request);
  if (!progress) {
    const stored = await ingestStream({
      source: "api",
      fileName,
      format,
      stream: body,
      userId: actor!.id,
      queueDetection: startIngestDetection,
    });
    // stopped at the size limit: what was read whole before it is stored, the job says why
    if (body.exceeded) throw tooLarge(body.limit, `the request body (job ${stored.jobId})`);
    const summary = wait ? await withDetection(stored) : stored;
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
          queueDetection: startIngestDetection,
        });
        send({ type: "summary", ...summary });
        if (summary.detection === "pending") {
          const done = await withDetection(summary);
          send({
            type: "detection",
            detection: done.detection,
            alerts: done.alerts,
            ruleDisabled: done.ruleDisabled,
            message: done.detection === "failed" ? done.message : null,
          });
        }
      } catch (error) {
        send({ type: "error", message: error instanceof Error ? error.message : String(error) });
      }
      controller.close();
    },
  });
  return new Response(stream, { headers: { "content-type": "application/x-ndjson", "cache-control": "no-store" } });
});
