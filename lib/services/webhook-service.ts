import "server-only";
import { claimDueWebhookDeliveries, recordWebhookAttempt, type DueDelivery } from "@/lib/data/webhooks";
import {
  DELIVERY_HEADER,
  EVENT_HEADER,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  signBody,
} from "@/lib/webhooks/webhook-message";

/** A receiver gets this long to answer; a slow one is retried like a failing one. */
const REQUEST_TIMEOUT_MS = 10_000;

export interface WebhookRunSummary {
  attempted: number;
  delivered: number;
  retrying: number;
  failed: number;
}

async function send(delivery: DueDelivery, now: Date): Promise<{ responseCode: number | null; error: string | null }> {
  try {
    const response = await fetch(delivery.url, {
      method: "POST",
      body: delivery.body,
      // a redirect is not followed: the admin configured this URL, not whatever it points to
      redirect: "manual",
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      headers: {
        "content-type": "application/json",
        "user-agent": "wmi-triage-webhook/1",
        [SIGNATURE_HEADER]: signBody(delivery.secret, delivery.body),
        [TIMESTAMP_HEADER]: String(Math.floor(now.getTime() / 1000)),
        [DELIVERY_HEADER]: delivery.id,
        [EVENT_HEADER]: delivery.event,
      },
    });
    await response.body?.cancel();
    return { responseCode: response.status, error: response.ok ? null : `HTTP ${response.status}` };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return { responseCode: null, error: `${(error as Error).message}${cause ? ` (${cause})` : ""}` };
  }
}

/**
 * Sends every due webhook delivery once (the worker's `wmi_webhooks` task, every minute): a 2xx
 * marks it delivered, anything else schedules the next attempt with exponential back-off.
 */
export async function deliverDueWebhooks(now: Date = new Date()): Promise<WebhookRunSummary> {
  const summary: WebhookRunSummary = { attempted: 0, delivered: 0, retrying: 0, failed: 0 };
  for (;;) {
    const due = await claimDueWebhookDeliveries(now);
    if (due.length === 0) return summary;
    for (const delivery of due) {
      const outcome = await send(delivery, now);
      const { status } = await recordWebhookAttempt(delivery.id, delivery.attempts, outcome, now);
      summary.attempted++;
      if (status === "delivered") summary.delivered++;
      else if (status === "failed") summary.failed++;
      else summary.retrying++;
    }
  }
}
