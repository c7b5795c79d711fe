import { Readable } from "node:stream";
import type { Actor } from "@/lib/auth/permissions";
import { getDb } from "@/lib/db/client";
import { ingestStream } from "@/lib/services/ingest/ingest-stream";
import type { IngestSummary } from "@/lib/services/ingest/types";

/**
 * For integration tests of the alert lists: the acting user's row, then `docs` ingested as one API
 * upload named `fileName` (so their alerts exist, as an upload makes them).
 */
export async function seedUserAndAlerts(actor: Actor, fileName: string, docs: object[]): Promise<IngestSummary> {
  await getDb().prisma.user.create({
    data: { id: actor.id, name: actor.name!, email: `${actor.id}@test.local`, role: actor.role },
  });
  return ingestStream({
    source: "api",
    fileName,
    stream: Readable.from([Buffer.from(docs.map((d) => JSON.stringify(d)).join("\n"))]),
  });
}
