import "server-only";
import { z } from "zod";
import { assertCan, type Actor } from "@/lib/auth/permissions";
import { fieldJsonPath } from "@/lib/eql/to-sql";
import { valuesText } from "@/lib/hunt/table";
import { ALERT_STATUSES, type AlertStatus } from "@/lib/data/alert-status";
import { getDb } from "@/lib/db/client";
import { parseFilterValue } from "@/lib/format/filter-value";
import { Prisma } from "@/lib/generated/prisma/client";

/**
 * The alerts table: one filter read from the URL, turned into one SQL WHERE clause that the rows
 * query and a single aggregate query (counts per status and per time bucket) share. The total is
 * the sum of the aggregate's status counts, so the filtered set is scanned once for all numbers,
 * and the rows query stays an index walk with LIMIT.
 */
export const SEVERITIES = ["low", "medium", "high", "critical"] as const;
export const SORT_COLUMNS = [
  "time",
  "severity",
  "risk",
  "host",
  "user",
  "consumer",
  "status",
  "assignee",
  "case",
] as const;
export type SortColumn = (typeof SORT_COLUMNS)[number];
export const PAGE_SIZES = [25, 50, 100] as const;
export const GROUP_BY = ["host", "consumer", "user"] as const;
export type GroupBy = (typeof GROUP_BY)[number];

export type SearchParams = Record<string, string | string[] | undefined>;

const first = (v: unknown) => (Array.isArray(v) ? v[0] : v);
/** `?status=open,acknowledged` or `?status=open&status=acknowledged` */
const multi = <T extends string>(values: readonly T[]) =>
  z.preprocess(
    (v) => (v === undefined ? [] : (Array.isArray(v) ? v : [v]).flatMap((s) => String(s).split(",")).filter(Boolean)),
    z.array(z.enum(values)).catch([]),
  );
const text = z.preprocess(first, z.string().trim().min(1).max(300).optional().catch(undefined));
/** host, user and consumer: any length (a very long one filters by its hash, lib/format/filter-value.ts) */
const fieldFilter = z.preprocess(first, z.string().trim().min(1).optional().catch(undefined));
const date = z.preprocess(
  first,
  z
    .string()
    .trim()
    .transform((s, ctx) => {
      const d = new Date(s);
      if (Number.isNaN(d.getTime())) {
        ctx.addIssue({ code: "custom", message: "not a date" });
        return z.NEVER;
      }
      return d;
    })
    .optional()
    .catch(undefined),
);

export const alertFilterSchema = z.object({
  status: multi(ALERT_STATUSES),
  severity: multi(SEVERITIES),
  host: fieldFilter,
  user: fieldFilter,
  consumer: fieldFilter,
  /** a user id, "me" or "unassigned" */
  assignee: text,
  /** a case id or "none" */
  case: text,
  job: z.preprocess(first, z.uuid().optional().catch(undefined)),
  from: date,
  to: date,
  q: text,
  sort: z.preprocess(first, z.enum(SORT_COLUMNS).catch("time")),
  dir: z.preprocess(first, z.enum(["asc", "desc"]).catch("desc")),
  page: z.preprocess(first, z.coerce.number().int().min(1).max(100_000).catch(1)),
  size: z.preprocess(
    first,
    z.coerce
      .number()
      .pipe(z.union(PAGE_SIZES.map((n) => z.literal(n))))
      .catch(50),
  ),
  group: z.preprocess(first, z.enum(GROUP_BY).optional().catch(undefined)),
  /** the page of groups when grouped */
  gpage: z.preprocess(first, z.coerce.number().int().min(1).max(100_000).catch(1)),
});
export type AlertFilter = z.infer<typeof alertFilterSchema>;

export function parseAlertFilter(params: SearchParams): AlertFilter {
  return alertFilterSchema.parse(params);
}

/** ILIKE pattern for a literal substring: %, _ and \ in the user's text match themselves. */
export function containsPattern(value: string): string {
  return `%${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** A host/user/consumer filter: case-insensitive, `*` wildcards, or `sha256:<hex>` of the exact value. */
function fieldMatch(column: Prisma.Sql, raw: string): Prisma.Sql {
  const m = parseFilterValue(raw);
  if (m.kind === "sha256") return Prisma.sql`encode(sha256(convert_to(${column}, 'UTF8')), 'hex') = ${m.hex}`;
  if (m.kind === "like") return Prisma.sql`lower(${column}) LIKE lower(${m.pattern})`;
  return Prisma.sql`lower(${column}) = lower(${m.value})`;
}

export function filterWhere(actor: Actor, f: AlertFilter, opts: { withStatus: boolean }): Prisma.Sql {
  const parts = whereParts(actor, f, opts);
  return parts.length ? Prisma.sql`WHERE ${Prisma.join(parts, " AND ")}` : Prisma.empty;
}

function whereParts(actor: Actor, f: AlertFilter, { withStatus }: { withStatus: boolean }): Prisma.Sql[] {
  const parts: Prisma.Sql[] = [];
  if (withStatus && f.status.length) parts.push(Prisma.sql`a.status IN (${Prisma.join(f.status)})`);
  if (f.severity.length) parts.push(Prisma.sql`a.severity IN (${Prisma.join(f.severity)})`);
  if (f.host) parts.push(fieldMatch(Prisma.sql`a.host_name`, f.host));
  if (f.user) parts.push(fieldMatch(Prisma.sql`a.user_name`, f.user));
  if (f.consumer) parts.push(fieldMatch(Prisma.sql`a.consumer_name`, f.consumer));
  if (f.assignee === "unassigned") parts.push(Prisma.sql`a.assignee_id IS NULL`);
  else if (f.assignee) parts.push(Prisma.sql`a.assignee_id = ${f.assignee === "me" ? actor.id : f.assignee}`);
  if (f.case === "none") parts.push(Prisma.sql`a.case_id IS NULL`);
  else if (f.case) {
    // a malformed id matches nothing instead of failing the uuid cast
    if (z.uuid().safeParse(f.case).success) parts.push(Prisma.sql`a.case_id = ${f.case}::uuid`);
    else parts.push(Prisma.sql`FALSE`);
  }
  if (f.job) parts.push(Prisma.sql`a.event_id IN (SELECT e.id FROM event e WHERE e.ingest_job_id = ${f.job}::uuid)`);
  if (f.from) parts.push(Prisma.sql`a.event_timestamp >= ${f.from}`);
  if (f.to) parts.push(Prisma.sql`a.event_timestamp < ${f.to}`);
  // case-insensitive substring of host, user, consumer, command, reason or decoded payload: search_text is their
  // lower-cased join with U+0001 between them, trigram-indexed (migration 20261128140000_alert_search)
  if (f.q) parts.push(Prisma.sql`a.search_text LIKE lower(${containsPattern(f.q.replaceAll("\u0001", ""))})`);
  return parts;
}

export const SEVERITY_RANK = Prisma.sql`CASE a.severity WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 WHEN 'low' THEN 1 ELSE 0 END`;
const STATUS_RANK = Prisma.sql`CASE a.status WHEN 'open' THEN 1 WHEN 'acknowledged' THEN 2 ELSE 3 END`;
const SORT_SQL: Record<SortColumn, Prisma.Sql> = {
  time: Prisma.sql`a.event_timestamp`,
  severity: SEVERITY_RANK,
  risk: Prisma.sql`a.risk_score`,
  host: Prisma.sql`a.host_name`,
  user: Prisma.sql`a.user_name`,
  consumer: Prisma.sql`a.consumer_name`,
  status: STATUS_RANK,
  assignee: Prisma.sql`u.name`,
  case: Prisma.sql`c.number`,
};

function orderBy(f: AlertFilter): Prisma.Sql {
  const dir = f.dir === "asc" ? Prisma.sql`ASC` : Prisma.sql`DESC`;
  const nulls = Prisma.sql`NULLS LAST`;
  // the tie-breakers keep pages stable when many alerts share a value
  if (f.sort === "time") return Prisma.sql`ORDER BY a.event_timestamp ${dir}, a.id ${dir}`;
  return Prisma.sql`ORDER BY ${SORT_SQL[f.sort]} ${dir} ${nulls}, a.event_timestamp DESC, a.id DESC`;
}

function sortJoinOf(f: AlertFilter): Prisma.Sql {
  if (f.sort === "assignee") return Prisma.sql`LEFT JOIN "user" u ON u.id = a.assignee_id`;
  if (f.sort === "case") return Prisma.sql`LEFT JOIN "case" c ON c.id = a.case_id`;
  return Prisma.empty;
}

export const COMMAND_PREVIEW = 160;

interface RowSql {
  id: string;
  version: number;
  event_timestamp: Date;
  severity: string;
  risk_score: number;
  host_name: string | null;
  user_name: string | null;
  consumer_name: string | null;
  consumer_type: string | null;
  command_preview: string | null;
  command_length: number | null;
  status: string;
  status_changed_at: Date | null;
  status_changed_by_name: string | null;
  close_reason: string | null;
  assignee_id: string | null;
  assignee_name: string | null;
  case_id: string | null;
  case_number: number | null;
  case_title: string | null;
  field_values: unknown[][] | null;
}

export interface AlertListRow {
  id: string;
  version: number;
  eventTimestamp: string;
  severity: string;
  riskScore: number;
  hostName: string | null;
  userName: string | null;
  consumerName: string | null;
  consumerType: string | null;
  commandPreview: string | null;
  commandTruncated: boolean;
  status: AlertStatus;
  statusChangedAt: string | null;
  statusChangedByName: string | null;
  closeReason: string | null;
  assigneeId: string | null;
  assigneeName: string | null;
  caseId: string | null;
  caseNumber: number | null;
  caseTitle: string | null;
  /** the chosen ECS fields' values in the alert's event, as text (lib/hunt/table.ts valuesText); "" when absent */
  fields: Record<string, string>;
}

export interface HistogramBucket {
  start: string;
  end: string;
  count: number;
}

export interface AlertListResult {
  filter: AlertFilter;
  rows: AlertListRow[];
  total: number;
  pageCount: number;
  /** per status, under every filter except the status filter (so the chips show what clicking would give) */
  statusCounts: Record<AlertStatus, number>;
  histogram: {
    unit: "hour" | "day" | "month";
    buckets: HistogramBucket[];
    /** alerts before the first bar (outliers left out of the auto range) and the oldest one's time */
    older: number;
    oldest: string | null;
  };
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * Bars per hour up to 3 days, per day up to 120 days, else per month; always UTC. The interval
 * follows the shown range (as Kibana's auto interval does): the filter's from/to, else the range
 * of the alerts — without the oldest 2% when they alone stretch it more than 4× (one old alert
 * must not flatten a week of recent ones); those are counted in `older`, before `start`.
 */
function buildHistogram(hourly: { hour: Date; count: number }[], from?: Date, to?: Date): AlertListResult["histogram"] {
  if (hourly.length === 0 && !(from && to)) return { unit: "hour", buckets: [], older: 0, oldest: null };
  const times = hourly.map((h) => h.hour.getTime());
  const end = to?.getTime() ?? Math.max(...times) + HOUR;
  let start = from?.getTime() ?? Math.min(...times);
  let older = 0;
  if (!from) {
    const sorted = [...hourly].sort((a, b) => a.hour.getTime() - b.hour.getTime());
    const total = sorted.reduce((n, h) => n + h.count, 0);
    let seen = 0;
    const p2 = sorted.find((h) => (seen += h.count) > total * 0.02)!.hour.getTime();
    if ((end - p2) * 4 < end - start) {
      start = p2;
      older = sorted.filter((h) => h.hour.getTime() < p2).reduce((n, h) => n + h.count, 0);
    }
  }
  const span = end - start;
  const unit = span <= 3 * DAY ? "hour" : span <= 120 * DAY ? "day" : "month";
  const floor = (t: number) => {
    const d = new Date(t);
    if (unit === "hour") return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours());
    if (unit === "day") return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  };
  const next = (t: number) => {
    if (unit === "hour") return t + HOUR;
    if (unit === "day") return t + DAY;
    const d = new Date(t);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  };
  const counts = new Map<number, number>();
  for (const h of hourly) {
    if (h.hour.getTime() < start) continue;
    counts.set(floor(h.hour.getTime()), (counts.get(floor(h.hour.getTime())) ?? 0) + h.count);
  }
  const buckets: HistogramBucket[] = [];
  // a very long range in months is still bounded: at most 600 bars
  for (let t = floor(start); t < end && buckets.length < 600; t = next(t)) {
    buckets.push({ start: new Date(t).toISOString(), end: new Date(next(t)).toISOString(), count: counts.get(t) ?? 0 });
  }
  return { unit, buckets, older, oldest: older ? new Date(Math.min(...times)).toISOString() : null };
}

/**
 * A field column's text is cut here: the cell shows 60 characters, its dialog the rest (an
 * event's field can be megabytes, and 100 rows of it would be the page).
 */
export const FIELD_VALUE_MAX = 20_000;

function cutValue(text: string): string {
  return text.length > FIELD_VALUE_MAX ? `${text.slice(0, FIELD_VALUE_MAX)}…` : text;
}

/**
 * `fields`: ECS fields (lib/hunt/table.ts isFieldName) whose values each row carries, read from
 * the alert's event by the EQL compiler's jsonpath (getFieldValues' semantics) for the page's
 * rows only.
 */
export async function listAlerts(
  actor: Actor,
  filter: AlertFilter,
  { fields = [] }: { fields?: readonly string[] } = {},
): Promise<AlertListResult> {
  assertCan(actor, "alerts:read");
  const { prisma } = getDb();
  const f = filter;
  const where = filterWhere(actor, f, { withStatus: true });
  const whereNoStatus = filterWhere(actor, f, { withStatus: false });

  const aggregate = await prisma.$queryRaw<{ status: string; hour: Date; count: bigint }[]>`
    SELECT a.status, date_trunc('hour', a.event_timestamp AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS hour, count(*) AS count
    FROM alert a ${whereNoStatus}
    GROUP BY 1, 2`;
  const statusCounts: Record<AlertStatus, number> = { open: 0, acknowledged: 0, closed: 0 };
  const hourly = new Map<number, number>();
  let total = 0;
  for (const r of aggregate) {
    const n = Number(r.count);
    if (r.status in statusCounts) statusCounts[r.status as AlertStatus] += n;
    if (f.status.length === 0 || (f.status as string[]).includes(r.status)) {
      total += n;
      hourly.set(r.hour.getTime(), (hourly.get(r.hour.getTime()) ?? 0) + n);
    }
  }

  const pageCount = Math.max(1, Math.ceil(total / f.size));
  const page = Math.min(f.page, pageCount);
  // The page's ids first (joining only what the sort needs), then the display joins for those
  // ids alone: a deep page no longer joins every row before the OFFSET.
  const sortJoin = sortJoinOf(f);
  const fieldValues = fields.length
    ? Prisma.sql`(SELECT jsonb_build_array(${Prisma.join(
        fields.map((path) => Prisma.sql`jsonb_path_query_array(e.doc, ${fieldJsonPath(path)}::jsonpath)`),
      )}) FROM event e WHERE e.id = a.event_id)`
    : Prisma.sql`NULL::jsonb`;
  // grouped, the page shows groups (lib/data/alert-groups.ts) instead of rows
  const rows =
    total === 0 || f.group
      ? []
      : await prisma.$queryRaw<RowSql[]>`
    SELECT a.id, a.version, a.event_timestamp, a.severity, a.risk_score, a.host_name, a.user_name,
           a.consumer_name, a.consumer_type, left(a.command, ${COMMAND_PREVIEW}) AS command_preview,
           length(a.command) AS command_length, a.status, a.status_changed_at, sb.name AS status_changed_by_name,
           a.close_reason, a.assignee_id, u.name AS assignee_name, a.case_id::text AS case_id,
           c.number AS case_number, c.title AS case_title, ${fieldValues} AS field_values
    FROM unnest(ARRAY(SELECT a.id FROM alert a ${sortJoin} ${where} ${orderBy(f)} LIMIT ${f.size} OFFSET ${(page - 1) * f.size}))
         WITH ORDINALITY AS p(id, n)
    JOIN alert a ON a.id = p.id
    LEFT JOIN "user" u ON u.id = a.assignee_id
    LEFT JOIN "user" sb ON sb.id = a.status_changed_by
    LEFT JOIN "case" c ON c.id = a.case_id
    ORDER BY p.n`;

  return {
    filter: { ...f, page },
    rows: rows.map((r) => ({
      id: r.id,
      version: r.version,
      eventTimestamp: r.event_timestamp.toISOString(),
      severity: r.severity,
      riskScore: r.risk_score,
      hostName: r.host_name,
      userName: r.user_name,
      consumerName: r.consumer_name,
      consumerType: r.consumer_type,
      commandPreview: r.command_preview,
      commandTruncated: (r.command_length ?? 0) > COMMAND_PREVIEW,
      status: r.status as AlertStatus,
      statusChangedAt: r.status_changed_at?.toISOString() ?? null,
      statusChangedByName: r.status_changed_by_name,
      closeReason: r.close_reason,
      assigneeId: r.assignee_id,
      assigneeName: r.assignee_name,
      caseId: r.case_id,
      caseNumber: r.case_number,
      caseTitle: r.case_title,
      fields: Object.fromEntries(fields.map((path, i) => [path, cutValue(valuesText(r.field_values?.[i] ?? []))])),
    })),
    total,
    pageCount,
    statusCounts,
    histogram: buildHistogram(
      [...hourly].map(([hour, count]) => ({ hour: new Date(hour), count })),
      f.from,
      f.to,
    ),
  };
}

export interface AlertNeighbours {
  /** the row above in the list (`k`, `[`, Previous) and below (`j`, `]`, Next) */
  prevId: string | null;
  nextId: string | null;
  /** 1-based place of the alert in the list, and the list's length (the alert counted even if it left the filter) */
  position: number;
  total: number;
  /** the list's query string (no page), carried to the neighbours; null when the alert was opened without one */
  list: string | null;
  /** the alerts page showing this alert */
  listHref: string;
}

type NeighbourRow = { n: bigint | null; total: bigint; prev: string | null; next: string | null };

/**
 * The newest-first (or oldest-first) list, the default: counts and two index walks around the
 * alert's (time, id), never the whole list sorted and numbered (1.5 s over 60,000 open alerts in
 * bench:scale). The alert counts in the list even when it has left the filter, as below.
 */
function neighboursByTime(f: AlertFilter, parts: Prisma.Sql[], id: string): Promise<NeighbourRow[]> {
  const filter = parts.length ? Prisma.join(parts, " AND ") : Prisma.sql`TRUE`;
  const desc = f.dir === "desc";
  // "before" in the list: a later (time, id) when newest first, an earlier one when oldest first
  const before = desc ? Prisma.sql`>` : Prisma.sql`<`;
  const after = desc ? Prisma.sql`<` : Prisma.sql`>`;
  const towardsStart = desc ? Prisma.sql`ASC` : Prisma.sql`DESC`;
  const towardsEnd = desc ? Prisma.sql`DESC` : Prisma.sql`ASC`;
  return getDb().prisma.$queryRaw<NeighbourRow[]>`
    WITH me AS (SELECT a.id, a.event_timestamp AS ts, (${filter}) AS listed FROM alert a WHERE a.id = ${id})
    SELECT (SELECT count(*) + 1 FROM alert a, me WHERE (${filter}) AND a.event_timestamp ${before} me.ts)
             + (SELECT count(*) FROM alert a, me WHERE (${filter}) AND a.event_timestamp = me.ts AND a.id ${before} me.id) AS n,
           (SELECT count(*) FROM alert a WHERE ${filter}) + (SELECT count(*) FROM me WHERE NOT me.listed) AS total,
           (SELECT a.id FROM alert a, me WHERE (${filter}) AND (a.event_timestamp, a.id) ${before} (me.ts, me.id)
             ORDER BY a.event_timestamp ${towardsStart}, a.id ${towardsStart} LIMIT 1) AS prev,
           (SELECT a.id FROM alert a, me WHERE (${filter}) AND (a.event_timestamp, a.id) ${after} (me.ts, me.id)
             ORDER BY a.event_timestamp ${towardsEnd}, a.id ${towardsEnd} LIMIT 1) AS next
      FROM me`;
}

/** Any other sort: the list numbered in its order, the alert included even when it has left the filter. */
function neighboursBySortKey(f: AlertFilter, parts: Prisma.Sql[], id: string): Promise<NeighbourRow[]> {
  const where = parts.length ? Prisma.sql`WHERE (${Prisma.join(parts, " AND ")}) OR a.id = ${id}` : Prisma.empty;
  return getDb().prisma.$queryRaw<NeighbourRow[]>`
    WITH l AS (SELECT a.id, row_number() OVER (${orderBy(f)}) AS n FROM alert a ${sortJoinOf(f)} ${where}),
         me AS (SELECT n FROM l WHERE id = ${id})
    SELECT (SELECT n FROM me) AS n, (SELECT count(*) FROM l) AS total,
           (SELECT l.id FROM l, me WHERE l.n = me.n - 1) AS prev,
           (SELECT l.id FROM l, me WHERE l.n = me.n + 1) AS next`;
}

/** The filter of a list's query string (as the alerts page's URL has it). */
export function parseAlertFilterQuery(query: string): AlertFilter {
  return parseAlertFilter(paramsOf(query));
}

/** A list's query string (as the alerts page's URL has it) as search params. */
function paramsOf(query: string): SearchParams {
  const out: SearchParams = {};
  for (const [k, v] of new URLSearchParams(query)) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

/**
 * Where an alert sits in the exact filtered, sorted list it was opened from (`list`, the alerts
 * page's query string), and its neighbours in the direction of `j`/`k`. Without a list: open and
 * acknowledged alerts, newest first. An alert that has left the list since (closed from an
 * "open" list) keeps its place by its sort key, so `]` still goes on to the next one.
 */
export async function getAlertNeighbours(actor: Actor, id: string, list: string | undefined): Promise<AlertNeighbours> {
  assertCan(actor, "alerts:read");
  const query = list === undefined ? null : new URLSearchParams(list);
  query?.delete("page");
  const f = parseAlertFilter(query ? paramsOf(query.toString()) : { status: "open,acknowledged" });
  const parts = whereParts(actor, f, { withStatus: true });
  const [row] = f.sort === "time" ? await neighboursByTime(f, parts, id) : await neighboursBySortKey(f, parts, id);
  const position = Number(row?.n ?? 0);
  const listQuery = query?.toString() ?? null;
  const page = position > 0 ? Math.ceil(position / f.size) : 1;
  const pageParams = new URLSearchParams(listQuery ?? "status=open,acknowledged");
  if (page > 1) pageParams.set("page", String(page));
  const qs = pageParams.toString();
  return {
    prevId: row?.prev ?? null,
    nextId: row?.next ?? null,
    position,
    total: Number(row?.total ?? 0),
    list: listQuery,
    listHref: qs ? `/alerts?${qs}` : "/alerts",
  };
}
