import "server-only";
import { assertCan, type Actor } from "@/lib/auth/permissions";
import { getDb } from "@/lib/db/client";
import { getAckSlaSetting } from "@/lib/data/settings";
import { getUserNames } from "@/lib/data/users";
import { verdictLabel } from "@/lib/format/labels";
import { CURRENT_RULE } from "@/lib/rule/rules";

/** One alert's acknowledgement and closure as the audit log has them. */
interface AlertTimes {
  id: string;
  created_at: Date;
  ack_at: Date | null;
  ack_by: string | null;
  ack_assignee: string | null;
  closed_at: Date | null;
  closed_by: string | null;
  close_assignee: string | null;
}

export interface AnalystMetrics {
  userId: string;
  name: string;
  /** alerts credited to them that were acknowledged (or closed directly), and the mean time to that */
  acknowledged: number;
  mttaMs: number | null;
  /** of those, acknowledged later than the team's target */
  lateAcks: number;
  /** alerts credited to them that are closed now, and the mean time from raised to closed */
  closed: number;
  mttrMs: number | null;
  /** alerts they closed themselves (also others' alerts, e.g. by closing a case) */
  closedByThem: number;
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

/**
 * Per analyst, from the audit log: an acknowledgement and a closure are credited to the alert's
 * assignee at that moment (the one who did the work: closing a case closes its alerts, and each
 * counts for its own assignee), or to whoever made the change when the alert had no assignee.
 * Who closed is counted apart (`closedByThem`).
 */
export function creditAnalysts(rows: AlertTimes[], slaMs: number, names: Map<string, string>): AnalystMetrics[] {
  const acc = new Map<string, { ack: number[]; late: number; res: number[]; closedByThem: number }>();
  const of = (id: string) => {
    let a = acc.get(id);
    if (!a) acc.set(id, (a = { ack: [], late: 0, res: [], closedByThem: 0 }));
    return a;
  };
  for (const r of rows) {
    const ackWho = r.ack_assignee ?? r.ack_by;
    if (r.ack_at && ackWho) {
      const ms = r.ack_at.getTime() - r.created_at.getTime();
      of(ackWho).ack.push(ms);
      if (ms > slaMs) of(ackWho).late++;
    }
    const closeWho = r.close_assignee ?? r.closed_by;
    if (r.closed_at && closeWho) of(closeWho).res.push(r.closed_at.getTime() - r.created_at.getTime());
    if (r.closed_at && r.closed_by) of(r.closed_by).closedByThem++;
  }
  return [...acc.entries()]
    .map(([userId, a]) => ({
      userId,
      name: names.get(userId) ?? userId,
      acknowledged: a.ack.length,
      mttaMs: mean(a.ack),
      lateAcks: a.late,
      closed: a.res.length,
      mttrMs: mean(a.res),
      closedByThem: a.closedByThem,
    }))
    .sort((a, b) => b.closed - a.closed || b.acknowledged - a.acknowledged || a.name.localeCompare(b.name));
}

/**
 * Each alert raised since `since`: its first acknowledgement (the first audit entry that moved
 * it out of `open`: acknowledged, or closed directly) and, for alerts closed now, its last
 * closure, each with who made it and the assignee at that moment (the latest `alert.assign`
 * entry before it).
 */
async function listAlertTimes(since: Date): Promise<AlertTimes[]> {
  return getDb().prisma.$queryRaw<AlertTimes[]>`
    WITH a AS (SELECT id, created_at, status FROM alert WHERE created_at >= ${since}),
    ack AS (
      SELECT DISTINCT ON (l.entity_id) l.entity_id, l.at, l.actor_id
      FROM audit_log l JOIN a ON a.id = l.entity_id
      WHERE l.entity_type = 'alert' AND l.after->>'status' IN ('acknowledged', 'closed')
      ORDER BY l.entity_id, l.at, l.id
    ),
    cl AS (
      SELECT DISTINCT ON (l.entity_id) l.entity_id, l.at, l.actor_id
      FROM audit_log l JOIN a ON a.id = l.entity_id
      WHERE a.status = 'closed' AND l.entity_type = 'alert' AND l.action = 'alert.close'
      ORDER BY l.entity_id, l.at DESC, l.id DESC
    )
    SELECT a.id, a.created_at,
      ack.at AS ack_at, ack.actor_id AS ack_by,
      (SELECT l.after->>'assigneeId' FROM audit_log l
        WHERE l.entity_type = 'alert' AND l.entity_id = a.id AND l.action = 'alert.assign' AND l.at <= ack.at
        ORDER BY l.at DESC, l.id DESC LIMIT 1) AS ack_assignee,
      cl.at AS closed_at, cl.actor_id AS closed_by,
      (SELECT l.after->>'assigneeId' FROM audit_log l
        WHERE l.entity_type = 'alert' AND l.entity_id = a.id AND l.action = 'alert.assign' AND l.at <= cl.at
        ORDER BY l.at DESC, l.id DESC LIMIT 1) AS close_assignee
    FROM a LEFT JOIN ack ON ack.entity_id = a.id LEFT JOIN cl ON cl.entity_id = a.id`;
}

/**
 * Team metrics over alerts raised in the last `days` days. Definitions (shown on the page):
 * - MTTA: alert raised → first audit entry that moved it out of `open` (acknowledged or closed).
 * - MTTR: alert raised → closed (the last `alert.close` entry of alerts closed now).
 * - SLA: acknowledgements later than the lead-set target (`ackSlaMinutes`), and alerts still
 *   open past it.
 * - False-positive rate: closed as false_positive / all closed.
 * - Per analyst: MTTA, MTTR and closures credited to the assignee (creditAnalysts).
 * - Time per step: for each alert, the gap between a step being marked done and the previous
 *   done step of that alert (the first step: from the alert's first audit entry, i.e. when
 *   someone started working on it), averaged per guide step.
 */
export async function getMetrics(actor: Actor, days = 30, now = new Date()) {
  assertCan(actor, "metrics:read");
  const { prisma } = getDb();
  const since = new Date(now.getTime() - days * 86_400_000);
  const sla = await getAckSlaSetting();
  const slaMs = sla.value * 60_000;
  const [perDay, totals, times, verdicts, openPastSla, stepTimes] = await Promise.all([
    prisma.$queryRaw<{ day: Date; raised: number; closed: number }[]>`
      WITH d AS (SELECT generate_series(date_trunc('day', ${since}::timestamptz), date_trunc('day', now()), interval '1 day') AS day)
      SELECT d.day,
        (SELECT count(*)::int FROM alert a WHERE a.created_at >= d.day AND a.created_at < d.day + interval '1 day') AS raised,
        (SELECT count(*)::int FROM alert a WHERE a.status = 'closed' AND a.status_changed_at >= d.day AND a.status_changed_at < d.day + interval '1 day') AS closed
      FROM d ORDER BY d.day`,
    prisma.$queryRaw<{ raised: number; closed: number; fp: number; open: number; acknowledged: number }[]>`
      SELECT count(*)::int AS raised,
        count(*) FILTER (WHERE status = 'closed')::int AS closed,
        count(*) FILTER (WHERE status = 'closed' AND close_reason = 'false_positive')::int AS fp,
        count(*) FILTER (WHERE status = 'open')::int AS open,
        count(*) FILTER (WHERE status = 'acknowledged')::int AS acknowledged
      FROM alert WHERE created_at >= ${since}`,
    listAlertTimes(since),
    prisma.$queryRaw<{ verdict: string; n: number }[]>`
      SELECT coalesce(verdict, close_reason, 'none') AS verdict, count(*)::int AS n FROM alert
      WHERE status = 'closed' AND created_at >= ${since} GROUP BY 1 ORDER BY 2 DESC`,
    prisma.alert.count({
      where: { createdAt: { gte: since, lt: new Date(now.getTime() - slaMs) }, status: "open" },
    }),
    prisma.$queryRaw<{ step_key: string; avg_ms: number; n: number }[]>`
      WITH s AS (
        SELECT st.alert_id, st.step_key, st.updated_at,
          lag(st.updated_at) OVER (PARTITION BY st.alert_id ORDER BY st.updated_at) AS prev_at
        FROM alert_step st JOIN alert a ON a.id = st.alert_id
        WHERE st.done AND a.created_at >= ${since}
      ), started AS (
        SELECT entity_id AS alert_id, min(at) AS at FROM audit_log WHERE entity_type = 'alert' GROUP BY entity_id
      )
      SELECT s.step_key, avg(extract(epoch FROM s.updated_at - coalesce(s.prev_at, started.at, a.created_at)) * 1000)::float8 AS avg_ms, count(*)::int AS n
      FROM s JOIN alert a ON a.id = s.alert_id LEFT JOIN started ON started.alert_id = s.alert_id
      GROUP BY s.step_key`,
  ]);
  const t = totals[0];
  const acks = times.filter((r) => r.ack_at).map((r) => r.ack_at!.getTime() - r.created_at.getTime());
  const resolutions = times.filter((r) => r.closed_at).map((r) => r.closed_at!.getTime() - r.created_at.getTime());
  const people = [...new Set(times.flatMap((r) => [r.ack_by, r.ack_assignee, r.closed_by, r.close_assignee]))];
  const analysts = creditAnalysts(times, slaMs, await getUserNames(people));
  const labels = new Map(
    [...CURRENT_RULE.guide.investigation, ...CURRENT_RULE.guide.falsePositives, ...CURRENT_RULE.guide.response].map(
      (s) => [s.id, s.label],
    ),
  );
  const order = [...labels.keys()];
  return {
    days,
    since,
    totals: {
      raised: t?.raised ?? 0,
      closed: t?.closed ?? 0,
      open: t?.open ?? 0,
      acknowledged: t?.acknowledged ?? 0,
      falsePositives: t?.fp ?? 0,
      falsePositiveRate: t && t.closed > 0 ? t.fp / t.closed : null,
      mttrMs: mean(resolutions),
      mttaMs: mean(acks),
      acknowledgedCount: acks.length,
    },
    sla: {
      minutes: sla.value,
      isDefault: sla.isDefault,
      updatedBy: sla.updatedBy,
      updatedAt: sla.updatedAt,
      lateAcks: acks.filter((ms) => ms > slaMs).length,
      openPastTarget: openPastSla,
    },
    analysts,
    perDay: perDay.map((d) => ({ day: d.day.toISOString().slice(0, 10), raised: d.raised, closed: d.closed })),
    verdicts: verdicts.map((v) => ({
      verdict: v.verdict,
      label: v.verdict === "none" ? "No verdict" : verdictLabel(v.verdict),
      count: v.n,
    })),
    stepTimes: stepTimes
      .map((s) => ({
        stepKey: s.step_key,
        label: labels.get(s.step_key) ?? s.step_key,
        avgMinutes: Math.max(0, s.avg_ms) / 60000,
        count: s.n,
      }))
      .sort((a, b) => order.indexOf(a.stepKey) - order.indexOf(b.stepKey)),
  };
}
export type Metrics = Awaited<ReturnType<typeof getMetrics>>;

export { formatDuration } from "@/lib/format/duration";
