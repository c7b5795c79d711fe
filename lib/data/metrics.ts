import "server-only";
import { assertCan, type Actor } from "@/lib/auth/permissions";
import { getDb } from "@/lib/db/client";
import { CURRENT_RULE } from "@/lib/rule/rules";

/**
 * Team metrics over alerts raised in the last `days` days. Definitions (shown on the page):
 * - MTTA: alert raised → first audit entry that moved it out of `open` (acknowledged or closed).
 * - MTTR: alert raised → closed (`status_changed_at` of alerts now closed).
 * - False-positive rate: closed as false_positive / all closed.
 * - Throughput: alerts closed per person (who closed them).
 * - Time per step: for each alert, the gap between a step being marked done and the previous
 *   done step of that alert (the first step: from the alert's first audit entry, i.e. when
 *   someone started working on it), averaged per guide step.
 */
export async function getMetrics(actor: Actor, days = 30) {
  assertCan(actor, "metrics:read");
  const { prisma } = getDb();
  const since = new Date(Date.now() - days * 86_400_000);
  const [perDay, totals, mtta, verdicts, throughput, stepTimes] = await Promise.all([
    prisma.$queryRaw<{ day: Date; raised: number; closed: number }[]>`
      WITH d AS (SELECT generate_series(date_trunc('day', ${since}::timestamptz), date_trunc('day', now()), interval '1 day') AS day)
      SELECT d.day,
        (SELECT count(*)::int FROM alert a WHERE a.created_at >= d.day AND a.created_at < d.day + interval '1 day') AS raised,
        (SELECT count(*)::int FROM alert a WHERE a.status = 'closed' AND a.status_changed_at >= d.day AND a.status_changed_at < d.day + interval '1 day') AS closed
      FROM d ORDER BY d.day`,
    prisma.$queryRaw<
      { raised: number; closed: number; fp: number; open: number; acknowledged: number; mttr_ms: number | null }[]
    >`
      SELECT count(*)::int AS raised,
        count(*) FILTER (WHERE status = 'closed')::int AS closed,
        count(*) FILTER (WHERE status = 'closed' AND close_reason = 'false_positive')::int AS fp,
        count(*) FILTER (WHERE status = 'open')::int AS open,
        count(*) FILTER (WHERE status = 'acknowledged')::int AS acknowledged,
        (avg(extract(epoch FROM status_changed_at - created_at) * 1000) FILTER (WHERE status = 'closed'))::float8 AS mttr_ms
      FROM alert WHERE created_at >= ${since}`,
    prisma.$queryRaw<{ mtta_ms: number | null; n: number }[]>`
      SELECT avg(extract(epoch FROM f.first_at - a.created_at) * 1000)::float8 AS mtta_ms, count(*)::int AS n
      FROM alert a
      JOIN LATERAL (
        SELECT min(l.at) AS first_at FROM audit_log l
        WHERE l.entity_type = 'alert' AND l.entity_id = a.id AND l.after->>'status' IN ('acknowledged', 'closed')
      ) f ON f.first_at IS NOT NULL
      WHERE a.created_at >= ${since}`,
    prisma.$queryRaw<{ verdict: string; n: number }[]>`
      SELECT coalesce(verdict, close_reason, 'none') AS verdict, count(*)::int AS n FROM alert
      WHERE status = 'closed' AND created_at >= ${since} GROUP BY 1 ORDER BY 2 DESC`,
    prisma.$queryRaw<{ user_id: string | null; name: string | null; closed: number; mttr_ms: number | null }[]>`
      SELECT a.status_changed_by AS user_id, u.name, count(*)::int AS closed,
        avg(extract(epoch FROM a.status_changed_at - a.created_at) * 1000)::float8 AS mttr_ms
      FROM alert a LEFT JOIN "user" u ON u.id = a.status_changed_by
      WHERE a.status = 'closed' AND a.created_at >= ${since}
      GROUP BY 1, 2 ORDER BY 3 DESC`,
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
      mttrMs: t?.mttr_ms ?? null,
      mttaMs: mtta[0]?.mtta_ms ?? null,
      acknowledgedCount: mtta[0]?.n ?? 0,
    },
    perDay: perDay.map((d) => ({ day: d.day.toISOString().slice(0, 10), raised: d.raised, closed: d.closed })),
    verdicts: verdicts.map((v) => ({ verdict: v.verdict, count: v.n })),
    throughput: throughput.map((r) => ({
      name: r.name ?? r.user_id ?? "unknown",
      closed: r.closed,
      mttrHours: r.mttr_ms === null ? null : r.mttr_ms / 3_600_000,
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
