import { Readable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { closeDb, getDb } from "@/lib/db/client";
import { BATCH_SIZE } from "@/lib/services/ingest/copy-rows";
import { ingestStream } from "@/lib/services/ingest/ingest-stream";

// the embedded PGlite cannot COPY FROM STDIN: there only the array-parameter path runs
const modes = process.env.WMI_EMBEDDED === "1" ? (["values"] as const) : (["copy", "values"] as const);
const unique = `${process.pid}-${Date.now()}`;

afterAll(async () => {
  await closeDb();
});

describe("two ingests of the same events at once", () => {
  it.each(modes)(
    "with insertMode %s, store each event once between them, with exact counts on both jobs",
    async (insertMode) => {
      // several batches, so that the two ingests' batches overlap and take the same fingerprints' locks
      const count = BATCH_SIZE * 3 + 700;
      const text = Array.from({ length: count }, (_, i) =>
        JSON.stringify({
          "@timestamp": "2024-02-03T00:00:00Z",
          event: { code: "1" },
          message: `${unique}-overlap-${insertMode}-${i}`,
        }),
      ).join("\n");
      // the second copy reversed: the same events reach the table in the other order
      const reversed = text.split("\n").reverse().join("\n");
      const [a, b, c] = await Promise.all([
        ingestStream({
          source: "api",
          fileName: "same-a.ndjson",
          stream: Readable.from([Buffer.from(text)]),
          insertMode,
        }),
        ingestStream({
          source: "api",
          fileName: "same-b.ndjson",
          stream: Readable.from([Buffer.from(text)]),
          insertMode,
        }),
        ingestStream({
          source: "api",
          fileName: "reversed.ndjson",
          stream: Readable.from([Buffer.from(reversed)]),
          insertMode,
        }),
      ]);
      for (const summary of [a, b, c]) {
        expect(summary).toMatchObject({ status: "succeeded", received: count, rejected: 0, message: null });
        expect(summary.stored + summary.duplicates).toBe(count);
        const job = await getDb().prisma.ingestJob.findUniqueOrThrow({ where: { id: summary.jobId } });
        expect(job).toMatchObject({ received: count, stored: summary.stored, duplicates: summary.duplicates });
      }
      expect(a.stored + b.stored + c.stored).toBe(count);
      const stored = await getDb().prisma.event.count({
        where: { doc: { path: ["message"], string_starts_with: `${unique}-overlap-${insertMode}-` } },
      });
      expect(stored).toBe(count);
    },
  );
});
