import type { LookupAddress } from "node:dns";
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { AppError } from "@/lib/app-error";
import { getEnv } from "@/lib/env";
import { refuseTargetAddress } from "@/lib/webhooks/webhook-target";

/**
 * Resolves a webhook URL's host and checks every address it resolves to
 * (lib/webhooks/webhook-target.ts): the one a delivery then connects to is the one checked here,
 * never a second answer from DNS. Throws `bad_request` naming the host and the address.
 */
export async function resolveWebhookTarget(url: string | URL): Promise<LookupAddress> {
  const parsed = typeof url === "string" ? new URL(url) : url;
  const host = parsed.hostname.replace(/^\[|\]$/g, "");
  const allowPrivate = getEnv().WEBHOOK_ALLOW_PRIVATE === "1";
  let answers: LookupAddress[];
  if (isIP(host) !== 0) answers = [{ address: host, family: isIP(host) }];
  else {
    try {
      answers = await lookup(host, { all: true, verbatim: true });
    } catch (error) {
      const code = (error as { code?: string }).code ?? (error as Error).message;
      throw new AppError("bad_request", `the webhook's host ${host} does not resolve (${code})`);
    }
  }
  for (const answer of answers) {
    const why = refuseTargetAddress(answer.address, allowPrivate);
    if (why) throw new AppError("bad_request", `refused ${parsed.host}: ${why}`);
  }
  if (answers.length === 0) throw new AppError("bad_request", `the webhook's host ${host} does not resolve`);
  return answers[0];
}
