import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// POST /api/ingest refuses past 1 MiB in this file, so the test streams stay small (set before
// anything loads lib/env.ts, hence the dynamic imports)
process.env.WMI_MAX_INGEST_BYTES = String(1024 * 1024);
const { createApiToken } = await import("@/lib/data/api-tokens");
const { closeDb, getDb } = await import("@/lib/db/client");
const { POST: bulkPost } = await import("@/app/api/es/[...path]/route");
const { POST: ingestPost } = await import("@/app/api/ingest/route");
const { MAX_BULK_BYTES } = await import("@/lib/services/es-bulk");

const run = `${process.pid}-${Date.now()}`;
let token = "";
const MiB = 1024 * 1024;

/**
 * A chunked body (no Content-Length) of `total` bytes made on demand, 1 MiB at a time, counting
 * what the server pulled: a reader that buffers the whole body pulls all of it.
 */
function chunkedBody(total: number, line = '{"create":{}}\n') {
  const chunk = Buffer.from(line.repeat(Math.ceil(MiB / line.length)).slice(0, MiB));
  const stats = { pulled: 0 };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (stats.pulled >= total) return controller.close();
      stats.pulled += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  return { stream, stats };
}

const bulk = (body: BodyInit, headers: Record<string, string> = {}) =>
  bulkPost(
    new Request("http://localhost/api/es/_bulk", {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/x-ndjson", ...headers },
      body,
      duplex: "half",
    } as RequestInit),
    { params: Promise.resolve({ path: ["_bulk"] }) },
  );

beforeAll(async () => {
  const { prisma } = getDb();
  const id = `limits-admin-${run}`;
  await prisma.user.create({ data: { id, name: "Limits Admin", email: `${id}@test.local`, role: "admin" } });
  token = (await createApiToken(id, `limits-${run}`)).token;
});
afterAll(async () => {
  await closeDb();
});

describe("body limits while reading", () => {
  it("_bulk refuses a 400 MB chunked body with 413 after reading just past 100 MiB", async () => {
    const { stream, stats } = chunkedBody(400 * MiB);
    const response = await bulk(stream);
    expect(response.status).toBe(413);
    expect(response.headers.get("x-elastic-product")).toBe("Elasticsearch");
    expect((await response.json()).error.message).toMatch(/larger than the limit of 104857600 bytes/);
    // it stopped pulling at the limit (the stream's queue holds at most one chunk more)
    expect(stats.pulled).toBeLessThanOrEqual(MAX_BULK_BYTES + 2 * MiB);
  });

  it("_bulk refuses a declared Content-Length over the limit before reading", async () => {
    const { stream, stats } = chunkedBody(10 * MiB);
    const response = await bulk(stream, { "content-length": String(MAX_BULK_BYTES + 1) });
    expect(response.status).toBe(413);
    expect(stats.pulled).toBeLessThanOrEqual(MiB);
  });

  it("_bulk refuses gzip that inflates past the limit, and names it", async () => {
    const bomb = gzipSync(Buffer.alloc(MAX_BULK_BYTES + MiB, 0x20));
    expect(bomb.byteLength).toBeLessThan(MiB);
    const response = await bulk(bomb, { "content-encoding": "gzip" });
    expect(response.status).toBe(413);
    expect((await response.json()).error.message).toMatch(/decompressed body is larger/);
  });

  it("/api/ingest stops a chunked body at its limit: 413, and the job says why", async () => {
    const event = JSON.stringify({ "@timestamp": "2024-01-01T00:00:00Z", host: { name: `limit-${run}` } });
    const { stream, stats } = chunkedBody(50 * MiB, `${event}\n`);
    const response = await ingestPost(
      new Request(`http://localhost/api/ingest?filename=limit-${run}.ndjson`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}` },
        body: stream,
        duplex: "half",
      } as RequestInit),
      undefined,
    );
    expect(response.status).toBe(413);
    expect(stats.pulled).toBeLessThanOrEqual(3 * MiB);
    const job = await getDb().prisma.ingestJob.findFirstOrThrow({
      where: { fileName: `limit-${run}.ndjson` },
      select: { status: true, message: true },
    });
    expect(job.status).toBe("failed");
    expect(job.message).toMatch(/larger than the limit of 1048576 bytes/);
  });

  it("/api/ingest refuses a declared Content-Length over its limit before creating a job", async () => {
    const response = await ingestPost(
      new Request(`http://localhost/api/ingest?filename=declared-${run}.ndjson`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-length": String(2 * MiB) },
        body: chunkedBody(2 * MiB).stream,
        duplex: "half",
      } as RequestInit),
      undefined,
    );
    expect(response.status).toBe(413);
    expect(await getDb().prisma.ingestJob.count({ where: { fileName: `declared-${run}.ndjson` } })).toBe(0);
  });
});
