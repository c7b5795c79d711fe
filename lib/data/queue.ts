import "server-only";
import { z } from "zod";
import { AppError } from "@/lib/app-error";
import { assertCan, type Actor } from "@/lib/auth/permissions";
import { setAlertsStatus } from "@/lib/data/alert-status";
import { appendAudit } from "@/lib/data/audit";
import { getUserNames, listAssignableUsers } from "@/lib/data/users";
import { getDb } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";

/**
 * The lead's queue: alerts not closed (unassigned first), workload per person (open +
 * acknowledged alerts assigned to them), and ageing — time since the alert was raised and since
 * the last thing anyone did to it (its latest audit entry; the creation when none).
 */
export const queueFilterSchema = z.object({
  view: z.enum(["unassigned", "all"]).catch("unassigned"),
  assignee: z.string().max(100).optional(),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
  /** age: oldest raised first; severity and risk: highest first by default */
  sort: z.enum(["age", "severity", "risk"]).catch("age"),
  dir: z.enum(["asc", "desc"]).optional().catch(undefined),
});
export type QueueFilter = z.infer<typeof queueFilterSchema>;
/** what getQueue takes: the sort may be left out (oldest first) */
type QueueQuery = Omit<QueueFilter, "sort"> & { sort?: QueueFilter["sort"] };

const QUEUE_LIMIT = 200;

/** Severity by rank, not alphabetically (Kibana's four levels; anything else below low). */
const SEVERITY_RANK = Prisma.sql`CASE severity WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 WHEN 'low' THEN 1 ELSE 0 END`;

/** The direction a sort starts in: the oldest alerts first, the most severe or riskiest first. */
export function defaultQueueDir(sort: QueueFilter["sort"]): "asc" | "desc" {
  return sort === "age" ? "asc" : "desc";
}

/** One page of the queue's alert ids in the chosen order; ties oldest first, then by id. */
async function pageQueueIds(filter: QueueQuery, limit: number): Promise<string[]> {
  const sort = filter.sort ?? "age";
  const dir = Prisma.raw((filter.dir ?? defaultQueueDir(sort)) === "asc" ? "ASC" : "DESC");
  const key =
    sort === "severity"
      ? Prisma.sql`${SEVERITY_RANK} ${dir}, risk_score ${dir},`
      : sort === "risk"
        ? Prisma.sql`risk_score ${dir}, ${SEVERITY_RANK} ${dir},`
        : Prisma.empty;
  const createdDir = sort === "age" ? dir : Prisma.raw("ASC");
  const who =
    filter.view === "unassigned"
      ? Prisma.sql`AND assignee_id IS NULL`
      : filter.assignee
        ? Prisma.sql`AND assignee_id = ${filter.assignee}`
        : Prisma.empty;
  const rows = await getDb().prisma.$queryRaw<{ id: string }[]>`
    SELECT id FROM alert WHERE status IN ('open', 'acknowledged') ${who}
    ORDER BY ${key} created_at ${createdDir}, id ${createdDir}
    LIMIT ${limit} OFFSET ${(filter.page - 1) * limit}`;
  return rows.map((r) => r.id);
}

export async function getQueue(actor: Actor, filter: QueueQuery, now = new Date(), limit = QUEUE_LIMIT) {
  assertCan(actor, "alerts:assign");
  const { prisma } = getDb();
  const where = {
    status: { in: ["open", "acknowledged"] },
    ...(filter.view === "unassigned" ? { assigneeId: null } : filter.assignee ? { assigneeId: filter.assignee } : {}),
  };
  const ids = await pageQueueIds(filter, limit);
  const [unordered, total, unassignedTotal, workloadRows, people] = await Promise.all([
    prisma.alert.findMany({
      where: { id: { in: ids } },
      select: {
        id: true,
        version: true,
        status: true,
        severity: true,
        riskScore: true,
        hostName: true,
        consumerName: true,
        consumerType: true,
        assigneeId: true,
        caseId: true,
        createdAt: true,
        eventTimestamp: true,
      },
    }),
    prisma.alert.count({ where }),
    prisma.alert.count({ where: { status: { in: ["open", "acknowledged"] }, assigneeId: null } }),
    prisma.alert.groupBy({
      by: ["assigneeId", "status"],
      where: { status: { in: ["open", "acknowledged"] } },
      _count: { _all: true },
      _min: { createdAt: true },
    }),
    listAssignableUsers(),
  ]);
  const position = new Map(ids.map((id, i) => [id, i]));
  const alerts = unordered.sort((a, b) => position.get(a.id)! - position.get(b.id)!);
  const lastActions = alerts.length
    ? await prisma.auditLog.groupBy({
        by: ["entityId"],
        where: { entityType: "alert", entityId: { in: alerts.map((a) => a.id) } },
        _max: { at: true },
      })
    : [];
  const lastAt = new Map(lastActions.map((l) => [l.entityId, l._max.at]));
  const names = new Map(people.map((p) => [p.id, p.name]));
  const workload = new Map<
    string,
    { userId: string; name: string; role: string | null; open: number; acknowledged: number; oldest: Date | null }
  >();
  for (const p of people)
    workload.set(p.id, { userId: p.id, name: p.name, role: p.role, open: 0, acknowledged: 0, oldest: null });
  // the Unassigned row counts like a person's: open, acknowledged, oldest
  const unassigned = { open: 0, acknowledged: 0, oldest: null as Date | null };
  for (const row of workloadRows) {
    if (row.assigneeId === null) {
      if (row.status === "open") unassigned.open += row._count._all;
      else unassigned.acknowledged += row._count._all;
      const min = row._min.createdAt;
      if (min && (!unassigned.oldest || min < unassigned.oldest)) unassigned.oldest = min;
      continue;
    }
    const id = row.assigneeId;
    const w = workload.get(id) ?? {
      userId: id,
      name: names.get(id) ?? id,
      role: null,
      open: 0,
      acknowledged: 0,
      oldest: null,
    };
    if (row.status === "open") w.open += row._count._all;
    else w.acknowledged += row._count._all;
    const min = row._min.createdAt;
    if (min && (!w.oldest || min < w.oldest)) w.oldest = min;
    workload.set(id, w);
  }
  return {
    total,
    unassignedTotal,
    unassigned: {
      open: unassigned.open,
      acknowledged: unassigned.acknowledged,
      total: unassigned.open + unassigned.acknowledged,
      oldestAgeMs: unassigned.oldest ? now.getTime() - unassigned.oldest.getTime() : null,
    },
    limit,
    page: filter.page,
    pageCount: Math.max(1, Math.ceil(total / limit)),
    alerts: alerts.map((a) => {
      const last = lastAt.get(a.id) ?? a.createdAt;
      return {
        ...a,
        assigneeName: a.assigneeId ? (names.get(a.assigneeId) ?? a.assigneeId) : null,
        ageMs: now.getTime() - a.createdAt.getTime(),
        lastActionAt: last,
        idleMs: now.getTime() - last.getTime(),
      };
    }),
    workload: [...workload.values()]
      .map((w) => ({
        ...w,
        total: w.open + w.acknowledged,
        oldestAgeMs: w.oldest ? now.getTime() - w.oldest.getTime() : null,
      }))
      .sort((a, b) => b.total - a.total || a.name.localeCompare(b.name)),
    people,
  };
}
export type QueueView = Awaited<ReturnType<typeof getQueue>>;

/** "3 d 4 h", "5 h 12 min", "8 min": how long, at a glance. */
export function formatAge(ms: number): string {
  const min = Math.floor(ms / 60000);
  if (min < 60) return `${Math.max(0, min)} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return `${h} h ${min % 60} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

/**
 * The QA queue: a sample of alerts closed as false positive for a lead to review. The sample is
 * random but stable for the day (ordered by a hash of id and date), so a refresh does not
 * reshuffle what a reviewer is working through.
 */
export async function getQaSample(actor: Actor, size: number) {
  assertCan(actor, "alerts:assign");
  const { prisma } = getDb();
  const picked = await prisma.$queryRaw<{ id: string }[]>`
    SELECT id FROM alert
    WHERE status = 'closed' AND close_reason = 'false_positive'
    ORDER BY md5(id || current_date::text)
    LIMIT ${size}`;
  const [rows, population] = await Promise.all([
    prisma.alert.findMany({
      where: { id: { in: picked.map((p) => p.id) } },
      select: {
        id: true,
        version: true,
        hostName: true,
        consumerName: true,
        consumerType: true,
        command: true,
        verdictNote: true,
        statusChangedBy: true,
        statusChangedAt: true,
        eventTimestamp: true,
      },
    }),
    prisma.alert.count({ where: { status: "closed", closeReason: "false_positive" } }),
  ]);
  const order = new Map(picked.map((p, i) => [p.id, i]));
  const names = await getUserNames(rows.map((r) => r.statusChangedBy));
  return {
    population,
    alerts: rows
      .sort((a, b) => order.get(a.id)! - order.get(b.id)!)
      .map((r) => ({
        ...r,
        closedByName: r.statusChangedBy ? (names.get(r.statusChangedBy) ?? r.statusChangedBy) : null,
      })),
  };
}

export const qaReopenSchema = z.object({
  id: z.string().min(1).max(100),
  version: z.number().int().min(1),
  comment: z.string().trim().min(1, "say why it is reopened").max(5000),
});

/** A lead disagrees with a false-positive closure: reopen the alert and leave the reason on it. */
export async function reopenFromQa(actor: Actor, input: z.input<typeof qaReopenSchema>) {
  assertCan(actor, "alerts:assign");
  const { id, version, comment } = qaReopenSchema.parse(input);
  const result = await setAlertsStatus(actor, [{ id, version }], "open");
  const problem = [...result.conflicts, ...result.blocked][0];
  if (problem) throw new AppError("conflict", problem.message);
  await getDb().prisma.$transaction(async (tx) => {
    const row = await tx.comment.create({
      data: { alertId: id, authorId: actor.id, body: comment },
      select: { id: true },
    });
    await appendAudit(tx, {
      actorId: actor.id,
      action: "alert.qa-reopen",
      entityType: "alert",
      entityId: id,
      after: { commentId: row.id, comment },
    });
  });
  return result;
}
