import "server-only";
import { getDb } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { readEventStream } from "@/lib/ingest/read-file";
import { UnreadableInputError, type InputFormat, type RecordPosition } from "@/lib/ingest/types";
import { detectForIngestJob } from "@/lib/services/detection-service";
import { EventRowError, toEventRow } from "@/lib/services/event-record";
import { BatchWriter, type BatchCounts } from "@/lib/services/ingest/batch-writer";
import { BATCH_SIZE } from "@/lib/services/ingest/copy-rows";
import type { IngestError, IngestInput, IngestSource, IngestSummary, InsertMode } from "@/lib/services/ingest/types";
import { HEARTBEAT_MS } from "@/lib/services/ingest-sweep";
import { appendAudit } from "@/lib/data/audit";

/**
 * One ingest = one job row: stream-parse, batch-insert (each batch and the job's counts in one
 * transaction, so an interrupted upload leaves exact counts), skip duplicates by fingerprint,
 * then run the rule over the new events: here, or (queueDetection) queued for the
 * worker. Batches go through batch-writer.ts (COPY or array
 * insert, two in flight, repeats and conflicts handled there).
 */

/** a batch is also written once its JSON text reaches this size (large records, e.g. XML originals) */
const MAX_BATCH_CHARS = 4 << 20;
const MAX_REPORTED_ERRORS = 100;

function defaultInsertMode(): InsertMode {
  return getEnv().WMI_EMBEDDED === "1" ? "values" : "copy";
}

function describePosition(p: RecordPosition): Omit<IngestError, "reason"> {
  return { index: p.index, line: p.line, offset: p.offset, recordId: p.recordId };
}

async function* countBytes(stream: AsyncIterable<Uint8Array>, counter: { bytes: number }) {
  for await (const chunk of stream) {
    counter.bytes += chunk.byteLength;
    yield chunk;
  }
}

export async function ingestStream(input: IngestInput): Promise<IngestSummary> {
  const { prisma } = getDb();
  const started = Date.now();
  const job = await prisma.ingestJob.create({
    data: {
      source: input.source,
      fileName: input.fileName,
      format: input.format ?? null,
      createdBy: input.userId ?? null,
    },
    select: { id: true },
  });
  // batches touch the job's heartbeat too; this covers long stretches without one (a slow client, the rule run)
  const heartbeat = setInterval(() => {
    getDb()
      .pool.query(`UPDATE "ingest_job" SET "heartbeat_at" = now() WHERE "id" = $1 AND "status" = 'running'`, [job.id])
      .catch(() => {});
  }, HEARTBEAT_MS);
  heartbeat.unref();
  try {
    return await storeAndDetect(input, job.id, started);
  } finally {
    clearInterval(heartbeat);
  }
}

/** Sources that send a file: one that gives no event is a failed upload, not an empty success. */
const FILE_SOURCES = new Set<IngestSource>(["upload", "api", "cli", "demo"]);

/** Why a file that gave no event to store failed (null: it gave some, or it is no file). */
function noEventsProblem(
  source: IngestSource,
  bytes: number,
  format: string | null,
  counts: { received: number; rejected: number },
  stored: number,
  duplicates: number,
  errors: IngestError[],
): string | null {
  if (!FILE_SOURCES.has(source) || stored + duplicates > 0) return null;
  if (bytes === 0) return "the file is empty (0 bytes): no events to store";
  if (counts.received === 0)
    return `no events found in the file (read as ${format ?? "an unknown format"}): is it an event export, and is the format right?`;
  const first = errors[0] ? ` (first: ${errors[0].reason})` : "";
  return `no events stored: all ${counts.rejected} records were rejected${first}`;
}

async function storeAndDetect(input: IngestInput, jobId: string, started: number): Promise<IngestSummary> {
  const { prisma } = getDb();
  const job = { id: jobId };
  const counter = { bytes: 0 };
  const counts = { received: 0, rejected: 0, replaced: 0 };
  const errors: IngestError[] = [];
  let stored = 0;
  let duplicates = 0;
  let format: string | null = input.format ?? null;
  const writer = new BatchWriter(input.insertMode ?? defaultInsertMode(), job.id);
  let batch = writer.newBatch();

  // Batches are written while the next ones are parsed, at most writer.maxInFlight at a time.
  const writing: Promise<void>[] = [];
  const written = { received: 0, rejected: 0, replaced: 0, errors: 0 };
  const progress = { bytes: 0, received: 0 };
  const flush = async () => {
    if (writing.length >= writer.maxInFlight) await writing.shift();
    const full = batch;
    const added: BatchCounts = {
      received: counts.received - written.received,
      rejected: counts.rejected - written.rejected,
      replaced: counts.replaced - written.replaced,
      bytes: counter.bytes,
      errors: errors.slice(written.errors),
    };
    Object.assign(written, {
      received: counts.received,
      rejected: counts.rejected,
      replaced: counts.replaced,
      errors: errors.length,
    });
    batch = writer.newBatch();
    const write = writer.store(full, added).then((inserted) => {
      stored += inserted;
      duplicates += full.size - inserted;
      progress.bytes = Math.max(progress.bytes, added.bytes);
      progress.received += added.received;
      input.onProgress?.({ bytes: progress.bytes, received: progress.received, stored });
    });
    write.catch(() => {}); // handled where it is awaited; this only stops an "unhandled rejection" meanwhile
    writing.push(write);
  };
  const drain = async () => {
    try {
      await flush();
      while (writing.length) await writing.shift();
    } finally {
      await Promise.allSettled(writing.splice(0));
    }
  };

  let failure: string | null = null;
  try {
    const onFormat = (detected: InputFormat, compressed: boolean) => {
      format = compressed ? `${detected}+gzip` : detected;
    };
    for await (const result of readEventStream(countBytes(input.stream, counter), {
      fileName: input.fileName,
      format: input.format,
      onFormat,
    })) {
      counts.received++;
      if (!result.ok) {
        counts.rejected++;
        if (errors.length < MAX_REPORTED_ERRORS)
          errors.push({ ...describePosition(result.position), reason: result.reason });
        continue;
      }
      try {
        const row = toEventRow(result);
        counts.replaced += row.replaced;
        batch.add(row);
      } catch (error) {
        if (!(error instanceof EventRowError)) throw error;
        counts.rejected++;
        const where = result.position.line ? `line ${result.position.line}` : `record ${result.position.index}`;
        if (errors.length < MAX_REPORTED_ERRORS)
          errors.push({ ...describePosition(result.position), reason: `${where}: ${error.message}` });
      }
      if (batch.size >= BATCH_SIZE || batch.chars >= MAX_BATCH_CHARS) await flush();
    }
    await drain();
  } catch (error) {
    // The input broke off (client gone, truncated stream): every record read whole before the
    // break is good data and is kept; a write that fails itself stops here.
    await drain().catch(() => {});
    failure =
      error instanceof UnreadableInputError
        ? error.message
        : `ingest stopped: ${error instanceof Error ? error.message : String(error)}`;
    // keep what was stored before the failure; counts already reflect committed batches
  }
  failure ??= noEventsProblem(input.source, counter.bytes, format, counts, stored, duplicates, errors);

  let alerts = 0;
  let ruleDisabled = false;
  let detection: IngestSummary["detection"] = null;
  const inWorker = input.queueDetection !== undefined;
  if (!failure && !input.skipDetection && inWorker) {
    // the caller's queue hands the run to the worker (startIngestDetection); the job says it is queued
    detection = "pending";
  } else if (!failure && !input.skipDetection) {
    try {
      const run = await detectForIngestJob(job.id, input.userId ?? null);
      alerts = run?.alertsCreated ?? 0;
      ruleDisabled = run === null;
      detection = ruleDisabled ? "disabled" : "succeeded";
    } catch (error) {
      failure = `events stored, but the rule run failed: ${error instanceof Error ? error.message : String(error)}`;
      detection = "failed";
    }
  }
  const status = failure ? "failed" : "succeeded";
  await prisma.$transaction(async (tx) => {
    await tx.ingestJob.update({
      where: { id: job.id },
      data: {
        status,
        message: failure,
        alerts,
        finishedAt: new Date(),
        format,
        bytes: BigInt(counter.bytes),
        detection,
        // a queued run's heartbeat starts now: the sweep runs it if no worker has claimed it in time
        heartbeatAt: new Date(),
        detectionFinishedAt: detection === null || detection === "pending" ? null : new Date(),
      },
    });
    // every upload is in the audit log, with who sent it (a user, or `token:<id>` for an API token)
    await appendAudit(tx, {
      actorId: input.userId ?? null,
      action: "ingest.upload",
      entityType: "ingest_job",
      entityId: job.id,
      after: {
        fileName: input.fileName,
        source: input.source,
        format,
        status,
        stored,
        duplicates,
        rejected: counts.rejected,
        alerts,
        ...(failure ? { message: failure } : {}),
      },
    });
  });
  if (detection === "pending") await input.queueDetection!(job.id);
  return {
    jobId: job.id,
    fileName: input.fileName,
    format,
    status,
    received: counts.received,
    stored,
    duplicates,
    rejected: counts.rejected,
    replaced: counts.replaced,
    alerts,
    ruleDisabled,
    detection,
    bytes: counter.bytes,
    durationMs: Date.now() - started,
    errors,
    message: failure,
  };
}
