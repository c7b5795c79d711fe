import { createReadStream } from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, getDb } from "@/lib/db/client";
import { BATCH_SIZE } from "@/lib/services/ingest/copy-rows";
import { ingestStream } from "@/lib/services/ingest/ingest-stream";

const datasets = path.resolve(process.cwd(), "../shared/datasets");
const atomicXml = path.join(datasets, "evtx-attack-samples/derived-xml/PanacheSysmon_vs_AtomicRedTeam01.evtx.xml");
const botConsumerXml = path.join(
  datasets,
  "evtx-attack-samples/derived-xml/sysmon_20_21_1_CommandLineEventConsumer.evtx.xml",
);

const fromText = (text: string) => Readable.from([Buffer.from(text)]);
// the embedded PGlite cannot COPY FROM STDIN: there only the array-parameter path runs
const modes = process.env.WMI_EMBEDDED === "1" ? (["values"] as const) : (["copy", "values"] as const);
const unique = `${process.pid}-${Date.now()}`;

// Test files share the run's database and run one after another; earlier files ingest the same
// recording (idempotently). This file checks a first ingest, so it starts from none of the
// recording's events (all of them, and only they among its inputs, come from MSEDGEWIN10).
beforeAll(async () => {
  await getDb().prisma.event.deleteMany({ where: { hostName: "MSEDGEWIN10" } });
});

afterAll(async () => {
  await closeDb();
});

describe("ingesting real Windows event XML", () => {
  it("stores every event of the Atomic Red Team run and raises exactly the one alert Elastic would", async () => {
    const summary = await ingestStream({ source: "cli", fileName: "atomic.xml", stream: createReadStream(atomicXml) });
    expect(summary).toMatchObject({
      status: "succeeded",
      format: "windows-xml",
      received: 565,
      stored: 565,
      duplicates: 0,
      rejected: 0,
      alerts: 1,
    });
    const alerts = await getDb().prisma.alert.findMany({ where: { event: { ingestJobId: summary.jobId } } });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      hostName: "MSEDGEWIN10",
      consumerName: "AtomicRedTeam-WMIPersistence-Example",
      consumerType: "CommandLineEventConsumer",
      severity: "medium",
      riskScore: 47,
      ruleVersion: 307,
      status: "open",
    });
    expect(alerts[0].command).toMatch(/notepad|cmd|powershell/i);
    expect(alerts[0].reason).toMatch(
      /on MSEDGEWIN10 created medium alert Suspicious WMI Event Subscription Created\.$/,
    );
  });

  it("stores nothing new and raises nothing new when the same file comes again", async () => {
    const summary = await ingestStream({
      source: "cli",
      fileName: "atomic-again.xml",
      stream: createReadStream(atomicXml),
    });
    expect(summary).toMatchObject({ status: "succeeded", received: 565, stored: 0, duplicates: 565, alerts: 0 });
  });

  it("does not alert on a consumer path without the subscription namespace (BotConsumer23)", async () => {
    const summary = await ingestStream({
      source: "cli",
      fileName: "bot.xml",
      stream: createReadStream(botConsumerXml),
    });
    expect(summary).toMatchObject({ status: "succeeded", received: 17, alerts: 0 });
  });
});

describe("both ways of writing batches", () => {
  it.each(modes)(
    "stores the same rows with insertMode %s, NUL characters included, across batches",
    async (insertMode) => {
      // more than two batches, so that batches written while the next is parsed are covered too
      const count = BATCH_SIZE * 2 + 1500;
      const docs = Array.from({ length: count }, (_, i) => ({
        "@timestamp": "2024-02-01T00:00:00Z",
        event: { code: "1" },
        message: `${unique}-${insertMode}-${i}\ttab\nnewline \\ back\u0000nul`,
      }));
      const text = docs.map((d) => JSON.stringify(d)).join("\n");
      const summary = await ingestStream({
        source: "api",
        fileName: `${insertMode}.ndjson`,
        stream: fromText(text),
        insertMode,
      });
      expect(summary).toMatchObject({
        status: "succeeded",
        received: count,
        stored: count,
        rejected: 0,
        duplicates: 0,
      });
      const rows = await getDb().prisma.event.findMany({
        where: { ingestJobId: summary.jobId },
        orderBy: { id: "asc" },
        select: { doc: true },
      });
      expect(rows).toHaveLength(count);
      expect((rows[0].doc as { message: string }).message).toBe(
        `${unique}-${insertMode}-0\ttab\nnewline \\ back\ufffdnul`,
      );
      // the table's ids follow the input, whichever batch was committed first
      const order = rows.map((r) => Number((r.doc as { message: string }).message.split("-")[3].split("\t")[0]));
      expect(order).toEqual(Array.from({ length: count }, (_, i) => i));
      const job = await getDb().prisma.ingestJob.findUniqueOrThrow({ where: { id: summary.jobId } });
      expect(job).toMatchObject({ received: count, stored: count, duplicates: 0, rejected: 0 });
    },
  );

  it.each(modes)(
    "with insertMode %s, stores each event once when the input repeats itself and events stored before",
    async (insertMode) => {
      const line = (i: number) =>
        JSON.stringify({
          "@timestamp": "2024-02-02T00:00:00Z",
          event: { code: "1" },
          message: `${unique}-repeat-${insertMode}-${i}`,
        });
      const before = await ingestStream({
        source: "api",
        fileName: "first.ndjson",
        stream: fromText([0, 1, 2, 3].map(line).join("\n")),
        insertMode,
      });
      expect(before).toMatchObject({ status: "succeeded", stored: 4 });
      // events 0-3 are stored already; 100 repeats within the first batch; 7000-7099 come back in the next batch
      const indexes = [
        ...Array.from({ length: 8000 }, (_, i) => i),
        ...Array.from({ length: 100 }, (_, i) => 10 + i),
        ...Array.from({ length: 100 }, (_, i) => 7000 + i),
      ];
      indexes.splice(3000, 0, ...Array.from({ length: 100 }, (_, i) => 20 + i));
      const summary = await ingestStream({
        source: "api",
        fileName: "repeats.ndjson",
        stream: fromText(indexes.map(line).join("\n")),
        insertMode,
      });
      expect(summary).toMatchObject({
        status: "succeeded",
        received: 8300,
        stored: 7996,
        duplicates: 304,
        rejected: 0,
      });
      const job = await getDb().prisma.ingestJob.findUniqueOrThrow({ where: { id: summary.jobId } });
      expect(job).toMatchObject({ received: 8300, stored: 7996, duplicates: 304 });
      const storedCount = await getDb().prisma.event.count({
        where: { doc: { path: ["message"], string_starts_with: `${unique}-repeat-${insertMode}-` } },
      });
      expect(storedCount).toBe(8000);
    },
  );
});

describe("bad input", () => {
  it("keeps good records next to malformed ones and names the line", async () => {
    const good = (n: number) =>
      JSON.stringify({
        "@timestamp": "2024-01-01T00:00:00Z",
        event: { code: "1", dataset: "test" },
        message: `${unique}-${n}`,
      });
    const text = [
      good(1),
      "{not json",
      good(2),
      JSON.stringify({ event: { code: "1" }, message: `${unique}-no-timestamp` }),
    ].join("\n");
    const summary = await ingestStream({ source: "api", fileName: "mixed.ndjson", stream: fromText(text) });
    expect(summary.status).toBe("succeeded");
    expect(summary).toMatchObject({ received: 4, stored: 2, rejected: 2 });
    expect(summary.errors[0]).toMatchObject({ line: 2 });
    expect(summary.errors[1].reason).toMatch(/@timestamp/);
  });

  it.each(modes)(
    "with insertMode %s, rejects a time PostgreSQL cannot store as that record's error and keeps the records around it",
    async (insertMode) => {
      const line = (timestamp: string, n: string) =>
        JSON.stringify({
          "@timestamp": timestamp,
          event: { code: "1" },
          message: `${unique}-range-${insertMode}-${n}`,
        });
      const text = [
        line("2024-01-01T00:00:00Z", "a"),
        line("+010000-01-01T00:00:00Z", "b"),
        line("300000000000000", "c"),
        line("2024-01-01T00:00:01Z", "d"),
        line("0001-01-01T00:00:00Z", "e"),
        line("9999-12-31T23:59:59.999Z", "f"),
      ].join("\n");
      const summary = await ingestStream({
        source: "api",
        fileName: "range.ndjson",
        stream: fromText(text),
        insertMode,
      });
      expect(summary).toMatchObject({ status: "succeeded", received: 6, stored: 4, rejected: 2 });
      const times = await getDb().prisma.event.findMany({
        where: { ingestJobId: summary.jobId },
        orderBy: { id: "asc" },
        select: { timestamp: true },
      });
      expect(times.map((t) => t.timestamp.toISOString())).toEqual([
        "2024-01-01T00:00:00.000Z",
        "2024-01-01T00:00:01.000Z",
        "0001-01-01T00:00:00.000Z",
        "9999-12-31T23:59:59.999Z",
      ]);
      expect(summary.errors.map((e) => [e.line, e.reason])).toEqual([
        [2, 'line 2: field @timestamp "+010000-01-01T00:00:00Z" is outside the years 1 to 9999'],
        [3, 'line 3: field @timestamp "300000000000000" is outside the years 1 to 9999'],
      ]);
    },
  );

  it("rejects an unreadable file whole, stores nothing, and marks the job failed", async () => {
    const summary = await ingestStream({
      source: "api",
      fileName: "garbage.bin",
      stream: Readable.from([Buffer.from([0, 1, 2, 3, 255, 254, 0, 7, 9])]),
    });
    expect(summary.status).toBe("failed");
    expect(summary.stored).toBe(0);
    expect(summary.message).toMatch(/garbage\.bin/);
    const job = await getDb().prisma.ingestJob.findUniqueOrThrow({ where: { id: summary.jobId } });
    expect(job.status).toBe("failed");
    expect(await getDb().prisma.event.count({ where: { ingestJobId: summary.jobId } })).toBe(0);
  });

  it("marks an upload cut off midway failed with exact counts, and re-sending completes without duplicates", async () => {
    const lines = Array.from({ length: 1200 }, (_, i) =>
      JSON.stringify({ "@timestamp": "2024-01-02T00:00:00Z", event: { code: "1" }, message: `${unique}-cut-${i}` }),
    );
    const text = `${lines.join("\n")}\n`;
    const cutAt = Math.floor(text.length * 0.7);
    async function* interrupted() {
      yield Buffer.from(text.slice(0, cutAt));
      throw new Error("client disconnected");
    }
    const first = await ingestStream({ source: "upload", fileName: "cut.ndjson", stream: interrupted() });
    expect(first.status).toBe("failed");
    const job = await getDb().prisma.ingestJob.findUniqueOrThrow({ where: { id: first.jobId } });
    const storedNow = await getDb().prisma.event.count({ where: { ingestJobId: first.jobId } });
    expect(job.stored).toBe(storedNow);
    // every line that arrived whole before the cut is kept, nothing more
    expect(storedNow).toBe(text.slice(0, cutAt).split("\n").length - 1);
    expect(job).toMatchObject({ status: "failed", received: storedNow });
    const second = await ingestStream({ source: "upload", fileName: "cut.ndjson", stream: fromText(text) });
    expect(second).toMatchObject({
      status: "succeeded",
      received: 1200,
      stored: 1200 - storedNow,
      duplicates: storedNow,
    });
  });
});
