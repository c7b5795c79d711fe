// npm run ingest -- FILE... [--json] [--format FORMAT]
// Stores event files in DATABASE_URL (or the embedded database) through the same pipeline as
// uploads, runs the rule over them, and reports counts (one JSON object with --json).
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { parseArgs } from "node:util";
import { migrateDatabase, openDatabase } from "@/lib/db/bootstrap";
import { closeDb } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { INPUT_FORMATS, isInputFormat } from "@/lib/ingest/types";
import { ingestStream } from "@/lib/services/ingest/ingest-stream";
import type { IngestSummary } from "@/lib/services/ingest/types";
import { RULE_DISABLED_NOTE } from "@/lib/rule/disabled-note";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    json: { type: "boolean", default: false },
    format: { type: "string" },
    help: { type: "boolean", short: "h" },
  },
});

if (values.help || positionals.length === 0) {
  console.error(`usage: npm run ingest -- FILE... [--json] [--format ${INPUT_FORMATS.join("|")}]`);
  process.exit(values.help ? 0 : 2);
}
const format = values.format;
if (format !== undefined && !isInputFormat(format)) {
  console.error(`unknown --format ${format}; one of ${INPUT_FORMATS.join(", ")}`);
  process.exit(2);
}

function progressBar(file: string, done: number, total: number, received: number) {
  if (values.json || !process.stderr.isTTY) return;
  const width = 30;
  const filled = total ? Math.round((done / total) * width) : 0;
  process.stderr.write(
    `\r${file.slice(-40).padEnd(40)} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${received} events`,
  );
}

const env = getEnv();
const db = await openDatabase({
  databaseUrl: env.DATABASE_URL,
  dataDir: env.WMI_DATA_DIR,
  embeddedPort: env.EMBEDDED_PG_PORT,
});
process.env.DATABASE_URL = db.url;
process.env.DATABASE_POOL_MAX = String(db.poolMax);
// the embedded database takes no COPY FROM STDIN: batches go in as array parameters there
process.env.WMI_EMBEDDED = db.embedded ? "1" : "0";
const summaries: IngestSummary[] = [];
let unreadable = false;
try {
  await migrateDatabase(db.url);
  for (const file of positionals) {
    const size = await stat(file)
      .then((s) => s.size)
      .catch(() => 0);
    const summary = await ingestStream({
      source: "cli",
      fileName: file,
      format,
      stream: createReadStream(file),
      onProgress: (p) => progressBar(file, p.bytes, size, p.received),
    });
    if (!values.json && process.stderr.isTTY) process.stderr.write("\n");
    summaries.push(summary);
    if (summary.status === "failed") unreadable = true;
    if (!values.json) {
      console.log(
        `${file}: ${summary.status} — received ${summary.received}, stored ${summary.stored}, duplicates ${summary.duplicates}, rejected ${summary.rejected}, alerts ${summary.alerts}${summary.ruleDisabled ? ` (${RULE_DISABLED_NOTE})` : ""}${summary.message ? ` (${summary.message})` : ""}`,
      );
      // each reason starts with where the record is (line, offset or record number)
      for (const e of summary.errors.slice(0, 10)) console.log(`  rejected: ${e.reason}`);
    }
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  unreadable = true;
} finally {
  await closeDb();
  await db.stop();
}

const sum = (k: "received" | "stored" | "duplicates" | "rejected" | "alerts") =>
  summaries.reduce((n, s) => n + s[k], 0);
if (values.json) {
  console.log(
    JSON.stringify({
      received: sum("received"),
      stored: sum("stored"),
      duplicates: sum("duplicates"),
      rejected: sum("rejected"),
      alerts: sum("alerts"),
      ruleDisabled: summaries.some((s) => s.ruleDisabled),
      errors: summaries.flatMap((s) => [
        ...(s.message ? [{ file: s.fileName, reason: s.message }] : []),
        ...s.errors.map((e) => ({ file: s.fileName, ...e })),
      ]),
      files: summaries.map((s) => ({
        file: s.fileName,
        jobId: s.jobId,
        status: s.status,
        format: s.format,
        received: s.received,
        stored: s.stored,
        duplicates: s.duplicates,
        rejected: s.rejected,
        alerts: s.alerts,
        ruleDisabled: s.ruleDisabled,
      })),
    }),
  );
}
process.exitCode = unreadable ? 1 : 0;
