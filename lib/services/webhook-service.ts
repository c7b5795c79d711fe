import "server-only";
import type { LookupAddress } from "node:dns";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import type { LookupFunction } from "node:net";
import { claimDueWebhookDeliveries, recordWebhookAttempt, type DueDelivery } from "@/lib/data/webhooks";
import { resolveWebhookTarget } from "@/lib/http/webhook-target";
import {
  DELIVERY_HEADER,
  EVENT_HEADER,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  isDelivered,
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

/**
 * POSTs one delivery with node:http(s), connecting to the address resolveWebhookTarget checked
 * (its `lookup` hands that address to the socket, so DNS is not asked a second time: a name
 * re-pointed to an internal address between the check and the connect is still refused).
 */
async function send(delivery: DueDelivery, now: Date): Promise<{ responseCode: number | null; error: string | null }> {
  let target: LookupAddress;
  const url = new URL(delivery.url);
  try {
    target = await resolveWebhookTarget(url);
  } catch (error) {
    return { responseCode: null, error: (error as Error).message };
  }
  const pinned: LookupFunction = (_host, options, callback) => {
    if (options.all) callback(null, [target]);
    else callback(null, target.address, target.family);
  };
  const request = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const req = request(
      url,
      {
        method: "POST",
        lookup: pinned,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        // a redirect is not followed (node:http never does): the admin configured this URL
        headers: {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(delivery.body),
          "user-agent": "wmi-triage-webhook/1",
          [SIGNATURE_HEADER]: signBody(delivery.secret, delivery.body),
          [TIMESTAMP_HEADER]: String(Math.floor(now.getTime() / 1000)),
          [DELIVERY_HEADER]: delivery.id,
          [EVENT_HEADER]: delivery.event,
        },
      },
      (response) => {
        const status = response.statusCode ?? null;
        response.resume();
        resolve({ responseCode: status, error: isDelivered(status) ? null : `HTTP ${status}` });
      },
    );
    req.on("error", (error: Error & { code?: string }) => {
      const code = error.code && !error.message.includes(error.code) ? ` (${error.code})` : "";
      resolve({ responseCode: null, error: `${error.message}${code}` });
    });
    req.end(delivery.body);
  });
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
