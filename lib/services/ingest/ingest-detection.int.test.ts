import { Readable } from "node:stream";
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { closeDb, getDb } from "@/lib/db/client";
import { sysmon21Doc } from "@/lib/triage/testing/sysmon-docs";
import { detectForIngestJob } from "@/lib/services/detection-service";
import { startIngestDetection } from "@/lib/services/ingest/detection-queue";
import { ingestStream } from "@/lib/services/ingest/ingest-stream";
import {
  getIngestDetection,
  runIngestDetection,
  STALE_INGEST_MS,
  sweepStaleIngestJobs,
} from "@/lib/services/ingest-sweep";

// The queue itself is played by the test: what the upload leaves for the worker must be enough
// for a worker (or, after a crash, the sweep) to run it.
const queued = vi.hoisted(() => [] as string[]);
vi.mock("@/lib/services/ingest/detection-queue", () => ({
  startIngestDetection: async (jobId: string) => {
    queued.push(jobId);
  },
}));

const unique = `${process.pid}-${Date.now()}`;
let counter = 0;

/** An upload of `n` matching bindings (and some noise) through the request path: the rule run goes to the worker. */
async function upload(n: number) {
  const host = `DET-${unique}-${++counter}`;
  const lines = Array.from({ length: n }, (_, i) =>
    JSON.stringify(
      sysmon21Doc({ host, consumer: `c-${host}-${i}`, at: `2024-05-01T10:00:${String(i % 60).padStart(2, "0")}Z` }),
    ),
  );
  lines.push(JSON.stringify({ "@timestamp": "2024-05-01T10:00:00Z", event: { code: "1" }, host: { name: host } }));
  const summary = await ingestStream({
    source: "api",
    fileName: `${host}.ndjson`,
    stream: Readable.from([Buffer.from(lines.join("\n"))]),
    queueDetection: startIngestDetection,
  });
  return { host, summary };
}

async function alertsOfJob(jobId: string): Promise<{ event_id: string; n: number }[]> {
  const { rows } = await getDb().pool.query<{ event_id: string; n: number }>(
    `SELECT a."event_id"::text, count(*)::int AS n FROM "alert" a JOIN "event" e ON e."id" = a."event_id"
      WHERE e."ingest_job_id" = $1 GROUP BY a."event_id"`,
    [jobId],
  );
  return rows;
}

beforeEach(() => {
  queued.length = 0;
});
afterAll(async () => {
  await closeDb();
});

describe("the upload's rule run runs in the worker", () => {
  it("leaves the job pending and queued; the worker's run creates every alert exactly once", async () => {
    const { summary } = await upload(5);
    expect(summary.status).toBe("succeeded");
    expect(summary.stored).toBe(6);
    expect(summary.detection).toBe("pending");
    expect(summary.alerts).toBe(0);
    expect(queued).toEqual([summary.jobId]);
    // nothing ran in the request
    expect(await alertsOfJob(summary.jobId)).toEqual([]);
    expect(await getIngestDetection(summary.jobId)).toMatchObject({ detection: "pending", alerts: 0 });

    const outcome = await runIngestDetection(summary.jobId);
    expect(outcome).toMatchObject({ detection: "succeeded", alerts: 5 });
    expect(outcome?.finishedAt).toBeInstanceOf(Date);
    const alerts = await alertsOfJob(summary.jobId);
    expect(alerts).toHaveLength(5);
    expect(alerts.every((a) => a.n === 1)).toBe(true);
    expect(await getIngestDetection(summary.jobId)).toMatchObject({ detection: "succeeded", alerts: 5 });

    // a second delivery of the same job finds nothing to claim and creates nothing
    expect(await runIngestDetection(summary.jobId)).toBeNull();
    expect(await alertsOfJob(summary.jobId)).toHaveLength(5);
  });

  it("a run whose worker died is run again by the sweep once its heartbeat is stale, not before", async () => {
    const { summary } = await upload(4);
    const { pool } = getDb();
    // a worker claimed the run, created two of the alerts and died
    await pool.query(`UPDATE "ingest_job" SET "detection" = 'running', "heartbeat_at" = now() WHERE "id" = $1`, [
      summary.jobId,
    ]);
    await detectForIngestJob(summary.jobId, null);
    const made = await alertsOfJob(summary.jobId);
    await pool.query(`DELETE FROM "alert" WHERE "event_id" = ANY($1::bigint[])`, [
      made.slice(2).map((a) => a.event_id),
    ]);
    expect(await alertsOfJob(summary.jobId)).toHaveLength(2);
    expect(await runIngestDetection(summary.jobId)).toBeNull(); // claimed and alive: no second run
    expect((await sweepStaleIngestJobs()).map((j) => j.id)).not.toContain(summary.jobId);

    const later = new Date(Date.now() + STALE_INGEST_MS + 1000);
    const swept = await sweepStaleIngestJobs(later);
    // the run again creates the two that were missing; the job counts all four, whichever attempt made them
    expect(swept.find((j) => j.id === summary.jobId)).toMatchObject({ alerts: 4 });
    const alerts = await alertsOfJob(summary.jobId);
    expect(alerts).toHaveLength(4);
    expect(alerts.every((a) => a.n === 1)).toBe(true);
    expect(await getIngestDetection(summary.jobId)).toMatchObject({ detection: "succeeded", alerts: 4 });
    expect((await sweepStaleIngestJobs(later)).map((j) => j.id)).not.toContain(summary.jobId);
  });

  it("a queued run that no worker picked up is run by the sweep", async () => {
    const { summary } = await upload(2);
    const later = new Date(Date.now() + STALE_INGEST_MS + 1000);
    expect((await sweepStaleIngestJobs(later)).map((j) => j.id)).toContain(summary.jobId);
    expect(await alertsOfJob(summary.jobId)).toHaveLength(2);
  });

  it("the CLI's path still runs the rule in the call", async () => {
    const host = `DET-${unique}-cli`;
    const summary = await ingestStream({
      source: "cli",
      fileName: `${host}.ndjson`,
      stream: Readable.from([
        Buffer.from(JSON.stringify(sysmon21Doc({ host, consumer: `c-${host}`, at: "2024-05-01T10:00:00Z" }))),
      ]),
    });
    expect(summary).toMatchObject({ detection: "succeeded", alerts: 1 });
    expect(queued).toEqual([]);
    expect(await getIngestDetection(summary.jobId)).toMatchObject({ detection: "succeeded", alerts: 1 });
  });
});
