// One measured ingest (spawned by bench/ingest.ts): prints {received, stored, seconds, maxRssMb}.
import { createReadStream } from "node:fs";
import { closeDb } from "@/lib/db/client";
import { ingestStream } from "@/lib/services/ingest-service";

const file = process.argv[2];
const start = process.hrtime.bigint();
const summary = await ingestStream({ source: "cli", fileName: file, stream: createReadStream(file, { highWaterMark: 1 << 16 }), skipDetection: true });
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
await closeDb();
if (summary.status !== "succeeded") {
  process.stderr.write(`${summary.message}\n`);
  process.exit(1);
}
process.stdout.write(`${JSON.stringify({ received: summary.received, stored: summary.stored, seconds, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`);
