import { createHash } from "node:crypto";
import { z } from "zod";
import { AppError } from "@/lib/app-error";
import { getLiveState } from "@/lib/data/live";
import { handleRoute } from "@/lib/http/route-handler";

export const dynamic = "force-dynamic";

const query = z.object({
  since: z.iso.datetime({ offset: true }).nullable(),
  alert: z.string().min(1).max(200).nullable(),
});

/**
 * Short polling for the live parts of the pages (new alerts banner, notification badge, "changed
 * by someone else" on an alert page). The answer carries an ETag; a poll sending it back in
 * If-None-Match gets 304 with no body while nothing changed.
 */
export const GET = handleRoute("alerts:read", async (request, actor) => {
  const url = new URL(request.url);
  const parsed = query.safeParse({ since: url.searchParams.get("since"), alert: url.searchParams.get("alert") });
  if (!parsed.success) throw new AppError("bad_request", `since/alert: ${parsed.error.issues[0]?.message}`);
  const state = await getLiveState(actor!, {
    since: parsed.data.since ? new Date(parsed.data.since) : null,
    alertId: parsed.data.alert,
  });
  const body = JSON.stringify(state);
  const etag = `"${createHash("sha1").update(body).digest("base64url")}"`;
  const headers = { ETag: etag, "Cache-Control": "private, no-cache" };
  if (request.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers });
  return new Response(body, { status: 200, headers: { ...headers, "Content-Type": "application/json" } });
});
