import "server-only";
import { assertCan, can, type Actor } from "@/lib/auth/permissions";
import { getDb } from "@/lib/db/client";
import { parseInterval, resolveFrom } from "@/lib/detection/schedule";
import type { Prisma } from "@/lib/generated/prisma/client";
import { CURRENT_RULE, type RuleDefinition } from "@/lib/rule/rules";
import { getLastDisabledPeriod, isRuleEnabled, type DisabledPeriod } from "@/lib/data/rule-state";
import { getUserNames } from "@/lib/data/users";

/**
 * The Rule page: the rule's definition, its on/off state, the run history (every run, whatever
 * started it, with its numbers, truncation warning and error) and backfills with their progress.
 * Run now, enable/disable and backfills are lib/services/rule-service.ts.
 */

export const RUNS_PAGE_SIZE = 20;
/** the backfills shown with their progress on the Rule page */
const RECENT_BACKFILLS = 5;

export interface RuleSummary {
  ruleId: string;
  name: string;
  description: string;
  version: number;
  severity: RuleDefinition["severity"];
  riskScore: number;
  interval: string;
  from: string;
  /** `from` minus the interval: Kibana's "additional look-back time" */
  additionalLookBack: string;
  maxSignals: number;
  timestampOverride: string | null;
  index: string[];
  tags: string[];
  author: string[];
  license: string;
  references: string[];
  threat: RuleDefinition["threat"];
  query: string;
}

export interface RuleRunView {
  id: string;
  kind: string;
  status: string;
  windowStart: Date;
  windowEnd: Date;
  startedAt: Date;
  /** null while running */
  durationMs: number | null;
  eventsScanned: number;
  matches: number;
  alertsCreated: number;
  suppressed: number;
  truncated: boolean;
  warnings: string[];
  error: string | null;
  requestedBy: string | null;
  backfillId: string | null;
  /** matches that already had an alert (an earlier run or overlapping window alerted them) */
  alreadyAlerted: number;
  /** a backfill's row: its windows, newest first, folded inside it */
  windows?: RuleRunView[];
}

export interface BackfillView {
  id: string;
  rangeStart: Date;
  rangeEnd: Date;
  capped: boolean;
  status: string;
  windowsTotal: number;
  windowsDone: number;
  alertsCreated: number;
  error: string | null;
  requestedBy: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}

export interface RuleOverview {
  rule: RuleSummary;
  enabled: boolean;
  /** the last disabled period: shown while disabled; after it, a backfill over what it stored is offered */
  disabledPeriod: DisabledPeriod | null;
  canRun: boolean;
  runs: { rows: RuleRunView[]; total: number; page: number; pageCount: number };
  backfills: BackfillView[];
}

function formatDuration(ms: number): string {
  const units: [number, string][] = [
    [86_400_000, "d"],
    [3_600_000, "h"],
    [60_000, "m"],
    [1000, "s"],
  ];
  for (const [size, unit] of units) if (ms % size === 0) return `${ms / size}${unit}`;
  return `${ms}ms`;
}

export function summarizeRule(rule: RuleDefinition = CURRENT_RULE): RuleSummary {
  const now = new Date();
  const lookBackMs = now.getTime() - resolveFrom(rule.from, now).getTime();
  const extra = lookBackMs - parseInterval(rule.interval);
  return {
    ruleId: rule.ruleId,
    name: rule.name,
    description: rule.description,
    version: rule.version,
    severity: rule.severity,
    riskScore: rule.riskScore,
    interval: rule.interval,
    from: rule.from,
    additionalLookBack: extra > 0 ? formatDuration(extra) : "none",
    maxSignals: rule.maxSignals,
    timestampOverride: rule.timestampOverride ?? null,
    index: [...rule.index],
    tags: [...rule.tags],
    author: [...rule.author],
    license: rule.license,
    references: [...rule.references],
    threat: rule.threat,
    query: rule.query,
  };
}

const runSelect = {
  id: true,
  kind: true,
  status: true,
  windowStart: true,
  windowEnd: true,
  startedAt: true,
  finishedAt: true,
  eventsScanned: true,
  matches: true,
  alertsCreated: true,
  suppressed: true,
  truncated: true,
  warnings: true,
  error: true,
  requestedBy: true,
  backfillId: true,
} as const satisfies Prisma.RuleRunSelect;

const backfillSelect = {
  id: true,
  rangeStart: true,
  rangeEnd: true,
  capped: true,
  status: true,
  windowsTotal: true,
  windowsDone: true,
  alertsCreated: true,
  error: true,
  requestedBy: true,
  createdAt: true,
  finishedAt: true,
} as const satisfies Prisma.BackfillSelect;

const warningList = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((w): w is string => typeof w === "string") : [];

/**
 * Matches a run kept (all, or up to max_signals when it was truncated) that made no new alert:
 * alert ids derive from rule + event, so an event alerted before is not alerted again.
 */
export function alreadyAlertedOf(
  r: { status: string; matches: number; alertsCreated: number; truncated: boolean },
  maxSignals = CURRENT_RULE.maxSignals,
): number {
  if (r.status !== "succeeded") return 0;
  const kept = r.truncated ? Math.min(r.matches, maxSignals) : r.matches;
  return Math.max(0, kept - r.alertsCreated);
}

type RunRow = Prisma.RuleRunGetPayload<{ select: typeof runSelect }>;

function toRunView(r: RunRow, names: Map<string, string>): RuleRunView {
  return {
    id: r.id,
    kind: r.kind,
    status: r.status,
    windowStart: r.windowStart,
    windowEnd: r.windowEnd,
    startedAt: r.startedAt,
    durationMs: r.finishedAt ? r.finishedAt.getTime() - r.startedAt.getTime() : null,
    eventsScanned: r.eventsScanned,
    matches: r.matches,
    alertsCreated: r.alertsCreated,
    suppressed: r.suppressed,
    truncated: r.truncated,
    warnings: warningList(r.warnings),
    error: r.error,
    requestedBy: r.requestedBy ? (names.get(r.requestedBy) ?? r.requestedBy) : null,
    backfillId: r.backfillId,
    alreadyAlerted: alreadyAlertedOf(r),
  };
}

/** A backfill's windows as one row: its whole range, the sums, and the worst status. */
function foldBackfill(windows: RuleRunView[]): RuleRunView {
  const first = windows.reduce((a, b) => (b.startedAt < a.startedAt ? b : a));
  const sum = (f: (w: RuleRunView) => number) => windows.reduce((n, w) => n + f(w), 0);
  const running = windows.some((w) => w.durationMs === null);
  const finished = Math.max(...windows.map((w) => w.startedAt.getTime() + (w.durationMs ?? 0)));
  return {
    ...first,
    id: `backfill-${first.backfillId}`,
    status: windows.some((w) => w.status === "failed") ? "failed" : running ? "running" : "succeeded",
    windowStart: new Date(Math.min(...windows.map((w) => w.windowStart.getTime()))),
    windowEnd: new Date(Math.max(...windows.map((w) => w.windowEnd.getTime()))),
    durationMs: running ? null : finished - first.startedAt.getTime(),
    eventsScanned: sum((w) => w.eventsScanned),
    matches: sum((w) => w.matches),
    alertsCreated: sum((w) => w.alertsCreated),
    suppressed: sum((w) => w.suppressed),
    alreadyAlerted: sum((w) => w.alreadyAlerted),
    truncated: windows.some((w) => w.truncated),
    warnings: [...new Set(windows.flatMap((w) => w.warnings))],
    error: windows.find((w) => w.error)?.error ?? null,
    windows: [...windows].sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime()),
  };
}

/**
 * Run history, newest first: each run that is not part of a backfill, and each backfill as one
 * row with its windows inside. `page` is 1-based and clamped to the last page.
 */
export async function listRuleRuns(
  actor: Actor,
  opts: { page?: number; pageSize?: number; ruleId?: string } = {},
): Promise<RuleOverview["runs"]> {
  assertCan(actor, "rule:read");
  const { prisma } = getDb();
  const pageSize = opts.pageSize ?? RUNS_PAGE_SIZE;
  const ruleId = opts.ruleId ?? CURRENT_RULE.ruleId;
  const [{ n: total }] = await prisma.$queryRaw<{ n: number }[]>`
    SELECT (count(*) FILTER (WHERE backfill_id IS NULL) + count(DISTINCT backfill_id))::int AS n
    FROM rule_run WHERE rule_id = ${ruleId}`;
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(Math.max(1, Math.floor(opts.page ?? 1)), pageCount);
  const entries = await prisma.$queryRaw<{ run_id: string | null; backfill_id: string | null }[]>`
    SELECT run_id, backfill_id FROM (
      SELECT id::text AS run_id, NULL::text AS backfill_id, started_at, id::text AS tie
        FROM rule_run WHERE rule_id = ${ruleId} AND backfill_id IS NULL
      UNION ALL
      SELECT NULL, backfill_id::text, max(started_at), backfill_id::text
        FROM rule_run WHERE rule_id = ${ruleId} AND backfill_id IS NOT NULL GROUP BY backfill_id
    ) e ORDER BY started_at DESC, tie DESC
    LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`;
  const runIds = entries.flatMap((e) => (e.run_id ? [e.run_id] : []));
  const backfillIds = entries.flatMap((e) => (e.backfill_id ? [e.backfill_id] : []));
  const rows = await prisma.ruleRun.findMany({
    where: { OR: [{ id: { in: runIds } }, { backfillId: { in: backfillIds } }] },
    select: runSelect,
  });
  const names = await getUserNames(rows.map((r) => r.requestedBy));
  const views = rows.map((r) => toRunView(r, names));
  const byId = new Map(views.map((v) => [v.id, v]));
  return {
    rows: entries.flatMap((e) => {
      // a run removed between the two reads (retention) is left out rather than shown empty
      if (e.run_id) return byId.has(e.run_id) ? [byId.get(e.run_id)!] : [];
      const windows = views.filter((v) => v.backfillId === e.backfill_id);
      return windows.length ? [foldBackfill(windows)] : [];
    }),
    total,
    page,
    pageCount,
  };
}

export async function listBackfills(
  actor: Actor,
  opts: { limit?: number; ruleId?: string } = {},
): Promise<BackfillView[]> {
  assertCan(actor, "rule:read");
  const rows = await getDb().prisma.backfill.findMany({
    where: { ruleId: opts.ruleId ?? CURRENT_RULE.ruleId },
    orderBy: { createdAt: "desc" },
    take: opts.limit ?? RECENT_BACKFILLS,
    select: backfillSelect,
  });
  const names = await getUserNames(rows.map((r) => r.requestedBy));
  return rows.map((r) => ({ ...r, requestedBy: r.requestedBy ? (names.get(r.requestedBy) ?? r.requestedBy) : null }));
}

export async function getBackfill(actor: Actor, id: string): Promise<BackfillView | null> {
  assertCan(actor, "rule:read");
  const row = await getDb().prisma.backfill.findUnique({ where: { id }, select: backfillSelect });
  if (!row) return null;
  const names = await getUserNames([row.requestedBy]);
  return { ...row, requestedBy: row.requestedBy ? (names.get(row.requestedBy) ?? row.requestedBy) : null };
}

/** Everything the Rule page shows. */
export async function getRuleOverview(actor: Actor, opts: { page?: number } = {}): Promise<RuleOverview> {
  assertCan(actor, "rule:read");
  const enabled = await isRuleEnabled();
  const disabledPeriod = await getLastDisabledPeriod();
  const runs = await listRuleRuns(actor, { page: opts.page });
  const backfills = await listBackfills(actor);
  return { rule: summarizeRule(), enabled, disabledPeriod, canRun: can(actor.role, "rule:run"), runs, backfills };
}
