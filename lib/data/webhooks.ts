import "server-only";
import { randomUUID } from "node:crypto";
import { AppError } from "@/lib/app-error";
import { assertCan, type Actor } from "@/lib/auth/permissions";
import { appendAudit } from "@/lib/data/audit";
import { appSecret } from "@/lib/data/sources";
import { getDb } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { resolveWebhookTarget } from "@/lib/http/webhook-target";
import type { Prisma } from "@/lib/generated/prisma/client";
import { openSecret, sealSecret } from "@/lib/sources/secret-box";
import {
  MAX_ATTEMPTS,
  isDelivered,
  retryDelayMs,
  webhookInputSchema,
  webhookSecretSchema,
  type WebhookEvent,
  type WebhookInput,
} from "@/lib/webhooks/webhook-message";

/**
 * Generic webhooks: admins configure them (`tokens:manage`, like event sources, since a webhook
 * carries a secret and sends case data out); changes to cases and alerts write one delivery row
 * per subscribed webhook inside their own transaction (an outbox), and the worker sends due rows
 * (lib/services/webhook-service.ts). The secret is sealed at rest and never read back to a page.
 */
type Tx = Prisma.TransactionClient;

const webhookSelect = {
  id: true,
  name: true,
  url: true,
  events: true,
  enabled: true,
  createdAt: true,
  updatedAt: true,
} as const;

export async function listWebhooks(actor: Actor) {
  assertCan(actor, "tokens:manage");
  return getDb().prisma.webhook.findMany({ orderBy: { createdAt: "asc" }, select: webhookSelect });
}

export async function createWebhook(actor: Actor, input: WebhookInput, secret: string) {
  assertCan(actor, "tokens:manage");
  const fields = webhookInputSchema.parse(input);
  // a host that resolves to an internal address is refused now, not first at delivery
  await resolveWebhookTarget(fields.url);
  const sealed = sealSecret(webhookSecretSchema.parse(secret), appSecret());
  return getDb().prisma.$transaction(async (tx) => {
    const row = await tx.webhook.create({
      data: { ...fields, secretEnc: sealed, createdBy: actor.id },
      select: webhookSelect,
    });
    await appendAudit(tx, {
      actorId: actor.id,
      action: "webhook.create",
      entityType: "webhook",
      entityId: row.id,
      after: fields,
    });
    return row;
  });
}

export async function setWebhookEnabled(actor: Actor, id: string, enabled: boolean) {
  assertCan(actor, "tokens:manage");
  await getDb().prisma.$transaction(async (tx) => {
    const { count } = await tx.webhook.updateMany({ where: { id }, data: { enabled, updatedAt: new Date() } });
    if (count !== 1) throw new AppError("not_found", "no such webhook");
    await appendAudit(tx, {
      actorId: actor.id,
      action: enabled ? "webhook.enable" : "webhook.disable",
      entityType: "webhook",
      entityId: id,
    });
  });
}

export async function deleteWebhook(actor: Actor, id: string) {
  assertCan(actor, "tokens:manage");
  await getDb().prisma.$transaction(async (tx) => {
    const before = await tx.webhook.findUnique({ where: { id }, select: { name: true, url: true, events: true } });
    if (!before) throw new AppError("not_found", "no such webhook");
    await tx.webhook.delete({ where: { id } });
    await appendAudit(tx, { actorId: actor.id, action: "webhook.delete", entityType: "webhook", entityId: id, before });
  });
}

/** The delivery log: newest first, with the webhook's name. */
export async function listWebhookDeliveries(actor: Actor, limit = 50) {
  assertCan(actor, "tokens:manage");
  const rows = await getDb().prisma.webhookDelivery.findMany({
    orderBy: { createdAt: "desc" },
    take: limit,
    select: {
      id: true,
      event: true,
      status: true,
      attempts: true,
      nextAttemptAt: true,
      lastAttemptAt: true,
      responseCode: true,
      lastError: true,
      createdAt: true,
      deliveredAt: true,
      webhook: { select: { name: true } },
    },
  });
  return rows.map(({ webhook, ...r }) => ({ ...r, webhookName: webhook.name }));
}

/**
 * Queues `event` for every enabled webhook that subscribed to it, in the caller's transaction:
 * the delivery exists exactly when the change committed. `text` is the event in one sentence of
 * words (what a chat tool shows), `data` its fields: ids, stored values with their words beside
 * them (`statusLabel`), and links (`path`, and `url` on the app's public address).
 */
export async function queueWebhookEvent(tx: Tx, event: WebhookEvent, text: string, data: Record<string, unknown>) {
  const hooks = await tx.webhook.findMany({
    where: { enabled: true, events: { has: event } },
    select: { id: true },
  });
  if (hooks.length === 0) return;
  const occurredAt = new Date().toISOString();
  const rows = hooks.map((h) => {
    const id = randomUUID();
    return { id, webhookId: h.id, event, body: JSON.stringify({ id, event, occurredAt, text, data }) };
  });
  await tx.webhookDelivery.createMany({ data: rows });
  listeners.__wmiWebhookQueued?.(rows.map((r) => r.id));
}

/** A page's address on the app's public URL (BETTER_AUTH_URL), for links a receiver can open. */
export function appLink(path: string): string {
  const env = getEnv();
  return new URL(path, env.BETTER_AUTH_URL ?? `http://localhost:${env.PORT}`).toString();
}

/**
 * On globalThis, like the database client: Next.js bundles instrumentation.ts (which sets it) and
 * the server actions (which queue events) apart, each with its own copy of this module.
 */
const listeners = globalThis as unknown as { __wmiWebhookQueued?: ((deliveryIds: string[]) => void) | null };

/**
 * The sender in this process (lib/services/webhook-service.ts) hears of each delivery queued, so
 * it can send it as soon as its transaction commits instead of at the worker's next minute.
 */
export function setWebhookQueuedListener(listener: ((deliveryIds: string[]) => void) | null) {
  listeners.__wmiWebhookQueued = listener;
}

/** Which of these deliveries exist for everyone (their transaction committed). */
export async function findCommittedWebhookDeliveries(ids: string[]): Promise<string[]> {
  const rows = await getDb().prisma.webhookDelivery.findMany({ where: { id: { in: ids } }, select: { id: true } });
  return rows.map((r) => r.id);
}

export interface DueDelivery {
  id: string;
  event: string;
  body: string;
  url: string;
  secret: string;
  attempts: number;
}

/** Claims the ones past this long are handed out again (a worker that died mid-request). */
const CLAIM_LEASE_MS = 5 * 60_000;

/**
 * Claims up to `limit` due deliveries for this worker: their next attempt moves past a lease, so
 * another instance's worker skips them (`FOR UPDATE SKIP LOCKED`) and a crash retries them later.
 */
export async function claimDueWebhookDeliveries(now: Date, limit = 20): Promise<DueDelivery[]> {
  const lease = new Date(now.getTime() + CLAIM_LEASE_MS);
  const rows = await getDb().prisma.$queryRaw<
    { id: string; event: string; body: string; url: string; secret_enc: string; attempts: number }[]
  >`
    with due as (
      select d.id from webhook_delivery d
      where d.status = 'pending' and d.next_attempt_at <= ${now}
      order by d.next_attempt_at
      limit ${limit}
      for update of d skip locked
    )
    update webhook_delivery d set next_attempt_at = ${lease}
    from due, webhook w
    where d.id = due.id and w.id = d.webhook_id
    returning d.id::text as id, d.event, d.body, w.url, w.secret_enc, d.attempts`;
  const key = appSecret();
  return rows.map((r) => ({
    id: r.id,
    event: r.event,
    body: r.body,
    url: r.url,
    secret: openSecret(r.secret_enc, key),
    attempts: r.attempts,
  }));
}

/** Records one attempt: delivered on a 2xx, else retried after the back-off, failed after MAX_ATTEMPTS. */
export async function recordWebhookAttempt(
  id: string,
  attemptsBefore: number,
  outcome: { responseCode: number | null; error: string | null },
  now: Date,
) {
  const attempts = attemptsBefore + 1;
  const delivered = isDelivered(outcome.responseCode);
  const status = delivered ? "delivered" : attempts >= MAX_ATTEMPTS ? "failed" : "pending";
  await getDb().prisma.webhookDelivery.update({
    where: { id },
    data: {
      status,
      attempts,
      lastAttemptAt: now,
      responseCode: outcome.responseCode,
      lastError: delivered ? null : (outcome.error ?? `HTTP ${outcome.responseCode}`).slice(0, 1000),
      deliveredAt: delivered ? now : null,
      nextAttemptAt: status === "pending" ? new Date(now.getTime() + retryDelayMs(attempts)) : now,
    },
  });
  return { status, attempts };
}
