import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";

/**
 * What a webhook receives and how it can trust it. The body is JSON; `X-WMI-Signature` is
 * `sha256=<hex>` of HMAC-SHA256 over the raw body bytes with the webhook's secret (GitHub's
 * `X-Hub-Signature-256` scheme); `X-WMI-Timestamp` is the attempt's Unix time in seconds and
 * `X-WMI-Delivery` the delivery id, the same on every retry, so a receiver can drop repeats.
 */

export const WEBHOOK_EVENTS = [
  "case.created",
  "case.updated",
  "case.closed",
  "alert.assigned",
  "alert.status_changed",
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export const WEBHOOK_EVENT_LABELS: Record<WebhookEvent, string> = {
  "case.created": "Case created",
  "case.updated": "Case updated",
  "case.closed": "Case closed",
  "alert.assigned": "Alert assigned",
  "alert.status_changed": "Alert status changed",
};

export const SIGNATURE_HEADER = "X-WMI-Signature";
export const TIMESTAMP_HEADER = "X-WMI-Timestamp";
export const DELIVERY_HEADER = "X-WMI-Delivery";
export const EVENT_HEADER = "X-WMI-Event";

export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body, "utf8").digest("hex")}`;
}

/** A receiver's check, in constant time. */
export function verifySignature(secret: string, body: string, header: string | null | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(signBody(secret, body));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** Attempts before a delivery is given up as failed (1 + 7 retries over about 4 hours). */
export const MAX_ATTEMPTS = 8;

/** Wait before retry n (n = attempts made so far, ≥ 1): 30 s, 1 min, 2 min … doubling, at most 2 h. */
export function retryDelayMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 2 * 3600_000);
}

/** 2xx is delivered; anything else (or no answer) is retried until MAX_ATTEMPTS. */
export const isDelivered = (status: number | null) => status !== null && status >= 200 && status < 300;

export const webhookInputSchema = z.object({
  name: z.string().trim().min(1, "name the webhook").max(200),
  url: z
    .string()
    .trim()
    .max(2000)
    .pipe(z.url({ protocol: /^https?$/, message: "the URL must start with http:// or https://" }))
    .refine((u) => !new URL(u).username && !new URL(u).password, "put no user name or password in the URL"),
  events: z.array(z.enum(WEBHOOK_EVENTS)).min(1, "pick at least one event"),
});
export type WebhookInput = z.infer<typeof webhookInputSchema>;

/** The secret is chosen by the admin (or generated) and never shown again after saving. */
export const webhookSecretSchema = z.string().min(16, "the secret needs at least 16 characters").max(500);
