import "server-only";
import { z } from "zod";
import { AppError } from "@/lib/app-error";
import { assertCan, type Actor } from "@/lib/auth/permissions";
import {
  filterWhere,
  parseAlertFilterQuery,
  SEVERITY_RANK,
  type AlertFilter,
  type GroupBy,
} from "@/lib/data/alert-list";
import {
  assignAlerts,
  CLOSE_REASONS,
  MAX_BULK,
  setAlertsStatus,
  type AlertChangeResult,
  type AlertItem,
  type AlertStatus,
} from "@/lib/data/alert-status";
import { getDb } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";

/**
 * Grouped alerts, as Kibana's grouped alerts table: the filtered alerts grouped by host, consumer
 * or user on the server — per group its count, counts per status, highest severity and latest
 * event — a page of groups at a time, each with its latest few alerts. A group's key is the
 * stored value itself, compared with `=` (a deterministic collation: byte for byte), so names
 * that differ only by an invisible character or a look-alike letter are separate groups.
 */
export const GROUPS_PER_PAGE = 25;
/** alerts shown inside an opened group; the rest are one link away */
export const GROUP_PREVIEW = 5;
/** a group action resolves at most this many alerts (in MAX_BULK chunks) */
export const MAX_GROUP_ACTION = 5_000;

const GROUP_COLUMN: Record<GroupBy, Prisma.Sql> = {
  host: Prisma.sql`a.host_name`,
  consumer: Prisma.sql`a.consumer_name`,
  user: Prisma.sql`a.user_name`,
};
const RANK_SEVERITY = ["", "low", "medium", "high", "critical"];

export interface AlertGroupAlert {
  id: string;
  eventTimestamp: string;
  severity: string;
  status: AlertStatus;
  assigneeName: string | null;
  hostName: string | null;
  userName: string | null;
  consumerName: string | null;
}

export interface AlertGroup {
  /** the stored value (null: alerts without one) */
  key: string | null;
  count: number;
  statusCounts: Record<AlertStatus, number>;
  /** the highest severity in the group */
  severity: string;
  /** alerts of the group with someone assigned */
  assigned: number;
  latest: string;
  /** the latest GROUP_PREVIEW alerts */
  alerts: AlertGroupAlert[];
}

export interface AlertGroupsResult {
  by: GroupBy;
  groups: AlertGroup[];
  /** groups in all pages, and alerts in them */
  groupCount: number;
  page: number;
  pageCount: number;
}

function keyMatch(column: Prisma.Sql, key: string | null): Prisma.Sql {
  return key === null ? Prisma.sql`${column} IS NULL` : Prisma.sql`${column} = ${key}`;
}

export async function listAlertGroups(actor: Actor, f: AlertFilter, by: GroupBy): Promise<AlertGroupsResult> {
  assertCan(actor, "alerts:read");
  const { prisma } = getDb();
  const column = GROUP_COLUMN[by];
  const where = filterWhere(actor, f, { withStatus: true });
  const page = f.gpage;
  const rows = await prisma.$queryRaw<
    {
      key: string | null;
      count: bigint;
      open: bigint;
      acknowledged: bigint;
      closed: bigint;
      rank: number;
      assigned: bigint;
      latest: Date;
      groups: bigint;
    }[]
  >`
    WITH g AS (
      SELECT ${column} AS key, count(*) AS count,
             count(*) FILTER (WHERE a.status = 'open') AS open,
             count(*) FILTER (WHERE a.status = 'acknowledged') AS acknowledged,
             count(*) FILTER (WHERE a.status = 'closed') AS closed,
             max(${SEVERITY_RANK}) AS rank, count(a.assignee_id) AS assigned, max(a.event_timestamp) AS latest
      FROM alert a ${where}
      GROUP BY 1
    )
    SELECT g.*, count(*) OVER () AS groups FROM g
    ORDER BY g.count DESC, g.rank DESC, g.key COLLATE "C" NULLS LAST
    LIMIT ${GROUPS_PER_PAGE} OFFSET ${(page - 1) * GROUPS_PER_PAGE}`;
  const groupCount = Number(rows[0]?.groups ?? 0);

  const previews = new Map<string | null, AlertGroupAlert[]>();
  if (rows.length) {
    const keys = rows.filter((r) => r.key !== null).map((r) => r.key!);
    const matches = [
      ...(keys.length ? [Prisma.sql`${column} IN (${Prisma.join(keys)})`] : []),
      ...(rows.some((r) => r.key === null) ? [Prisma.sql`${column} IS NULL`] : []),
    ];
    const inGroups = Prisma.sql`(${Prisma.join(matches, " OR ")})`;
    const whereIn = where === Prisma.empty ? Prisma.sql`WHERE ${inGroups}` : Prisma.sql`${where} AND ${inGroups}`;
    const alerts = await prisma.$queryRaw<
      {
        key: string | null;
        id: string;
        event_timestamp: Date;
        severity: string;
        status: string;
        assignee_name: string | null;
        host_name: string | null;
        user_name: string | null;
        consumer_name: string | null;
      }[]
    >`
      SELECT x.*, u.name AS assignee_name FROM (
        SELECT ${column} AS key, a.id, a.event_timestamp, a.severity, a.status, a.assignee_id, a.host_name,
               a.user_name, left(a.consumer_name, 300) AS consumer_name,
               row_number() OVER (PARTITION BY ${column} ORDER BY a.event_timestamp DESC, a.id DESC) AS n
        FROM alert a ${whereIn}
      ) x LEFT JOIN "user" u ON u.id = x.assignee_id
      WHERE x.n <= ${GROUP_PREVIEW}
      ORDER BY x.n`;
    for (const a of alerts) {
      const list = previews.get(a.key) ?? [];
      list.push({
        id: a.id,
        eventTimestamp: a.event_timestamp.toISOString(),
        severity: a.severity,
        status: a.status as AlertStatus,
        assigneeName: a.assignee_name,
        hostName: a.host_name,
        userName: a.user_name,
        consumerName: a.consumer_name,
      });
      previews.set(a.key, list);
    }
  }

  return {
    by,
    groupCount,
    page,
    pageCount: Math.max(1, Math.ceil(groupCount / GROUPS_PER_PAGE)),
    groups: rows.map((r) => ({
      key: r.key,
      count: Number(r.count),
      statusCounts: { open: Number(r.open), acknowledged: Number(r.acknowledged), closed: Number(r.closed) },
      severity: RANK_SEVERITY[Number(r.rank)] || "low",
      assigned: Number(r.assigned),
      latest: r.latest.toISOString(),
      alerts: previews.get(r.key) ?? [],
    })),
  };
}

/**
 * The alerts of one group under the list's filter, as the items a bulk change takes (with the
 * status and assignee they have now), in MAX_BULK chunks. `null` when the group holds more than
 * MAX_GROUP_ACTION alerts.
 */
export async function listAlertGroupItems(
  actor: Actor,
  f: AlertFilter,
  by: GroupBy,
  key: string | null,
): Promise<AlertItem[][] | null> {
  assertCan(actor, "alerts:read");
  const parts = [filterWhere(actor, f, { withStatus: true }), keyMatch(GROUP_COLUMN[by], key)];
  const where = parts[0] === Prisma.empty ? Prisma.sql`WHERE ${parts[1]}` : Prisma.sql`${parts[0]} AND ${parts[1]}`;
  const rows = await getDb().prisma.$queryRaw<
    { id: string; version: number; status: string; assignee_id: string | null }[]
  >`
    SELECT a.id, a.version, a.status, a.assignee_id FROM alert a ${where}
    ORDER BY a.event_timestamp DESC, a.id DESC LIMIT ${MAX_GROUP_ACTION + 1}`;
  if (rows.length > MAX_GROUP_ACTION) return null;
  const items = rows.map((r) => ({
    id: r.id,
    version: r.version,
    seen: { status: r.status as AlertStatus, assigneeId: r.assignee_id },
  }));
  const chunks: AlertItem[][] = [];
  for (let i = 0; i < items.length; i += MAX_BULK) chunks.push(items.slice(i, i + MAX_BULK));
  return chunks;
}

/** What a group's header can do to all its alerts at once. */
export const groupOperationSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("acknowledge") }),
  z.object({ kind: z.literal("reopen") }),
  z.object({
    kind: z.literal("close"),
    closeReason: z.enum(CLOSE_REASONS, "choose a close reason"),
    verdictNote: z.string().trim().max(5000).optional(),
  }),
  z.object({ kind: z.literal("assign"), assigneeId: z.string().min(1).max(100).nullable() }),
]);
export type GroupOperation = z.infer<typeof groupOperationSchema>;

/**
 * Acknowledge, reopen, close or assign every alert of one group of the list (`query`, the alerts
 * page's query string with its `group`), as the page showed it: when the group no longer holds
 * the `shown` number of alerts (new ones arrived, others left the filter) nothing is changed.
 */
export async function changeAlertGroup(
  actor: Actor,
  query: string,
  key: string | null,
  shown: number,
  op: GroupOperation,
): Promise<AlertChangeResult> {
  const filter = parseAlertFilterQuery(query);
  if (!filter.group) throw new AppError("bad_request", "the list is not grouped");
  const chunks = await listAlertGroupItems(actor, filter, filter.group, key);
  if (chunks === null)
    throw new AppError("bad_request", `more than ${MAX_GROUP_ACTION} alerts in this group: narrow the filter first`);
  const count = chunks.reduce((n, c) => n + c.length, 0);
  if (count !== shown)
    throw new AppError(
      "conflict",
      `the group now holds ${count} alert(s), not the ${shown} shown: nothing changed, reload and try again`,
    );
  const total: AlertChangeResult = { updated: [], unchanged: [], conflicts: [], blocked: [] };
  for (const items of chunks) {
    const r =
      op.kind === "assign"
        ? await assignAlerts(actor, items, op.assigneeId)
        : op.kind === "close"
          ? await setAlertsStatus(actor, items, "closed", { closeReason: op.closeReason, verdictNote: op.verdictNote })
          : await setAlertsStatus(actor, items, op.kind === "acknowledge" ? "acknowledged" : "open");
    total.updated.push(...r.updated);
    total.unchanged.push(...r.unchanged);
    total.conflicts.push(...r.conflicts);
    total.blocked.push(...r.blocked);
  }
  return total;
}
