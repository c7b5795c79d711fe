/**
 * The Elasticsearch request bodies a poll sends (Query DSL and EQL search API shapes from
 * Elastic's reference docs). Pure: values in, request bodies out.
 */
import { getFieldValues } from "@/lib/eql/fields";

export const PAGE_SIZE = 1000;
export const CONTEXT_MARGIN_MS = 15 * 60_000;
export const PIT_KEEP_ALIVE = "2m";

type Query = Record<string, unknown>;

/**
 * Documents whose checkpoint time falls in [from, to]: `event.ingested` in range, or — for
 * documents without `event.ingested` — `@timestamp` in range. A `bool.should` of the two ranges
 * (rather than a runtime field) keeps it plain Query DSL that OpenSearch runs too, and lets
 * both ranges use the indices' date fields directly.
 */
export function checkpointRangeQuery(from: Date, to: Date): Query {
  const range = { gte: from.toISOString(), lte: to.toISOString(), format: "strict_date_optional_time" };
  return {
    bool: {
      should: [
        { range: { "event.ingested": range } },
        { bool: { must_not: [{ exists: { field: "event.ingested" } }], filter: [{ range: { "@timestamp": range } }] } },
      ],
      minimum_should_match: 1,
    },
  };
}

export type SortValue = string | number | boolean | null;

/**
 * One page of a paginated search. With a point in time, the sort ends with `_shard_doc` (the
 * PIT's own tiebreaker, unique across shards). Without one (OpenSearch before 2.4, or a
 * cluster that refuses `_pit`), it ends with `_id`: a stable total order for `search_after`
 * that OpenSearch can still sort on; the window is bounded and re-read on failure, so a
 * document indexed during the walk is at worst taken on the next poll.
 */
export function searchPageBody(
  query: Query,
  opts: { pitId?: string; searchAfter?: SortValue[]; size?: number },
): Record<string, unknown> {
  const sort: Record<string, unknown>[] = [{ "@timestamp": { order: "asc", unmapped_type: "date" } }];
  sort.push(opts.pitId ? { _shard_doc: "asc" } : { _id: "asc" });
  return {
    size: opts.size ?? PAGE_SIZE,
    query,
    sort,
    track_total_hits: false,
    ...(opts.pitId ? { pit: { id: opts.pitId, keep_alive: PIT_KEEP_ALIVE } } : {}),
    ...(opts.searchAfter ? { search_after: opts.searchAfter } : {}),
  };
}

/** The EQL search body that pushes the rule down: its query, the poll window as `filter`. */
export function eqlSearchBody(
  ruleQuery: string,
  from: Date,
  to: Date,
  opts: { after?: Date; size?: number } = {},
): Record<string, unknown> {
  const window = checkpointRangeQuery(from, to);
  return {
    query: ruleQuery,
    // earliest matches first, so a full page can be continued from its last timestamp
    result_position: "head",
    size: opts.size ?? PAGE_SIZE,
    filter: opts.after
      ? { bool: { filter: [window, { range: { "@timestamp": { gte: opts.after.toISOString() } } }] } }
      : window,
  };
}

export interface HostMoment {
  host: string;
  at: Date;
}

/**
 * The context of EQL matches: every document of the same host within ±15 minutes of a match
 * (the Sysmon 19/20 halves of the subscription, the process that created it). Overlapping
 * intervals of one host are merged, so the query stays small whatever the number of matches.
 */
export function contextQuery(moments: HostMoment[], marginMs: number = CONTEXT_MARGIN_MS): Query | null {
  const byHost = new Map<string, Array<[number, number]>>();
  for (const m of moments) {
    const list = byHost.get(m.host) ?? [];
    list.push([m.at.getTime() - marginMs, m.at.getTime() + marginMs]);
    byHost.set(m.host, list);
  }
  const should: Query[] = [];
  for (const [host, intervals] of [...byHost.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    intervals.sort((a, b) => a[0] - b[0]);
    const merged: Array<[number, number]> = [];
    for (const iv of intervals) {
      const last = merged[merged.length - 1];
      if (last && iv[0] <= last[1]) last[1] = Math.max(last[1], iv[1]);
      else merged.push([...iv]);
    }
    for (const [gte, lte] of merged) {
      should.push({
        bool: {
          filter: [
            {
              bool: {
                should: [{ term: { "host.name": host } }, { term: { "winlog.computer_name": host } }],
                minimum_should_match: 1,
              },
            },
            {
              range: {
                "@timestamp": {
                  gte: new Date(gte).toISOString(),
                  lte: new Date(lte).toISOString(),
                  format: "strict_date_optional_time",
                },
              },
            },
          ],
        },
      });
    }
  }
  return should.length ? { bool: { should, minimum_should_match: 1 } } : null;
}

/** One polled hit as the ingest pipeline's `es-search` reader takes it (one NDJSON line). */
export interface PolledHit {
  _index: string;
  _id: string;
  _source: Record<string, unknown>;
}

export function hitLine(hit: PolledHit): string {
  return `${JSON.stringify({ _index: hit._index, _id: hit._id, _source: hit._source })}\n`;
}

/** host and time of an EQL match, for its context query; null when the match names no host. */
export function hostMomentOf(source: Record<string, unknown>): HostMoment | null {
  const host = getFieldValues(source, "host.name")[0] ?? getFieldValues(source, "winlog.computer_name")[0];
  const ts = getFieldValues(source, "@timestamp")[0];
  if (typeof host !== "string" || (typeof ts !== "string" && typeof ts !== "number")) return null;
  const at = new Date(ts);
  return Number.isNaN(at.getTime()) ? null : { host, at };
}
