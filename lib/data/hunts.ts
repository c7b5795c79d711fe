import "server-only";
import { z } from "zod";
import { AppError } from "@/lib/app-error";
import { assertCan, type Actor } from "@/lib/auth/permissions";
import { appendAudit } from "@/lib/data/audit";
import { getUserNames } from "@/lib/data/users";
import { getDb } from "@/lib/db/client";
import { hostIdentity } from "@/lib/ecs/host-identity";
import { parseEqlStatement } from "@/lib/eql/parser";
import { EqlSyntaxError } from "@/lib/eql/syntax-error";
import { UnsupportedRegexError } from "@/lib/eql/lucene-regex";
import { sortRows, toCsv, toNdjson, type SortSpec } from "@/lib/hunt/table";
import type { HuntHit, HuntResult, HuntSequenceHit } from "@/lib/hunt/result";

/** Bounds of every hunt: the worker stops at whichever comes first (README "Hunt"). */
export const HUNT_LIMITS = { defaultRows: 500, maxRows: 1000, timeLimitMs: 30_000 } as const;
export const HUNT_PAGE_SIZE = 50;
export const SEQUENCE_PAGE_SIZE = 20;

export const huntInputSchema = z
  .object({
    query: z.string().trim().min(1, "type an EQL query").max(20_000, "the query is longer than 20,000 characters"),
    from: z.coerce.date({ error: "choose when the time range starts" }),
    to: z.coerce.date({ error: "choose when the time range ends" }),
    host: z
      .string()
      .trim()
      .max(255)
      .optional()
      .transform((h) => (h ? h : undefined)),
    rowLimit: z.coerce.number().int().min(1).max(HUNT_LIMITS.maxRows).default(HUNT_LIMITS.defaultRows),
  })
  .refine((v) => v.from < v.to, { message: "the time range must end after it starts", path: ["to"] });
export type HuntInput = z.output<typeof huntInputSchema>;

export interface QueryProblem {
  message: string;
  /** 0-based offset into the query, when the problem has a position */
  offset: number | null;
  line: number | null;
  column: number | null;
}

/** Parse without running: the syntax error (or unsupported construct) at its position, or null. */
export function checkHuntQuery(query: string): QueryProblem | null {
  try {
    parseEqlStatement(query);
    return null;
  } catch (error) {
    if (error instanceof EqlSyntaxError)
      return { message: error.message, offset: error.offset, line: error.line, column: error.column };
    if (error instanceof UnsupportedRegexError)
      return { message: error.message, offset: null, line: null, column: null };
    throw error;
  }
}

/** A query that does not parse; the action's `Failure` carries the problem as `details` (the caret). */
export class HuntQueryError extends AppError {
  constructor(readonly problem: QueryProblem) {
    super("bad_request", problem.message, problem);
  }
}

/** `input` as `huntInputSchema` parsed it (the action validates). */
export async function createHuntRun(actor: Actor, input: HuntInput): Promise<{ id: string }> {
  assertCan(actor, "hunt:run");
  const problem = checkHuntQuery(input.query);
  if (problem) throw new HuntQueryError(problem);
  const row = await getDb().prisma.huntRun.create({
    data: {
      ownerId: actor.id,
      query: input.query,
      rangeStart: input.from,
      rangeEnd: input.to,
      hostKey: hostIdentity(input.host),
      rowLimit: input.rowLimit,
      timeLimitMs: HUNT_LIMITS.timeLimitMs,
    },
    select: { id: true },
  });
  return row;
}

export interface HuntEventRow {
  eventId: string;
  doc: Record<string, unknown>;
  hit: HuntHit;
}

export interface HuntRunView {
  id: string;
  query: string;
  rangeStart: Date;
  rangeEnd: Date;
  hostKey: string | null;
  status: string;
  scanned: number;
  hitCount: number;
  rowLimit: number;
  truncated: boolean;
  error: string | null;
  createdAt: Date;
  finishedAt: Date | null;
  kind: "events" | "sequence" | null;
  /** the current page of event hits, sorted */
  rows: HuntEventRow[];
  /** the current page of sequences, with each stage's document */
  sequences: (HuntSequenceHit & { docs: (Record<string, unknown> | null)[] })[];
  page: number;
  pages: number;
}

/** The first and last stored event times: the hunt's default range ("all stored events"). */
export async function getStoredEventRange(actor: Actor): Promise<{ first: Date; last: Date } | null> {
  assertCan(actor, "hunt:run");
  const r = await getDb().prisma.event.aggregate({ _min: { timestamp: true }, _max: { timestamp: true } });
  return r._min.timestamp && r._max.timestamp ? { first: r._min.timestamp, last: r._max.timestamp } : null;
}

async function loadDocs(ids: string[]): Promise<Map<string, Record<string, unknown>>> {
  if (ids.length === 0) return new Map();
  const rows = await getDb().prisma.event.findMany({
    where: { id: { in: ids.map((i) => BigInt(i)) } },
    select: { id: true, doc: true },
  });
  return new Map(rows.map((r) => [r.id.toString(), r.doc as Record<string, unknown>]));
}

async function ownRun(actor: Actor, id: string) {
  assertCan(actor, "hunt:run");
  if (!z.uuid().safeParse(id).success) throw new AppError("not_found", "no such hunt");
  const run = await getDb().prisma.huntRun.findUnique({ where: { id } });
  // a hunt is its owner's: another hunter's run is as absent as an unknown one
  if (!run || run.ownerId !== actor.id) throw new AppError("not_found", "no such hunt");
  return run;
}

export async function getHuntRun(
  actor: Actor,
  id: string,
  opts: { page?: number; sort?: SortSpec } = {},
): Promise<HuntRunView> {
  const run = await ownRun(actor, id);
  const result = run.result as HuntResult | null;
  const view: HuntRunView = {
    id: run.id,
    query: run.query,
    rangeStart: run.rangeStart,
    rangeEnd: run.rangeEnd,
    hostKey: run.hostKey,
    status: run.status,
    scanned: run.scanned,
    hitCount: run.hitCount,
    rowLimit: run.rowLimit,
    truncated: run.truncated,
    error: run.error,
    createdAt: run.createdAt,
    finishedAt: run.finishedAt,
    kind: result?.kind ?? null,
    rows: [],
    sequences: [],
    page: 1,
    pages: 1,
  };
  if (!result) return view;
  if (result.kind === "events") {
    const docs = await loadDocs(result.hits.map((h) => h.eventId));
    const all = result.hits.map((hit) => ({ eventId: hit.eventId, doc: docs.get(hit.eventId) ?? {}, hit }));
    const sorted = opts.sort ? sortRows(all, (r) => r.doc, opts.sort) : all;
    view.pages = Math.max(1, Math.ceil(sorted.length / HUNT_PAGE_SIZE));
    view.page = Math.min(Math.max(1, opts.page ?? 1), view.pages);
    view.rows = sorted.slice((view.page - 1) * HUNT_PAGE_SIZE, view.page * HUNT_PAGE_SIZE);
  } else {
    view.pages = Math.max(1, Math.ceil(result.sequences.length / SEQUENCE_PAGE_SIZE));
    view.page = Math.min(Math.max(1, opts.page ?? 1), view.pages);
    const pageSeqs = result.sequences.slice((view.page - 1) * SEQUENCE_PAGE_SIZE, view.page * SEQUENCE_PAGE_SIZE);
    const docs = await loadDocs(pageSeqs.flatMap((s) => s.events.flatMap((e) => (e ? [e.eventId] : []))));
    view.sequences = pageSeqs.map((s) => ({
      ...s,
      docs: s.events.map((e) => (e ? (docs.get(e.eventId) ?? {}) : null)),
    }));
  }
  return view;
}

export async function cancelHuntRun(actor: Actor, id: string): Promise<void> {
  await ownRun(actor, id);
  const { prisma } = getDb();
  await prisma.huntRun.updateMany({
    where: { id, status: "queued" },
    data: { status: "cancelled", finishedAt: new Date() },
  });
  await prisma.huntRun.updateMany({ where: { id, status: "running" }, data: { status: "cancelling" } });
}

/** Every hit of a finished hunt as NDJSON (stored documents) or CSV (the chosen columns). */
export async function exportHuntRun(
  actor: Actor,
  id: string,
  format: "ndjson" | "csv",
  columns: string[],
): Promise<string> {
  const run = await ownRun(actor, id);
  const result = run.result as HuntResult | null;
  if (!result) throw new AppError("conflict", "the hunt has no results yet");
  const ids =
    result.kind === "events"
      ? result.hits.map((h) => h.eventId)
      : result.sequences.flatMap((s) => s.events.flatMap((e) => (e ? [e.eventId] : [])));
  const docs = await loadDocs(ids);
  const ordered = ids.map((i) => docs.get(i) ?? {});
  return format === "csv" ? toCsv(columns, ordered) : toNdjson(ordered);
}

// ---------------------------------------------------------------- saved queries

export const savedHuntSchema = z.object({
  name: z.string().trim().min(1, "give the query a name").max(120, "the name is longer than 120 characters"),
  query: z.string().trim().min(1, "type an EQL query").max(20_000),
  shared: z.boolean().default(false),
});

export async function saveHunt(actor: Actor, input: z.output<typeof savedHuntSchema>): Promise<{ id: string }> {
  assertCan(actor, "hunt:run");
  const problem = checkHuntQuery(input.query);
  if (problem) throw new HuntQueryError(problem);
  return getDb().prisma.savedHunt.upsert({
    where: { ownerId_name: { ownerId: actor.id, name: input.name } },
    create: { ownerId: actor.id, name: input.name, query: input.query, shared: input.shared },
    update: { query: input.query, shared: input.shared },
    select: { id: true },
  });
}

export interface SavedHuntRow {
  id: string;
  name: string;
  query: string;
  shared: boolean;
  ownerName: string | null;
  mine: boolean;
}

/** The hunter's own queries and every shared one. */
export async function listSavedHunts(actor: Actor): Promise<SavedHuntRow[]> {
  assertCan(actor, "hunt:run");
  const { prisma } = getDb();
  const rows = await prisma.savedHunt.findMany({
    where: { OR: [{ ownerId: actor.id }, { shared: true }] },
    orderBy: [{ name: "asc" }],
    take: 200,
  });
  const names = await getUserNames(rows.map((r) => r.ownerId));
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    query: r.query,
    shared: r.shared,
    ownerName: names.get(r.ownerId) ?? null,
    mine: r.ownerId === actor.id,
  }));
}

export async function deleteSavedHunt(actor: Actor, id: string): Promise<void> {
  assertCan(actor, "hunt:run");
  const deleted = await getDb().prisma.savedHunt.deleteMany({ where: { id, ownerId: actor.id } });
  if (deleted.count === 0) throw new AppError("not_found", "no such saved query of yours");
}

// ---------------------------------------------------------------- evidence pins

export const pinSchema = z
  .object({
    eventId: z.string().regex(/^\d+$/, "no such event"),
    alertId: z.string().trim().min(1).optional(),
    caseNumber: z.coerce.number().int().positive().optional(),
    query: z.string().max(20_000),
    note: z.string().trim().max(2000).default(""),
  })
  .refine((v) => (v.alertId ? 1 : 0) + (v.caseNumber ? 1 : 0) === 1, {
    message: "pin to one alert or one case",
  });

/** Pin a hunted event as evidence to an alert (needs alerts:triage) or a case (needs cases:write). */
export async function pinHuntHit(
  actor: Actor,
  input: z.output<typeof pinSchema>,
): Promise<{ id: string; target: string }> {
  assertCan(actor, "hunt:run");
  assertCan(actor, input.alertId ? "alerts:triage" : "cases:write");
  const { prisma } = getDb();
  const event = await prisma.event.findUnique({ where: { id: BigInt(input.eventId) }, select: { id: true } });
  if (!event) throw new AppError("not_found", "no such event");
  let alertId: string | null = null;
  let caseId: string | null = null;
  let target: string;
  if (input.alertId) {
    const alert = await prisma.alert.findUnique({ where: { id: input.alertId }, select: { id: true } });
    if (!alert) throw new AppError("not_found", `no alert ${input.alertId}`);
    alertId = alert.id;
    target = `alert ${alert.id.slice(0, 8)}`;
  } else {
    const found = await prisma.case.findUnique({ where: { number: input.caseNumber }, select: { id: true } });
    if (!found) throw new AppError("not_found", `no case #${input.caseNumber}`);
    caseId = found.id;
    target = `case #${input.caseNumber}`;
  }
  const pin = await prisma.$transaction(async (tx) => {
    const created = await tx.huntPin.create({
      data: { eventId: event.id, alertId, caseId, query: input.query, note: input.note, pinnedBy: actor.id },
      select: { id: true },
    });
    await appendAudit(tx, {
      actorId: actor.id,
      action: "hunt.pin",
      entityType: alertId ? "alert" : "case",
      entityId: (alertId ?? caseId)!,
      after: { eventId: input.eventId, query: input.query, note: input.note },
    });
    return created;
  });
  return { id: pin.id, target };
}

export interface HuntPinRow {
  id: string;
  eventId: string;
  query: string;
  note: string;
  pinnedBy: string | null;
  createdAt: Date;
  timestamp: Date | null;
  summary: string;
}

/** The events pinned to an alert or a case, newest first. */
export async function listHuntPins(actor: Actor, target: { alertId?: string; caseId?: string }): Promise<HuntPinRow[]> {
  assertCan(actor, target.alertId ? "alerts:read" : "cases:read");
  const { prisma } = getDb();
  const pins = await prisma.huntPin.findMany({
    where: target.alertId ? { alertId: target.alertId } : { caseId: target.caseId },
    orderBy: { createdAt: "desc" },
    take: 200,
  });
  const events = await prisma.event.findMany({
    where: { id: { in: pins.map((p) => p.eventId) } },
    select: { id: true, timestamp: true, hostName: true, eventCode: true, dataset: true },
  });
  const byId = new Map(events.map((e) => [e.id.toString(), e]));
  const names = await getUserNames(pins.map((p) => p.pinnedBy));
  return pins.map((p) => {
    const e = byId.get(p.eventId.toString());
    return {
      id: p.id,
      eventId: p.eventId.toString(),
      query: p.query,
      note: p.note,
      pinnedBy: names.get(p.pinnedBy) ?? null,
      createdAt: p.createdAt,
      timestamp: e?.timestamp ?? null,
      summary: e ? `${e.hostName ?? "?"} · ${e.dataset ?? "?"} ${e.eventCode ?? ""}`.trim() : "event no longer stored",
    };
  });
}
