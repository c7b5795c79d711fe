import "server-only";
import { AppError } from "@/lib/app-error";
import { assertCan, type Actor } from "@/lib/auth/permissions";
import { appendAudit, type AuditEntry } from "@/lib/data/audit";
import { getDb } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import type { Prisma } from "@/lib/generated/prisma/client";
import { openSecret, sealSecret } from "@/lib/sources/secret-box";
import type { SourceInput } from "@/lib/sources/source-input";
import { formatTime } from "@/lib/format/time";

/**
 * Event sources (Elasticsearch/OpenSearch clusters polled for the rule's indices). Configured by
 * admins only: every user-facing function checks `tokens:manage`, the permission only admins
 * hold (lib/auth/permissions.ts), because a source holds cluster credentials. Secrets are sealed
 * with AES-256-GCM (lib/sources/secret-box.ts) and never leave this module except to the poller.
 */
type Tx = Prisma.TransactionClient;

const SOURCE_ENTITY: AuditEntry["entityType"] = "source";

export function appSecret(): string {
  const secret = getEnv().BETTER_AUTH_SECRET;
  if (!secret)
    throw new AppError("unavailable", "BETTER_AUTH_SECRET is not set: secrets of event sources cannot be encrypted");
  return secret;
}

const publicSelect = {
  id: true,
  name: true,
  url: true,
  authType: true,
  username: true,
  secretEnc: true,
  caCert: true,
  tlsVerify: true,
  indexPatterns: true,
  mode: true,
  enabled: true,
  pollIntervalSec: true,
  checkpoint: true,
  health: true,
  lastError: true,
  lastPolledAt: true,
  lastSuccessAt: true,
  documentsTaken: true,
  createdAt: true,
  updatedAt: true,
} satisfies Prisma.EventSourceSelect;

type SourceRow = Prisma.EventSourceGetPayload<{ select: typeof publicSelect }>;

/** A source as the admin page sees it: the secret is only "set" or not. */
export interface SourceView {
  id: string;
  name: string;
  url: string;
  authType: string;
  username: string | null;
  secretSet: boolean;
  caCert: string | null;
  tlsVerify: boolean;
  indexPatterns: string[];
  mode: string;
  enabled: boolean;
  pollIntervalSec: number;
  checkpoint: Date | null;
  health: string;
  lastError: string | null;
  lastPolledAt: Date | null;
  lastSuccessAt: Date | null;
  documentsTaken: number;
  createdAt: Date;
  updatedAt: Date;
}

function toView(row: SourceRow): SourceView {
  const { secretEnc, documentsTaken, ...rest } = row;
  return { ...rest, secretSet: secretEnc !== null, documentsTaken: Number(documentsTaken) };
}

/** What the audit log keeps of a source: its settings, never the secret. */
function auditShape(
  row: Omit<
    SourceRow,
    | "checkpoint"
    | "health"
    | "lastError"
    | "lastPolledAt"
    | "lastSuccessAt"
    | "documentsTaken"
    | "createdAt"
    | "updatedAt"
  >,
) {
  const { secretEnc, id: _id, ...settings } = row;
  return { ...settings, secret: secretEnc ? "set" : "none" };
}

export async function listSources(actor: Actor): Promise<SourceView[]> {
  assertCan(actor, "tokens:manage");
  const rows = await getDb().prisma.eventSource.findMany({ orderBy: { name: "asc" }, select: publicSelect });
  return rows.map(toView);
}

export async function getSource(actor: Actor, id: string): Promise<SourceView | null> {
  assertCan(actor, "tokens:manage");
  const row = await getDb().prisma.eventSource.findUnique({ where: { id }, select: publicSelect });
  return row ? toView(row) : null;
}

function secretFor(input: SourceInput, stored: string | null, previousAuthType: string | null): string | null {
  if (input.authType === "none") return null;
  if (input.secret) return sealSecret(input.secret, appSecret());
  // the stored secret belongs to the previous auth type: an API key is no password
  if (stored && previousAuthType === input.authType) return stored;
  throw new AppError("bad_request", input.authType === "api_key" ? "enter the API key" : "enter the password");
}

function settingsData(input: SourceInput, secretEnc: string | null) {
  return {
    name: input.name,
    url: input.url,
    authType: input.authType,
    username: input.authType === "basic" ? input.username : null,
    secretEnc,
    caCert: input.caCert,
    tlsVerify: input.tlsVerify,
    indexPatterns: input.indexPatterns,
    mode: input.mode,
    enabled: input.enabled,
    pollIntervalSec: input.pollIntervalSec,
  };
}

export async function createSource(actor: Actor, input: SourceInput): Promise<SourceView> {
  assertCan(actor, "tokens:manage");
  const secretEnc = secretFor(input, null, null);
  return getDb().prisma.$transaction(async (tx) => {
    const row = await tx.eventSource.create({
      data: { ...settingsData(input, secretEnc), createdBy: actor.id },
      select: publicSelect,
    });
    await appendAudit(tx, {
      actorId: actor.id,
      action: "source.create",
      entityType: SOURCE_ENTITY,
      entityId: row.id,
      after: auditShape(row),
    });
    return toView(row);
  });
}

async function conflict(tx: Tx, id: string, updatedAt: Date): Promise<never> {
  const last = await tx.auditLog.findFirst({
    where: { entityType: SOURCE_ENTITY, entityId: id },
    orderBy: { id: "desc" },
    select: { actorId: true, at: true },
  });
  const user = last?.actorId ? await tx.user.findUnique({ where: { id: last.actorId }, select: { name: true } }) : null;
  throw new AppError(
    "conflict",
    `this source was changed by ${user?.name ?? last?.actorId ?? "someone"} at ${formatTime(last?.at ?? updatedAt)}; reload`,
  );
}

/**
 * Saves an admin's edit if nobody saved in between: `updatedAt` is the version the form was
 * loaded with (the poller's status writes leave it alone, so only edits move it).
 */
export async function updateSource(
  actor: Actor,
  id: string,
  expectedUpdatedAt: Date,
  input: SourceInput,
): Promise<SourceView> {
  assertCan(actor, "tokens:manage");
  return getDb().prisma.$transaction(async (tx) => {
    const before = await tx.eventSource.findUnique({ where: { id }, select: publicSelect });
    if (!before) throw new AppError("not_found", "no such source");
    if (before.updatedAt.getTime() !== expectedUpdatedAt.getTime()) await conflict(tx, id, before.updatedAt);
    const data = settingsData(input, secretFor(input, before.secretEnc, before.authType));
    const { count } = await tx.eventSource.updateMany({ where: { id, updatedAt: expectedUpdatedAt }, data });
    if (count !== 1) await conflict(tx, id, before.updatedAt);
    const after = await tx.eventSource.findUniqueOrThrow({ where: { id }, select: publicSelect });
    await appendAudit(tx, {
      actorId: actor.id,
      action: "source.update",
      entityType: SOURCE_ENTITY,
      entityId: id,
      before: auditShape(before),
      after: { ...auditShape(after), ...(input.secret ? { secret: "replaced" } : {}) },
    });
    return toView(after);
  });
}

export async function deleteSource(actor: Actor, id: string, expectedUpdatedAt: Date): Promise<void> {
  assertCan(actor, "tokens:manage");
  await getDb().prisma.$transaction(async (tx) => {
    const before = await tx.eventSource.findUnique({ where: { id }, select: publicSelect });
    if (!before) throw new AppError("not_found", "no such source");
    const { count } = await tx.eventSource.deleteMany({ where: { id, updatedAt: expectedUpdatedAt } });
    if (count !== 1) await conflict(tx, id, before.updatedAt);
    await appendAudit(tx, {
      actorId: actor.id,
      action: "source.delete",
      entityType: SOURCE_ENTITY,
      entityId: id,
      before: auditShape(before),
    });
  });
}

// ---------------------------------------------------------------- for the poller (server side only)

/** What the poller needs to talk to a cluster, the secret decrypted. Never returned to a page. */
export interface SourceConnection {
  id: string | null;
  name: string;
  url: string;
  authType: "none" | "api_key" | "basic";
  username: string | null;
  secret: string | null;
  caCert: string | null;
  tlsVerify: boolean;
  indexPatterns: string[];
  mode: "poll" | "eql";
  checkpoint: Date | null;
}

const connectionSelect = {
  id: true,
  name: true,
  url: true,
  authType: true,
  username: true,
  secretEnc: true,
  caCert: true,
  tlsVerify: true,
  indexPatterns: true,
  mode: true,
  checkpoint: true,
} as const;

function toConnection(row: Prisma.EventSourceGetPayload<{ select: typeof connectionSelect }>): SourceConnection {
  return {
    id: row.id,
    name: row.name,
    url: row.url,
    authType: row.authType === "api_key" || row.authType === "basic" ? row.authType : "none",
    username: row.username,
    secret: row.secretEnc ? openSecret(row.secretEnc, appSecret()) : null,
    caCert: row.caCert,
    tlsVerify: row.tlsVerify,
    indexPatterns: row.indexPatterns,
    mode: row.mode === "eql" ? "eql" : "poll",
    checkpoint: row.checkpoint,
  };
}

export async function loadSourceConnection(id: string): Promise<SourceConnection | null> {
  const row = await getDb().prisma.eventSource.findUnique({ where: { id }, select: connectionSelect });
  return row ? toConnection(row) : null;
}

/**
 * The connection a "Test connection" click means: the form's values, with the stored secret
 * when the admin left the secret field empty on an existing source.
 */
export async function resolveTestConnection(
  actor: Actor,
  id: string | null,
  input: SourceInput,
): Promise<SourceConnection> {
  assertCan(actor, "tokens:manage");
  let secret = input.authType === "none" ? null : input.secret;
  if (!secret && input.authType !== "none" && id) {
    const stored = await loadSourceConnection(id);
    if (stored && stored.authType === input.authType) secret = stored.secret;
  }
  return {
    id,
    name: input.name,
    url: input.url,
    authType: input.authType,
    username: input.username,
    secret,
    caCert: input.caCert,
    tlsVerify: input.tlsVerify,
    indexPatterns: input.indexPatterns,
    mode: input.mode,
    checkpoint: null,
  };
}

/**
 * Claims the enabled sources whose interval has elapsed: `last_polled_at` moves to now in the
 * same statement, so two workers (or a tick and a "Poll now") never poll one source at once.
 * Raw SQL on purpose: the poller's writes must not touch `updated_at` (the edit version).
 */
export async function claimDueSources(now: Date): Promise<string[]> {
  const rows = await getDb().prisma.$queryRaw<Array<{ id: string }>>`
    UPDATE "event_source" SET "last_polled_at" = ${now}
     WHERE "enabled"
       AND ("last_polled_at" IS NULL OR "last_polled_at" + make_interval(secs => "poll_interval_sec") <= ${now})
    RETURNING "id"::text AS "id"`;
  return rows.map((r) => r.id);
}

/** "Poll now": claims one source unless a poll started in the last minute. */
export async function claimSourceNow(actor: Actor, id: string, now: Date): Promise<boolean> {
  assertCan(actor, "tokens:manage");
  return getDb().prisma.$transaction(async (tx) => {
    const claimed = await tx.$executeRaw`
      UPDATE "event_source" SET "last_polled_at" = ${now}
       WHERE "id" = ${id}::uuid AND ("last_polled_at" IS NULL OR "last_polled_at" <= ${new Date(now.getTime() - 60_000)})`;
    if (claimed === 1)
      await appendAudit(tx, { actorId: actor.id, action: "source.poll", entityType: SOURCE_ENTITY, entityId: id });
    return claimed === 1;
  });
}

/** A window was stored completely: move the checkpoint and count what was taken. */
export async function recordWindowStored(id: string, checkpoint: Date, stored: number): Promise<void> {
  await getDb().prisma.$executeRaw`
    UPDATE "event_source"
       SET "checkpoint" = GREATEST(COALESCE("checkpoint", ${checkpoint}), ${checkpoint}),
           "documents_taken" = "documents_taken" + ${stored}
     WHERE "id" = ${id}::uuid`;
}

/** Documents stored before a poll broke off still count as taken (the checkpoint stays). */
export async function recordDocumentsTaken(id: string, stored: number): Promise<void> {
  if (stored <= 0) return;
  await getDb().prisma
    .$executeRaw`UPDATE "event_source" SET "documents_taken" = "documents_taken" + ${stored} WHERE "id" = ${id}::uuid`;
}

export async function recordPollOutcome(
  id: string,
  outcome: { ok: true; at: Date } | { ok: false; error: string },
): Promise<void> {
  if (outcome.ok) {
    await getDb().prisma.$executeRaw`
      UPDATE "event_source" SET "health" = 'healthy', "last_error" = NULL, "last_success_at" = ${outcome.at} WHERE "id" = ${id}::uuid`;
  } else {
    await getDb().prisma.$executeRaw`
      UPDATE "event_source" SET "health" = 'unhealthy', "last_error" = ${outcome.error.slice(0, 2000)} WHERE "id" = ${id}::uuid`;
  }
}

/** Which of these fingerprints are stored already (the `_bulk` endpoint's 409s). */
export async function findStoredFingerprints(fingerprints: string[]): Promise<Set<string>> {
  if (fingerprints.length === 0) return new Set();
  const rows = await getDb().prisma.event.findMany({
    where: { fingerprint: { in: fingerprints } },
    select: { fingerprint: true },
  });
  return new Set(rows.map((r) => r.fingerprint));
}
