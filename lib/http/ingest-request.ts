import "server-only";
import { z } from "zod";
import { AppError } from "@/lib/app-error";
import { getEnv } from "@/lib/env";
import { checkDeclaredLength, LimitedBody } from "@/lib/http/body-limit";
import { INPUT_FORMATS, type InputFormat } from "@/lib/ingest/types";

// Content types that name a format; anything else (application/json, octet-stream, gzip) is sniffed.
const CONTENT_TYPE_FORMATS: Record<string, InputFormat> = {
  "application/x-ndjson": "ecs-ndjson",
  "application/ndjson": "ecs-ndjson",
  "application/xml": "windows-xml",
  "text/xml": "windows-xml",
};

export const ingestQuerySchema = z.object({
  format: z.enum(INPUT_FORMATS).optional(),
  filename: z.string().min(1).max(500).optional(),
  progress: z.enum(["0", "1"]).optional(),
  /** without progress: answer once the worker's rule run finished (default) or at once ("0") */
  wait: z.enum(["0", "1"]).optional(),
});

export function readIngestRequest(
  request: Request,
  maxBytes = getEnv().WMI_MAX_INGEST_BYTES,
): { format?: InputFormat; fileName: string; progress: boolean; wait: boolean; body: LimitedBody } {
  const url = new URL(request.url);
  const parsed = ingestQuerySchema.safeParse(Object.fromEntries(url.searchParams));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError("bad_request", `query parameter ${issue.path.join(".")}: ${issue.message}`);
  }
  const contentType = (request.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  const format = parsed.data.format ?? CONTENT_TYPE_FORMATS[contentType];
  const fileName = parsed.data.filename ?? request.headers.get("x-file-name") ?? "upload";
  if (!request.body) throw new AppError("bad_request", "the request has no body: send the file as the request body");
  checkDeclaredLength(request, maxBytes);
  return {
    format,
    fileName,
    progress: parsed.data.progress === "1",
    wait: parsed.data.wait !== "0",
    body: new LimitedBody(request.body, maxBytes),
  };
}
