import "server-only";
import type { LookupAddress } from "node:dns";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import type { LookupFunction } from "node:net";
import {
  claimDueWebhookDeliveries,
  findCommittedWebhookDeliveries,
  recordWebhookAttempt,
  setWebhookQueuedListener,
  type DueDelivery,
} from "@/lib/data/webhooks";
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
 * Sends every due webhook delivery once (new ones at once, see startPromptWebhookDelivery; the
 * worker's `wmi_webhooks` task every minute for retries and as the fallback): a 2xx
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

/** How often a queued delivery is looked for, and how long before its transaction is given up as rolled back. */
const COMMIT_POLL_MS = 100;
const COMMIT_WAIT_MS = 30_000;

/**
 * Sends each new delivery as soon as the change that queued it commits, in this process: the
 * outbox row is written inside the change's transaction, so this watches for the row to become
 * visible (every 100 ms, one query for all waiting rows) and then drains the due deliveries. It
 * needs no job queue, so it works the same on the embedded database and in a process without
 * the worker (WMI_SCHEDULER_DISABLED=1); claims are `SKIP LOCKED` with a lease, so the worker's
 * every-minute sweep, which stays as the fallback (a row whose transaction outlived the wait, a
 * crash), never sends one twice. Returns the function that stops it.
 */
export function startPromptWebhookDelivery(): () => void {
  const waiting = new Map<string, number>();
  let watching = false;
  let draining: Promise<void> | null = null;
  let drainAgain = false;

  const drain = () => {
    if (draining) {
      drainAgain = true;
      return;
    }
    draining = (async () => {
      do {
        drainAgain = false;
        await deliverDueWebhooks(new Date());
      } while (drainAgain);
    })()
      .catch((error) =>
        console.error("[webhooks] prompt delivery failed:", error instanceof Error ? error.message : error),
      )
      .finally(() => {
        draining = null;
      });
  };

  const watch = async () => {
    watching = true;
    try {
      while (waiting.size > 0) {
        const committed = await findCommittedWebhookDeliveries([...waiting.keys()]);
        for (const id of committed) waiting.delete(id);
        const now = Date.now();
        for (const [id, since] of waiting) if (now - since > COMMIT_WAIT_MS) waiting.delete(id);
        if (committed.length > 0) drain();
        if (waiting.size > 0) await new Promise((resolve) => setTimeout(resolve, COMMIT_POLL_MS));
      }
    } finally {
      watching = false;
    }
  };

  setWebhookQueuedListener((ids) => {
    for (const id of ids) waiting.set(id, Date.now());
    if (!watching)
      void watch().catch((error) => {
        console.error("[webhooks] watching for new deliveries failed:", error instanceof Error ? error.message : error);
        waiting.clear();
      });
  });
  return () => {
    setWebhookQueuedListener(null);
    waiting.clear();
  };
}
