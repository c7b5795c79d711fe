import "server-only";
import { createGunzip } from "node:zlib";
import { AppError } from "@/lib/app-error";

/**
 * Request bodies read with a ceiling that holds while reading: a declared Content-Length over the
 * limit is refused before a byte is read, and a chunked body (no Content-Length) is counted as it
 * arrives and refused the moment it passes the limit, so a 400 MB body never sits in memory.
 */

export const tooLarge = (limit: number, what = "the request body") =>
  new AppError("payload_too_large", `${what} is larger than the limit of ${limit} bytes`);

/** 413 at once when the client declared more than `limit` bytes. */
export function checkDeclaredLength(request: Request, limit: number): void {
  const declared = request.headers.get("content-length");
  if (declared !== null && /^\d+$/.test(declared) && Number(declared) > limit) throw tooLarge(limit);
}

/**
 * The body as it arrives, throwing 413 (AppError) once more than `limit` bytes came; `exceeded`
 * tells a caller that consumed it through another layer (the ingest) why it stopped.
 */
export class LimitedBody implements AsyncIterable<Uint8Array> {
  exceeded = false;
  bytes = 0;

  constructor(
    private readonly body: ReadableStream<Uint8Array> | null,
    readonly limit: number,
  ) {}

  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    if (!this.body) return;
    const reader = this.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        this.bytes += value.byteLength;
        if (this.bytes > this.limit) {
          this.exceeded = true;
          throw tooLarge(this.limit);
        }
        yield value;
      }
    } finally {
      // stop pulling; the rest of an oversized body is never buffered here
      reader.releaseLock();
    }
  }
}

/** The whole body as one buffer, at most `limit` bytes, gunzipped (also at most `limit`) when gzip. */
export async function readLimitedBody(request: Request, limit: number): Promise<Buffer> {
  checkDeclaredLength(request, limit);
  const chunks: Uint8Array[] = [];
  for await (const chunk of new LimitedBody(request.body, limit)) chunks.push(chunk);
  const bytes = Buffer.concat(chunks);
  const gzip =
    (request.headers.get("content-encoding") ?? "").toLowerCase().includes("gzip") ||
    (bytes[0] === 0x1f && bytes[1] === 0x8b);
  return gzip ? gunzipLimited(bytes, limit) : bytes;
}

async function gunzipLimited(bytes: Buffer, limit: number): Promise<Buffer> {
  const out: Buffer[] = [];
  let size = 0;
  const gunzip = createGunzip();
  const done = new Promise<Buffer>((resolve, reject) => {
    gunzip.on("data", (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > limit) {
        gunzip.destroy();
        reject(tooLarge(limit, "the decompressed body"));
        return;
      }
      out.push(chunk);
    });
    gunzip.on("error", () => reject(new AppError("bad_request", "the body is not valid gzip")));
    gunzip.on("end", () => resolve(Buffer.concat(out)));
  });
  gunzip.end(bytes);
  return done;
}
