import "server-only";
import { AppError } from "@/lib/app-error";
import { assertCan, type Actor } from "@/lib/auth/permissions";
import { setAlertsStatus, type AlertChangeResult } from "@/lib/data/alert-status";
import { appendAudit } from "@/lib/data/audit";
import { getDb } from "@/lib/db/client";
import { evaluateQuery } from "@/lib/eql/evaluate";
import { parseEql } from "@/lib/eql/parser";
import { compileToSql } from "@/lib/eql/to-sql";
import {
  compileConditions,
  exceptionStatus,
  parseStoredConditions,
  type ExceptionCondition,
  type ExceptionStatus,
} from "@/lib/exceptions/conditions";
import type { CloseOnSaveReason, ExceptionInput } from "@/lib/exceptions/input";
import { buildKibanaExport, parseKibanaExport, type ImportError } from "@/lib/exceptions/kibana";
import { suggestConditions, suggestName, type SuggestedCondition } from "@/lib/exceptions/prefill";
import type { Prisma } from "@/lib/generated/prisma/client";
import { CURRENT_RULE, type GuideStep } from "@/lib/rule/rules";
import type { EventFilterStep } from "@/lib/detection/run";

/**
 * Rule exceptions: list, create (from scratch or from an alert), edit, disable, delete, import
 * and export in Kibana's format, the what-if count before saving, and the filter step detection
 * runs apply. Every change is audited in its transaction; edits carry the `updatedAt` the editor
 * loaded and fail with a conflict if someone saved in between.
 */

const exceptionSelect = {
  id: true,
  ruleId: true,
  name: true,
  comment: true,
  conditions: true,
  enabled: true,
  expiresAt: true,
  hits: true,
  lastHitAt: true,
  itemId: true,
  createdBy: true,
  createdAt: true,
  updatedAt: true,
} as const satisfies Prisma.RuleExceptionSelect;

type ExceptionRow = Prisma.RuleExceptionGetPayload<{ select: typeof exceptionSelect }>;

export interface ExceptionView {
  id: string;
  name: string;
  comment: string;
  conditions: ExceptionCondition[];
  enabled: boolean;
  expiresAt: Date | null;
  status: ExceptionStatus;
  hits: number;
  lastHitAt: Date | null;
  itemId: string | null;
  author: { id: string; name: string } | null;
  createdAt: Date;
  updatedAt: Date;
}

async function userNames(ids: (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => !!id))];
  if (wanted.length === 0) return new Map();
  const users = await getDb().prisma.user.findMany({ where: { id: { in: wanted } }, select: { id: true, name: true } });
  return new Map(users.map((u) => [u.id, u.name]));
}

function toView(row: ExceptionRow, names: Map<string, string>, now: Date): ExceptionView {
  return {
    id: row.id,
    name: row.name,
    comment: row.comment,
    conditions: parseStoredConditions(row.conditions),
    enabled: row.enabled,
    expiresAt: row.expiresAt,
    status: exceptionStatus(row, now),
    hits: row.hits,
    lastHitAt: row.lastHitAt,
    itemId: row.itemId,
    author: row.createdBy ? { id: row.createdBy, name: names.get(row.createdBy) ?? row.createdBy } : null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

const isUuid = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);

export async function listExceptions(
  _user: Actor,
  filter: { status?: ExceptionStatus } = {},
): Promise<ExceptionView[]> {
  const rows = await getDb().prisma.ruleException.findMany({
    where: { ruleId: CURRENT_RULE.ruleId },
    orderBy: [{ createdAt: "desc" }],
    select: exceptionSelect,
  });
  const names = await userNames(rows.map((r) => r.createdBy));
  const now = new Date();
  const views = rows.map((r) => toView(r, names, now));
  return filter.status ? views.filter((v) => v.status === filter.status) : views;
}

export async function getException(_user: Actor, id: string): Promise<ExceptionView | null> {
  if (!isUuid(id)) return null;
  const row = await getDb().prisma.ruleException.findFirst({
    where: { id, ruleId: CURRENT_RULE.ruleId },
    select: exceptionSelect,
  });
  if (!row) return null;
  return toView(row, await userNames([row.createdBy]), new Date());
}

const auditShape = (e: {
  name: string;
  comment: string;
  conditions: unknown;
  enabled: boolean;
  expiresAt: Date | null;
  itemId?: string | null;
}) => ({
  name: e.name,
  comment: e.comment,
  conditions: e.conditions,
  enabled: e.enabled,
  expiresAt: e.expiresAt,
  itemId: e.itemId ?? null,
});

export async function createException(user: Actor, input: ExceptionInput): Promise<{ id: string; updatedAt: Date }> {
  assertCan(user, "exceptions:write");
  const { prisma } = getDb();
  return prisma.$transaction(async (tx) => {
    const created = await tx.ruleException.create({
      data: {
        ruleId: CURRENT_RULE.ruleId,
        name: input.name,
        comment: input.comment,
        conditions: input.conditions as unknown as Prisma.InputJsonValue,
        enabled: input.enabled,
        expiresAt: input.expiresAt,
        createdBy: user.id,
      },
      select: { id: true, updatedAt: true },
    });
    await appendAudit(tx, {
      actorId: user.id,
      action: "exception.create",
      entityType: "exception",
      entityId: created.id,
      after: auditShape(input),
    });
    return created;
  });
}

/** Who changed it last, for the conflict message. */
async function lastChange(tx: Prisma.TransactionClient, id: string): Promise<string> {
  const entry = await tx.auditLog.findFirst({
    where: { entityType: "exception", entityId: id },
    orderBy: { at: "desc" },
    select: { actorId: true, at: true },
  });
  if (!entry) return "someone else";
  const actor = entry.actorId
    ? await tx.user.findUnique({ where: { id: entry.actorId }, select: { name: true } })
    : null;
  return `${actor?.name ?? entry.actorId ?? "someone else"} at ${entry.at.toISOString()}`;
}

async function loadForChange(
  tx: Prisma.TransactionClient,
  id: string,
  expectedUpdatedAt: Date | null,
): Promise<ExceptionRow> {
  if (!isUuid(id)) throw new AppError("not_found", "no such exception");
  const row = await tx.ruleException.findFirst({ where: { id, ruleId: CURRENT_RULE.ruleId }, select: exceptionSelect });
  if (!row) throw new AppError("not_found", "this exception no longer exists (deleted by someone else?); reload");
  if (expectedUpdatedAt && row.updatedAt.getTime() !== expectedUpdatedAt.getTime()) {
    throw new AppError("conflict", `this exception was changed by ${await lastChange(tx, id)}; reload`);
  }
  return row;
}

/** Optimistic update: only if the row still has the `updatedAt` the editor loaded. */
async function guardedUpdate(
  tx: Prisma.TransactionClient,
  row: ExceptionRow,
  data: Prisma.RuleExceptionUpdateManyMutationInput,
): Promise<Date> {
  const updatedAt = new Date(Math.max(Date.now(), row.updatedAt.getTime() + 1));
  const result = await tx.ruleException.updateMany({
    where: { id: row.id, updatedAt: row.updatedAt },
    data: { ...data, updatedAt },
  });
  if (result.count !== 1)
    throw new AppError("conflict", `this exception was changed by ${await lastChange(tx, row.id)}; reload`);
  return updatedAt;
}

export async function updateException(
  user: Actor,
  id: string,
  input: ExceptionInput,
  expectedUpdatedAt: Date,
): Promise<{ id: string; updatedAt: Date }> {
  assertCan(user, "exceptions:write");
  return getDb().prisma.$transaction(async (tx) => {
    const row = await loadForChange(tx, id, expectedUpdatedAt);
    const updatedAt = await guardedUpdate(tx, row, {
      name: input.name,
      comment: input.comment,
      conditions: input.conditions as unknown as Prisma.InputJsonValue,
      enabled: input.enabled,
      expiresAt: input.expiresAt,
    });
    await appendAudit(tx, {
      actorId: user.id,
      action: "exception.update",
      entityType: "exception",
      entityId: id,
      before: auditShape(row),
      after: auditShape(input),
    });
    return { id, updatedAt };
  });
}

export async function setExceptionEnabled(
  user: Actor,
  id: string,
  enabled: boolean,
  expectedUpdatedAt: Date | null,
): Promise<{ id: string; updatedAt: Date }> {
  assertCan(user, "exceptions:write");
  return getDb().prisma.$transaction(async (tx) => {
    const row = await loadForChange(tx, id, expectedUpdatedAt);
    const updatedAt = await guardedUpdate(tx, row, { enabled });
    await appendAudit(tx, {
      actorId: user.id,
      action: enabled ? "exception.enable" : "exception.disable",
      entityType: "exception",
      entityId: id,
      before: { enabled: row.enabled },
      after: { enabled },
    });
    return { id, updatedAt };
  });
}

/** Deletes the exception; the audit log keeps its last state. */
export async function deleteException(user: Actor, id: string, expectedUpdatedAt: Date | null): Promise<void> {
  assertCan(user, "exceptions:write");
  await getDb().prisma.$transaction(async (tx) => {
    const row = await loadForChange(tx, id, expectedUpdatedAt);
    const deleted = await tx.ruleException.deleteMany({ where: { id, updatedAt: row.updatedAt } });
    if (deleted.count !== 1)
      throw new AppError("conflict", `this exception was changed by ${await lastChange(tx, id)}; reload`);
    await appendAudit(tx, {
      actorId: user.id,
      action: "exception.delete",
      entityType: "exception",
      entityId: id,
      before: { ...auditShape(row), hits: row.hits, lastHitAt: row.lastHitAt },
    });
  });
}

// ---------------------------------------------------------------- Kibana import / export

export interface ImportSummary {
  created: { id: string; itemId: string; name: string }[];
  updated: { id: string; itemId: string; name: string }[];
  errors: ImportError[];
  listName: string | null;
}

/** Imports a Kibana exception-list export: items upsert by `item_id`; bad lines are reported, good ones kept. */
export async function importExceptions(user: Actor, text: string): Promise<ImportSummary> {
  assertCan(user, "exceptions:write");
  const parsed = parseKibanaExport(text);
  const summary: ImportSummary = {
    created: [],
    updated: [],
    errors: [...parsed.errors],
    listName: parsed.list?.name ?? null,
  };
  if (parsed.items.length === 0) {
    if (summary.errors.length === 0) summary.errors.push({ line: 0, message: "the file holds no exception items" });
    return summary;
  }
  await getDb().prisma.$transaction(async (tx) => {
    for (const item of parsed.items) {
      const existing = await tx.ruleException.findUnique({ where: { itemId: item.itemId }, select: exceptionSelect });
      if (existing && existing.ruleId !== CURRENT_RULE.ruleId) {
        summary.errors.push({
          line: item.line,
          itemId: item.itemId,
          message: "this item_id belongs to another rule's exception",
        });
        continue;
      }
      const data = {
        name: item.name,
        comment: item.comment,
        conditions: item.conditions as unknown as Prisma.InputJsonValue,
        enabled: item.enabled,
        expiresAt: item.expiresAt,
      };
      if (existing) {
        await tx.ruleException.update({ where: { id: existing.id }, data });
        await appendAudit(tx, {
          actorId: user.id,
          action: "exception.import",
          entityType: "exception",
          entityId: existing.id,
          before: auditShape(existing),
          after: { ...auditShape({ ...item, itemId: item.itemId }), kibanaDropped: item.dropped },
        });
        summary.updated.push({ id: existing.id, itemId: item.itemId, name: item.name });
      } else {
        const created = await tx.ruleException.create({
          data: { ...data, ruleId: CURRENT_RULE.ruleId, itemId: item.itemId, createdBy: user.id },
          select: { id: true },
        });
        await appendAudit(tx, {
          actorId: user.id,
          action: "exception.import",
          entityType: "exception",
          entityId: created.id,
          after: { ...auditShape({ ...item, itemId: item.itemId }), kibanaDropped: item.dropped },
        });
        summary.created.push({ id: created.id, itemId: item.itemId, name: item.name });
      }
    }
  });
  summary.errors.sort((a, b) => a.line - b.line);
  return summary;
}

export async function exportExceptions(_user: Actor): Promise<string> {
  const rows = await getDb().prisma.ruleException.findMany({
    where: { ruleId: CURRENT_RULE.ruleId },
    orderBy: { createdAt: "asc" },
    select: exceptionSelect,
  });
  return buildKibanaExport(
    rows.map((r) => ({
      id: r.id,
      itemId: r.itemId ?? "",
      name: r.name,
      comment: r.comment,
      conditions: parseStoredConditions(r.conditions),
      enabled: r.enabled,
      expiresAt: r.expiresAt,
    })),
  );
}

// ---------------------------------------------------------------- draft from an alert

export interface ExceptionDraft {
  name: string;
  comment: string;
  suggestions: SuggestedCondition[];
  alert: {
    id: string;
    hostName: string | null;
    consumerName: string | null;
    command: string | null;
    status: string;
  } | null;
  fp: GuideStep | null;
  missing: string[];
}

/** The pre-filled form for `/exceptions/new?alert=…&fp=…`. */
export async function getExceptionDraft(
  _user: Actor,
  from: { alertId?: string | null; fpStepId?: string | null },
): Promise<ExceptionDraft> {
  const missing: string[] = [];
  const fp = from.fpStepId ? (CURRENT_RULE.guide.falsePositives.find((s) => s.id === from.fpStepId) ?? null) : null;
  if (from.fpStepId && !fp) missing.push(`false-positive item ${from.fpStepId} is not in the rule's guide`);
  let alert: ExceptionDraft["alert"] = null;
  let suggestions: SuggestedCondition[] = [];
  if (from.alertId) {
    const row = await getDb().prisma.alert.findUnique({
      where: { id: from.alertId },
      select: {
        id: true,
        hostName: true,
        consumerName: true,
        command: true,
        status: true,
        event: { select: { doc: true } },
      },
    });
    if (!row) missing.push(`alert ${from.alertId} does not exist`);
    else {
      alert = {
        id: row.id,
        hostName: row.hostName,
        consumerName: row.consumerName,
        command: row.command,
        status: row.status,
      };
      suggestions = suggestConditions(row.event.doc as Record<string, unknown>, { command: row.command });
    }
  }
  const comment = [fp ? `False positive: ${fp.label} (${fp.id}).` : "", alert ? `Created from alert ${alert.id}.` : ""]
    .filter(Boolean)
    .join(" ");
  return {
    name:
      alert || fp
        ? suggestName({ fpLabel: fp?.label, consumerName: alert?.consumerName, hostName: alert?.hostName })
        : "",
    comment,
    suggestions,
    alert,
    fp,
    missing,
  };
}

// ---------------------------------------------------------------- what-if

export const WHAT_IF_EVENT_LIMIT = 20_000;
export const WHAT_IF_ALERT_LIMIT = 5_000;
const WHAT_IF_LIST_LIMIT = 50;

export interface WhatIfAlert {
  id: string;
  status: string;
  verdict: string | null;
  closeReason: string | null;
  hostName: string | null;
  consumerName: string | null;
  eventTimestamp: Date;
  truePositive: boolean;
}

export interface WhatIfResult {
  eventsScanned: number;
  eventsMatched: number;
  eventsTruncated: boolean;
  alertsScanned: number;
  alertsMatched: number;
  alertsTruncated: boolean;
  truePositives: number;
  byStatus: Record<string, number>;
  /** closed alerts by "closeReason / verdict" */
  byOutcome: Record<string, number>;
  alerts: WhatIfAlert[];
}

const TRUE_POSITIVE = "true_positive";
const isTruePositive = (a: { verdict: string | null; closeReason: string | null }) =>
  a.verdict === TRUE_POSITIVE || a.closeReason === TRUE_POSITIVE;

/**
 * SQL pre-filter for positive, case-sensitive conditions: a lax jsonpath unwraps arrays on the
 * way like Elasticsearch flattens them, and non-string leaves are let through for the matcher
 * (it compares numbers by their text). Always a superset of what the matcher accepts.
 */
function conditionPrefilter(conditions: ExceptionCondition[], params: unknown[]): string[] {
  const parts: string[] = [];
  for (const c of conditions) {
    if (!c.caseSensitive && c.operator !== "exists") continue;
    const path = `lax $${c.field
      .split(".")
      .map((k) => `."${k}"`)
      .join("")}`;
    if (c.operator === "exists") {
      params.push(`${path} ? (@ != null)`);
      parts.push(`jsonb_path_exists(e."doc", ($${params.length})::jsonpath)`);
    } else if (c.operator === "is" || c.operator === "is_one_of") {
      const values = c.operator === "is" ? [c.value ?? ""] : (c.values ?? []);
      params.push(`${path} ? (@.type() != "string" || ${values.map((_, i) => `@ == $v${i}`).join(" || ")})`);
      params.push(JSON.stringify(Object.fromEntries(values.map((v, i) => [`v${i}`, v]))));
      parts.push(`jsonb_path_exists(e."doc", ($${params.length - 1})::jsonpath, ($${params.length})::jsonb)`);
    }
  }
  return parts;
}

let ruleQuery: ReturnType<typeof parseEql> | null = null;

/** What the draft would have hidden among stored events and alerts (bounded scans, newest first). */
export async function whatIfException(_user: Actor, conditions: ExceptionCondition[]): Promise<WhatIfResult> {
  const matcher = compileConditions(conditions);
  const rule = CURRENT_RULE;
  ruleQuery ??= parseEql(rule.query);
  const query = ruleQuery;
  const { pool } = getDb();
  const client = await pool.connect();
  try {
    // events the rule matches (the SQL is exact or a superset; the evaluator decides)
    const params: unknown[] = [];
    const pre = conditionPrefilter(conditions, params);
    const compiled = compileToSql(query, { column: `e."doc"`, paramOffset: params.length });
    const where = [`(${compiled.sql})`, ...pre].join(" AND ");
    const events = await client.query<{ id: string; doc: Record<string, unknown> }>(
      `SELECT e."id"::text AS id, e."doc" FROM "event" e WHERE ${where} ORDER BY e."timestamp" DESC, e."id" DESC LIMIT ${WHAT_IF_EVENT_LIMIT + 1}`,
      [...params, ...compiled.params],
    );
    const eventsTruncated = events.rows.length > WHAT_IF_EVENT_LIMIT;
    let eventsScanned = 0;
    let eventsMatched = 0;
    for (const row of events.rows.slice(0, WHAT_IF_EVENT_LIMIT)) {
      if (!evaluateQuery(query, row.doc).matched) continue;
      eventsScanned++;
      if (matcher(row.doc)) eventsMatched++;
    }

    const alertParams: unknown[] = [rule.ruleId];
    const alertPre = conditionPrefilter(conditions, alertParams);
    const alerts = await client.query<{
      id: string;
      status: string;
      verdict: string | null;
      close_reason: string | null;
      host_name: string | null;
      consumer_name: string | null;
      event_timestamp: Date;
      doc: Record<string, unknown>;
    }>(
      `SELECT a."id", a."status", a."verdict", a."close_reason", a."host_name", a."consumer_name", a."event_timestamp", e."doc"
         FROM "alert" a JOIN "event" e ON e."id" = a."event_id"
        WHERE a."rule_id" = $1 ${alertPre.map((p) => `AND ${p}`).join(" ")}
        ORDER BY a."event_timestamp" DESC, a."id" LIMIT ${WHAT_IF_ALERT_LIMIT + 1}`,
      alertParams,
    );
    const alertsTruncated = alerts.rows.length > WHAT_IF_ALERT_LIMIT;
    const totalAlerts = await client.query<{ n: string }>(`SELECT count(*) AS n FROM "alert" WHERE "rule_id" = $1`, [
      rule.ruleId,
    ]);
    const result: WhatIfResult = {
      eventsScanned,
      eventsMatched,
      eventsTruncated,
      alertsScanned: Number(totalAlerts.rows[0].n),
      alertsMatched: 0,
      alertsTruncated,
      truePositives: 0,
      byStatus: {},
      byOutcome: {},
      alerts: [],
    };
    const matched: WhatIfAlert[] = [];
    for (const row of alerts.rows.slice(0, WHAT_IF_ALERT_LIMIT)) {
      if (!matcher(row.doc)) continue;
      const a: WhatIfAlert = {
        id: row.id,
        status: row.status,
        verdict: row.verdict,
        closeReason: row.close_reason,
        hostName: row.host_name,
        consumerName: row.consumer_name,
        eventTimestamp: row.event_timestamp,
        truePositive: isTruePositive({ verdict: row.verdict, closeReason: row.close_reason }),
      };
      matched.push(a);
      result.byStatus[a.status] = (result.byStatus[a.status] ?? 0) + 1;
      if (a.status === "closed") {
        const key = `${a.closeReason ?? "no reason"} / ${a.verdict ?? "no verdict"}`;
        result.byOutcome[key] = (result.byOutcome[key] ?? 0) + 1;
      }
      if (a.truePositive) result.truePositives++;
    }
    result.alertsMatched = matched.length;
    // true positives first: they are what an analyst must not hide
    result.alerts = [...matched.filter((a) => a.truePositive), ...matched.filter((a) => !a.truePositive)].slice(
      0,
      WHAT_IF_LIST_LIMIT,
    );
    return result;
  } finally {
    client.release();
  }
}

/** Open/acknowledged alerts of the rule the exception matches (for "close matching alerts on save"). */
export async function listOpenAlertsMatching(
  _user: Actor,
  conditions: ExceptionCondition[],
): Promise<{ id: string; version: number }[]> {
  const matcher = compileConditions(conditions);
  const rows = await getDb().prisma.alert.findMany({
    where: { ruleId: CURRENT_RULE.ruleId, status: { in: ["open", "acknowledged"] } },
    orderBy: { eventTimestamp: "desc" },
    take: WHAT_IF_ALERT_LIMIT,
    select: { id: true, version: true, event: { select: { doc: true } } },
  });
  return rows
    .filter((r) => matcher(r.event.doc as Record<string, unknown>))
    .map((r) => ({ id: r.id, version: r.version }));
}

/**
 * Closes the open and acknowledged alerts the exception matches, through the alert workflow
 * (version-checked, audited per alert; alerts missing mandatory steps come back as blocked).
 */
export async function closeAlertsMatchingException(
  user: Actor,
  exceptionId: string,
  closeReason: CloseOnSaveReason,
): Promise<AlertChangeResult & { matched: number }> {
  assertCan(user, "exceptions:write");
  const exception = await getException(user, exceptionId);
  if (!exception) throw new AppError("not_found", "no such exception");
  const items = await listOpenAlertsMatching(user, exception.conditions);
  if (items.length === 0) return { updated: [], unchanged: [], conflicts: [], blocked: [], matched: 0 };
  const result: AlertChangeResult = { updated: [], unchanged: [], conflicts: [], blocked: [] };
  for (let i = 0; i < items.length; i += 500) {
    const part = await setAlertsStatus(user, items.slice(i, i + 500), "closed", {
      closeReason,
      verdict: closeReason,
      verdictNote: `closed by exception "${exception.name}"`,
    });
    for (const key of ["updated", "unchanged", "conflicts", "blocked"] as const)
      (result[key] as unknown[]).push(...part[key]);
  }
  return { ...result, matched: items.length };
}

// ---------------------------------------------------------------- detection runs

/**
 * The filter step a detection run applies: the rule's exceptions active at `at` (enabled, not
 * expired), ANDed conditions per exception, any exception suppresses. Hits are counted for every
 * exception that matches and written once by `recordHits` at the end of the run.
 */
export async function loadExceptionFilter(
  ruleId: string,
  at: Date,
): Promise<{ step: EventFilterStep; count: number; recordHits(): Promise<void> }> {
  const rows = await getDb().prisma.ruleException.findMany({
    where: { ruleId, enabled: true, OR: [{ expiresAt: null }, { expiresAt: { gt: at } }] },
    select: { id: true, conditions: true },
  });
  const compiled = rows.flatMap((r) => {
    try {
      return [{ id: r.id, match: compileConditions(parseStoredConditions(r.conditions)), hits: 0 }];
    } catch {
      return []; // a row that fails validation never suppresses anything
    }
  });
  return {
    count: compiled.length,
    step: {
      name: "rule exceptions",
      suppresses(doc) {
        let hit = false;
        for (const e of compiled) {
          if (e.match(doc)) {
            e.hits++;
            hit = true;
          }
        }
        return hit;
      },
    },
    async recordHits() {
      const { prisma } = getDb();
      for (const e of compiled) {
        if (e.hits === 0) continue;
        // raw on purpose: a hit is not an edit, so `updated_at` (the editors' version check) stays
        await prisma.$executeRaw`UPDATE "rule_exception" SET "hits" = "hits" + ${e.hits}, "last_hit_at" = ${at} WHERE "id" = ${e.id}::uuid`;
      }
    },
  };
}
