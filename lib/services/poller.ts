import "server-only";
import { Client, errors, Transport, type TransportOptions, type estypes } from "@elastic/elasticsearch";
import { AppError } from "@/lib/app-error";
import {
  claimDueSources,
  loadSourceConnection,
  recordDocumentsTaken,
  recordPollOutcome,
  recordWindowStored,
  type SourceConnection,
} from "@/lib/data/sources";
import { CURRENT_RULE } from "@/lib/rule/rules";
import { detectForIngestJob } from "@/lib/services/detection-service";
import { ingestStream } from "@/lib/services/ingest/ingest-stream";
import {
  DEFAULT_BACKOFF,
  isRetryableStatus,
  parseRetryAfter,
  retryDelayMs,
  type BackoffOptions,
} from "@/lib/sources/backoff";
import {
  checkpointRangeQuery,
  contextQuery,
  eqlSearchBody,
  hitLine,
  hostMomentOf,
  PAGE_SIZE,
  PIT_KEEP_ALIVE,
  searchPageBody,
  type HostMoment,
  type PolledHit,
  type SortValue,
} from "@/lib/sources/es-query";
import {
  DEFAULT_POLL_WINDOW,
  planPollWindows,
  type PollWindow,
  type PollWindowOptions,
} from "@/lib/sources/poll-window";

/**
 * Pulls the rule's events from an Elasticsearch or OpenSearch cluster with the official client,
 * and takes events shipped to our `_bulk` endpoint. Both feed the one ingest pipeline
 * (`ingestStream`: idempotent by fingerprint, then the rule runs over the new events).
 *
 * - poll mode: every document of the index patterns whose `event.ingested` (else `@timestamp`)
 *   is in the window (lib/sources/poll-window.ts), paged 1000 at a time with `search_after` in
 *   a point in time; without PIT (OpenSearch's API differs) `search_after` on `@timestamp`+`_id`.
 * - eql mode: the rule itself runs in the cluster (EQL search API, the window as `filter`); only
 *   its matches and ±15 minutes of their hosts' events come over.
 * - One ingest job per window, fed page by page as the pages arrive (memory: one page and one
 *   insert batch). The checkpoint moves only once a window is stored whole.
 * - Every request has a timeout; 429/5xx and connection failures are retried with exponential
 *   backoff, honouring `Retry-After`. When retries run out the source turns unhealthy with the
 *   error and the next poll starts again at the checkpoint.
 */
export interface PollTuning {
  pageSize: number;
  requestTimeoutMs: number;
  /** attempts per request, the first included */
  maxAttempts: number;
  backoff: BackoffOptions;
  window: PollWindowOptions;
  /** windows per poll: a long outage is caught up over several polls */
  maxWindowsPerPoll: number;
  /** EQL matches taken per window */
  maxEqlMatches: number;
  sleep: (ms: number) => Promise<void>;
}

export const DEFAULT_TUNING: PollTuning = {
  pageSize: PAGE_SIZE,
  requestTimeoutMs: 30_000,
  maxAttempts: 5,
  backoff: DEFAULT_BACKOFF,
  window: DEFAULT_POLL_WINDOW,
  maxWindowsPerPoll: 24,
  maxEqlMatches: 10_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * The client's transport without the Elasticsearch-only parts: no product check (OpenSearch
 * sends no `X-Elastic-Product`) and plain JSON media types instead of `compatible-with=8`.
 */
class ClusterTransport extends Transport {
  constructor(opts: TransportOptions) {
    super({
      ...opts,
      productCheck: undefined,
      vendoredHeaders: {
        jsonContentType: "application/json",
        ndjsonContentType: "application/x-ndjson",
        accept: "application/json",
      },
    });
  }
}

export function createSourceClient(
  conn: SourceConnection,
  tuning: Pick<PollTuning, "requestTimeoutMs"> = DEFAULT_TUNING,
): Client {
  const auth =
    conn.authType === "api_key" && conn.secret
      ? { apiKey: conn.secret }
      : conn.authType === "basic" && conn.username
        ? { username: conn.username, password: conn.secret ?? "" }
        : undefined;
  return new Client({
    node: conn.url,
    auth,
    Transport: ClusterTransport,
    // our own retry loop (below) backs off and honours Retry-After; the client's does neither
    maxRetries: 0,
    requestTimeout: tuning.requestTimeoutMs,
    tls: conn.url.startsWith("https:")
      ? { ca: conn.caCert ?? undefined, rejectUnauthorized: conn.tlsVerify }
      : undefined,
  });
}

/** An error a source shows on the admin page: what failed, in words an admin can act on. */
export function describeClusterError(error: unknown): string {
  if (error instanceof errors.ResponseError) {
    const body = error.body as { error?: { type?: string; reason?: string } | string } | undefined;
    const detail =
      typeof body?.error === "string"
        ? body.error
        : body?.error
          ? [body.error.type, body.error.reason].filter(Boolean).join(": ")
          : "";
    return `HTTP ${error.statusCode ?? "?"} from the cluster${detail ? `: ${detail}` : ""}`;
  }
  if (error instanceof errors.TimeoutError) return "the cluster did not answer in time (request timeout)";
  if (error instanceof errors.ConnectionError) return `cannot reach the cluster: ${error.message}`;
  if (error instanceof errors.ProductNotSupportedError) return "the server is not Elasticsearch or OpenSearch";
  return error instanceof Error ? error.message : String(error);
}

function statusOf(error: unknown): number | undefined {
  return error instanceof errors.ResponseError ? error.statusCode : undefined;
}

async function withRetry<T>(call: () => Promise<T>, tuning: PollTuning): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const retryable =
        isRetryableStatus(statusOf(error)) ||
        error instanceof errors.ConnectionError ||
        error instanceof errors.TimeoutError;
      if (!retryable || attempt >= tuning.maxAttempts) throw error;
      const retryAfter = error instanceof errors.ResponseError ? parseRetryAfter(error.headers?.["retry-after"]) : null;
      await tuning.sleep(retryDelayMs(attempt, retryAfter, tuning.backoff));
    }
  }
}

// ---------------------------------------------------------------- test connection

export type ConnectionTestResult =
  | { ok: true; clusterName: string; version: string; distribution: "elasticsearch" | "opensearch" }
  | { ok: false; error: string };

export async function testSourceConnection(
  conn: SourceConnection,
  tuning: Pick<PollTuning, "requestTimeoutMs"> = { requestTimeoutMs: 10_000 },
): Promise<ConnectionTestResult> {
  const client = createSourceClient(conn, tuning);
  try {
    const info = (await client.info()) as estypes.InfoResponse & { version: { distribution?: string } };
    return {
      ok: true,
      clusterName: info.cluster_name,
      version: info.version.number,
      distribution: info.version.distribution === "opensearch" ? "opensearch" : "elasticsearch",
    };
  } catch (error) {
    return { ok: false, error: describeClusterError(error) };
  } finally {
    await client.close().catch(() => {});
  }
}

// ---------------------------------------------------------------- reading pages

interface RawHit {
  _index: string;
  _id?: string | null;
  _source?: unknown;
  sort?: SortValue[];
}

function toPolled(hits: RawHit[]): PolledHit[] {
  return hits
    .filter(
      (h): h is RawHit & { _id: string; _source: Record<string, unknown> } =>
        typeof h._id === "string" && !!h._source && typeof h._source === "object",
    )
    .map((h) => ({ _index: h._index, _id: h._id, _source: h._source }));
}

/** Opens a point in time; null when the cluster has no `_pit` (OpenSearch, old versions). */
async function openPit(client: Client, index: string, tuning: PollTuning): Promise<string | null> {
  try {
    const pit = await withRetry(
      () => client.openPointInTime({ index, keep_alive: PIT_KEEP_ALIVE, ignore_unavailable: true }),
      tuning,
    );
    return pit.id;
  } catch (error) {
    const status = statusOf(error);
    if (status === 400 || status === 404 || status === 405 || status === 501) return null;
    throw error;
  }
}

/** The pages of one query, in `search_after` order; yields only non-empty pages. */
async function* searchPages(
  client: Client,
  indexPatterns: string[],
  query: Record<string, unknown>,
  tuning: PollTuning,
): AsyncGenerator<PolledHit[]> {
  const index = indexPatterns.join(",");
  let pitId = await openPit(client, index, tuning);
  try {
    let searchAfter: SortValue[] | undefined;
    for (;;) {
      const body = searchPageBody(query, {
        pitId: pitId ?? undefined,
        searchAfter,
        size: tuning.pageSize,
      }) as estypes.SearchRequest;
      const request: estypes.SearchRequest = pitId
        ? body
        : { ...body, index, ignore_unavailable: true, allow_no_indices: true };
      const response = await withRetry(() => client.search(request), tuning);
      if (response.pit_id) pitId = response.pit_id;
      const hits = response.hits.hits as RawHit[];
      const page = toPolled(hits);
      if (page.length) yield page;
      if (hits.length < tuning.pageSize) return;
      searchAfter = hits[hits.length - 1].sort;
      if (!searchAfter) return;
    }
  } finally {
    if (pitId) await client.closePointInTime({ id: pitId }).catch(() => {});
  }
}

/** EQL mode: the rule runs in the cluster; its matches' context comes first, then the matches. */
async function* eqlPages(
  client: Client,
  conn: SourceConnection,
  window: PollWindow,
  tuning: PollTuning,
): AsyncGenerator<PolledHit[]> {
  const index = conn.indexPatterns.join(",");
  const matches = new Map<string, PolledHit>();
  let after: Date | undefined;
  while (matches.size < tuning.maxEqlMatches) {
    const body = eqlSearchBody(CURRENT_RULE.query, window.from, window.to, { after, size: tuning.pageSize });
    const response = await withRetry(
      () =>
        client.eql.search({
          index,
          ignore_unavailable: true,
          allow_no_indices: true,
          ...(body as Omit<estypes.EqlSearchRequest, "index">),
        }),
      tuning,
    );
    const events = (response.hits.events ?? []) as RawHit[];
    for (const hit of toPolled(events)) matches.set(`${hit._index}/${hit._id}`, hit);
    if (events.length < tuning.pageSize) break;
    // a full page: continue from its last timestamp (boundary events come again, deduplicated)
    const last = hostMomentOf((events[events.length - 1]._source ?? {}) as Record<string, unknown>)?.at ?? null;
    if (!last || (after && last.getTime() <= after.getTime())) break;
    after = last;
  }
  const hits = [...matches.values()];
  // the context first: when the rule runs over this job, the Sysmon 19/20 halves are stored too
  const moments = hits.map((h) => hostMomentOf(h._source)).filter((m): m is HostMoment => m !== null);
  const context = contextQuery(moments);
  if (context) yield* searchPages(client, conn.indexPatterns, context, tuning);
  for (let i = 0; i < hits.length; i += tuning.pageSize) yield hits.slice(i, i + tuning.pageSize);
}

// ---------------------------------------------------------------- polling

export interface WindowResult {
  jobId: string | null;
  received: number;
  stored: number;
  alerts: number;
}

class WindowFailed extends Error {
  constructor(
    readonly cause: unknown,
    readonly stored: number,
  ) {
    super(describeClusterError(cause));
  }
}

async function pollWindow(
  client: Client,
  conn: SourceConnection,
  window: PollWindow,
  tuning: PollTuning,
): Promise<WindowResult> {
  const pages =
    conn.mode === "eql"
      ? eqlPages(client, conn, window, tuning)
      : searchPages(client, conn.indexPatterns, checkpointRangeQuery(window.from, window.to), tuning);
  const iterator = pages[Symbol.asyncIterator]();
  let first: IteratorResult<PolledHit[]>;
  try {
    first = await iterator.next();
  } catch (error) {
    throw new WindowFailed(error, 0);
  }
  // an empty window makes no ingest job
  if (first.done) return { jobId: null, received: 0, stored: 0, alerts: 0 };

  const broke: { error?: unknown } = {};
  async function* ndjson(): AsyncGenerator<Uint8Array> {
    try {
      yield Buffer.from((first.value as PolledHit[]).map(hitLine).join(""));
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        yield Buffer.from(next.value.map(hitLine).join(""));
      }
    } catch (error) {
      broke.error = error;
      throw error;
    }
  }
  const summary = await ingestStream({
    source: "poll",
    fileName: `${conn.name} ${window.from.toISOString()}..${window.to.toISOString()}`,
    format: "es-search",
    stream: ndjson(),
  });
  if (summary.status === "failed") {
    // What was stored before the break stays; the next poll re-reads it as duplicates, which no
    // later rule run would look at — so the rule runs over this job now.
    if (summary.stored > 0 && broke.error) await detectForIngestJob(summary.jobId, null).catch(() => {});
    throw new WindowFailed(broke.error ?? new Error(summary.message ?? "ingest failed"), summary.stored);
  }
  return { jobId: summary.jobId, received: summary.received, stored: summary.stored, alerts: summary.alerts };
}

export type PollOutcome =
  | {
      ok: true;
      sourceId: string;
      windows: number;
      received: number;
      stored: number;
      alerts: number;
      checkpoint: Date | null;
      caughtUp: boolean;
    }
  | {
      ok: false;
      sourceId: string;
      error: string;
      windows: number;
      received: number;
      stored: number;
      alerts: number;
      checkpoint: Date | null;
    };

const inFlight = new Set<string>();

export async function pollSource(
  sourceId: string,
  opts: { now?: Date; tuning?: Partial<PollTuning> } = {},
): Promise<PollOutcome> {
  const tuning = { ...DEFAULT_TUNING, ...opts.tuning };
  const now = opts.now ?? new Date();
  const conn = await loadSourceConnection(sourceId);
  if (!conn) throw new AppError("not_found", "no such source");
  const totals = { windows: 0, received: 0, stored: 0, alerts: 0 };
  let checkpoint = conn.checkpoint;
  if (inFlight.has(sourceId))
    return { ok: false, sourceId, error: "a poll of this source is already running", ...totals, checkpoint };
  inFlight.add(sourceId);
  const client = createSourceClient(conn, tuning);
  try {
    const windows = planPollWindows(conn.checkpoint, now, tuning.window).slice(0, tuning.maxWindowsPerPoll);
    for (const window of windows) {
      const result = await pollWindow(client, conn, window, tuning);
      await recordWindowStored(sourceId, window.to, result.stored);
      checkpoint = window.to;
      totals.windows++;
      totals.received += result.received;
      totals.stored += result.stored;
      totals.alerts += result.alerts;
    }
    await recordPollOutcome(sourceId, { ok: true, at: now });
    return {
      ok: true,
      sourceId,
      ...totals,
      checkpoint,
      caughtUp: windows.length === 0 || windows[windows.length - 1].last,
    };
  } catch (error) {
    const message = describeClusterError(error instanceof WindowFailed ? error.cause : error);
    if (error instanceof WindowFailed) {
      await recordDocumentsTaken(sourceId, error.stored);
      totals.stored += error.stored;
    }
    await recordPollOutcome(sourceId, { ok: false, error: message });
    return { ok: false, sourceId, error: message, ...totals, checkpoint };
  } finally {
    inFlight.delete(sourceId);
    await client.close().catch(() => {});
  }
}

/** The worker's one-minute task: poll every enabled source whose interval has elapsed. */
export async function pollDueSources(now: Date = new Date(), tuning?: Partial<PollTuning>): Promise<PollOutcome[]> {
  const ids = await claimDueSources(now);
  const outcomes: PollOutcome[] = [];
  // one after another: each poll already streams at most one page at a time
  for (const id of ids) outcomes.push(await pollSource(id, { now, tuning }));
  return outcomes;
}
