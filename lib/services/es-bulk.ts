import "server-only";
import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { AppError } from "@/lib/app-error";
import { findStoredFingerprints } from "@/lib/data/sources";
import { EventRowError, toEventRow } from "@/lib/services/event-record";
import { startIngestDetection } from "@/lib/services/ingest/detection-queue";
import { ingestStream } from "@/lib/services/ingest/ingest-stream";
import { bulkResponse, parseBulkBody, type BulkOutcome } from "@/lib/sources/es-compat";

/**
 * What shippers (Filebeat, Winlogbeat, Elastic Agent in standalone mode) send to `/api/es/_bulk`:
 * stored as one ingest job each, with the rule run queued for the worker. Apart from the poller
 * (which the worker imports), so the queue's module can be imported here without a cycle.
 */

// ---------------------------------------------------------------- shippers (_bulk)

/** Elasticsearch's `http.max_content_length` default (100mb): the largest `_bulk` body, also after gunzip. */
export const MAX_BULK_BYTES = 100 * 1024 * 1024;

const generatedId = (fingerprint: string) => createHash("sha256").update(fingerprint).digest("base64url").slice(0, 20);

/**
 * One `_bulk` request: each `create`/`index` document is checked (JSON object, a date in
 * `@timestamp`), matched against stored fingerprints (a duplicate `create` answers 409, which
 * Beats count as delivered; a duplicate `index` answers 200 "noop": stored events are never
 * overwritten), and the new ones go through `ingestStream` as one job, so the rule runs over them.
 */
export async function ingestBulk(
  text: string,
  defaultIndex: string | null,
  who: string,
): Promise<Record<string, unknown>> {
  const started = Date.now();
  const items = parseBulkBody(text, defaultIndex);
  const outcomes: BulkOutcome[] = new Array(items.length);
  const candidates: Array<{ item: number; fingerprint: string; line: string }> = [];
  items.forEach((item, i) => {
    if (!item.ok) {
      outcomes[i] = { status: 400, id: item.id, type: item.type, reason: item.reason };
      return;
    }
    try {
      const row = toEventRow({
        ok: true,
        position: { index: i },
        document: item.source,
        sourceId: item.id ?? undefined,
        sourceIndex: item.index,
        original: null,
      });
      const line = JSON.stringify({ _index: item.index, ...(item.id ? { _id: item.id } : {}), _source: item.source });
      candidates.push({ item: i, fingerprint: row.fingerprint, line });
    } catch (error) {
      if (!(error instanceof EventRowError)) throw error;
      outcomes[i] = { status: 400, id: item.id, type: "document_parsing_exception", reason: error.message };
    }
  });
  const stored = await findStoredFingerprints(candidates.map((c) => c.fingerprint));
  const fresh: typeof candidates = [];
  const seen = new Set<string>();
  for (const c of candidates) {
    const item = items[c.item];
    const id = item.id ?? generatedId(c.fingerprint);
    if (stored.has(c.fingerprint) || seen.has(c.fingerprint)) {
      outcomes[c.item] = item.op === "create" ? { status: 409, id } : { status: 200, id, result: "noop" };
    } else {
      seen.add(c.fingerprint);
      fresh.push(c);
      outcomes[c.item] = { status: 201, id };
    }
  }
  if (fresh.length) {
    const summary = await ingestStream({
      source: "api",
      fileName: `_bulk from ${who}`,
      format: "es-search",
      // Beats wait for the answer: the rule runs in the worker
      queueDetection: startIngestDetection,
      stream: Readable.from([Buffer.from(fresh.map((c) => `${c.line}\n`).join(""))]),
    });
    // records the reader refused (their index is their position among the fresh lines)
    for (const e of summary.errors) {
      const c = fresh[e.index];
      if (c)
        outcomes[c.item] = { status: 400, id: items[c.item].id, type: "document_parsing_exception", reason: e.reason };
    }
    // the database failed: the whole request is answered 503 and Beats send it again (idempotent)
    if (summary.status === "failed" && summary.stored + summary.duplicates + summary.rejected < fresh.length) {
      throw new AppError("unavailable", summary.message ?? "the events could not be stored; retry");
    }
  }
  return bulkResponse(
    items.map((item, i) => ({ op: item.op, index: item.index, outcome: outcomes[i] })),
    Date.now() - started,
  );
}
