import { Readable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { createApiToken } from "@/lib/data/api-tokens";
import { getIngestJob, listIngestJobs } from "@/lib/data/ingest-jobs";
import { closeDb, getDb } from "@/lib/db/client";
import { ingestStream } from "@/lib/services/ingest/ingest-stream";

const unique = `${process.pid}-${Date.now()}`;
const event = (host: string) =>
  JSON.stringify({
    "@timestamp": "2024-03-01T10:00:00Z",
    event: { code: "1" },
    host: { name: host },
    process: { name: "cmd.exe" },
  });

afterAll(async () => {
  await closeDb();
});

describe("ingest jobs say who uploaded, and every upload is audited", () => {
  it("names the user or the API token that sent each file, and audits succeeded and failed uploads", async () => {
    const { prisma } = getDb();
    const user = await prisma.user.create({
      data: { id: `uploader-${unique}`, name: `Uma Uploader ${unique}`, email: `uma-${unique}@test.local` },
    });
    const token = await createApiToken(user.id, `shipper-${unique}`);

    const byUser = await ingestStream({
      source: "upload",
      fileName: `by-user-${unique}.ndjson`,
      stream: Readable.from([Buffer.from(event(`h1-${unique}`))]),
      userId: user.id,
    });
    const byToken = await ingestStream({
      source: "api",
      fileName: `by-token-${unique}.ndjson`,
      stream: Readable.from([Buffer.from(event(`h2-${unique}`))]),
      userId: `token:${token.id}`,
    });
    const empty = await ingestStream({
      source: "api",
      fileName: `empty-${unique}.ndjson`,
      stream: Readable.from([Buffer.from("")]),
      userId: user.id,
    });
    const byCli = await ingestStream({
      source: "cli",
      fileName: `by-cli-${unique}.ndjson`,
      stream: Readable.from([Buffer.from(event(`h3-${unique}`))]),
    });
    expect([byUser.status, byToken.status, empty.status, byCli.status]).toEqual([
      "succeeded",
      "succeeded",
      "failed",
      "succeeded",
    ]);

    const jobs = new Map((await listIngestJobs()).map((j) => [j.id, j]));
    expect(jobs.get(byUser.jobId)?.uploadedBy).toBe(`Uma Uploader ${unique}`);
    expect(jobs.get(byToken.jobId)?.uploadedBy).toBe(`API token "shipper-${unique}"`);
    expect(jobs.get(byCli.jobId)?.uploadedBy).toBeNull();
    expect((await getIngestJob(byToken.jobId))?.uploadedBy).toBe(`API token "shipper-${unique}"`);

    const audit = await prisma.auditLog.findMany({
      where: { action: "ingest.upload", entityId: { in: [byUser.jobId, byToken.jobId, empty.jobId, byCli.jobId] } },
    });
    const of = (id: string) => audit.filter((a) => a.entityId === id);
    expect(of(byUser.jobId)).toHaveLength(1);
    expect(of(byUser.jobId)[0]).toMatchObject({ actorId: user.id, entityType: "ingest_job" });
    expect(of(byUser.jobId)[0].after).toMatchObject({
      fileName: `by-user-${unique}.ndjson`,
      source: "upload",
      status: "succeeded",
      stored: 1,
    });
    expect(of(byToken.jobId)[0]).toMatchObject({ actorId: `token:${token.id}` });
    expect(of(empty.jobId)[0].after).toMatchObject({ status: "failed", stored: 0 });
    expect(of(byCli.jobId)[0]).toMatchObject({ actorId: null });
  });
});
