import { readFileSync } from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { closeDb, getDb } from "@/lib/db/client";
import { BATCH_SIZE } from "@/lib/services/ingest/copy-rows";
import { ingestStream } from "@/lib/services/ingest/ingest-stream";
import type { IngestSummary } from "@/lib/services/ingest/types";
import { STALE_INGEST_MS, sweepStaleIngestJobs } from "@/lib/services/ingest-sweep";
import { sysmonBinding } from "@/lib/services/testing/sysmon-binding";

// Issue 16, "Ingest must not drop detections": hostile characters, files without events, crashes.
const datasets = path.resolve(process.cwd(), "../shared/datasets");
const botConsumerXml = readFileSync(
  path.join(datasets, "evtx-attack-samples/derived-xml/sysmon_20_21_1_CommandLineEventConsumer.evtx.xml"),
  "utf8",
);
const evtxFile = path.join(datasets, "evtx-attack-samples/Persistence/sysmon_20_21_1_CommandLineEventConsumer.evtx");

const fromText = (text: string | Buffer) => Readable.from([Buffer.from(text)]);
const unique = `${process.pid}-${Date.now()}`;
let counter = 0;

/** A Sysmon 21 binding the rule matches, on a host of its own. */
const binding = (host: string, i: number, timestamp = "2024-05-01T10:00:00Z") => sysmonBinding(host, i, timestamp);

function noise(host: string, i: number) {
  return {
    "@timestamp": "2024-05-01T10:00:00Z",
    event: { code: "1", dataset: "windows.sysmon_operational" },
    host: { name: host },
    message: `${host}-noise-${i}`,
  };
}

async function jobOf(summary: IngestSummary) {
  return getDb().prisma.ingestJob.findUniqueOrThrow({ where: { id: summary.jobId } });
}

/** The response's counts and the job row's always agree. */
async function expectJobAgrees(summary: IngestSummary) {
  const job = await jobOf(summary);
  expect({
    status: job.status,
    received: job.received,
    stored: job.stored,
    duplicates: job.duplicates,
    rejected: job.rejected,
    replaced: job.replaced,
    alerts: job.alerts,
    message: job.message,
  }).toEqual({
    status: summary.status,
    received: summary.received,
    stored: summary.stored,
    duplicates: summary.duplicates,
    rejected: summary.rejected,
    replaced: summary.replaced,
    alerts: summary.alerts,
    message: summary.message,
  });
  expect(await getDb().prisma.event.count({ where: { ingestJobId: summary.jobId } })).toBe(summary.stored);
}

async function alertsPerEvent(host: string) {
  const events = await getDb().prisma.event.findMany({
    where: { hostName: host, eventCode: "21" },
    select: { id: true, _count: { select: { alerts: true } } },
  });
  return events.map((e) => e._count.alerts);
}

afterAll(async () => {
  await closeDb();
});

describe("characters PostgreSQL cannot store", () => {
  it("keeps a whole batch around an NDJSON event with lone surrogates, replaced and counted, and alerts on it", async () => {
    const host = `surrogate-${unique}`;
    const lines = Array.from({ length: BATCH_SIZE + 10 }, (_, i) => JSON.stringify(noise(host, i)));
    // the binding itself carries a lone high and a lone low surrogate (as JSON escapes), a pair, and a NUL
    const hostile = JSON.stringify(binding(host, 1)).replace(
      '"Operation":"Created"',
      '"Operation":"Created","User":"a\\ud800b\\udc00c\\ud83d\\ude00d\\u0000e"',
    );
    lines.splice(2500, 0, hostile);
    const summary = await ingestStream({
      source: "api",
      fileName: "surrogates.ndjson",
      stream: fromText(lines.join("\n")),
    });
    expect(summary).toMatchObject({
      status: "succeeded",
      received: BATCH_SIZE + 11,
      stored: BATCH_SIZE + 11,
      rejected: 0,
      replaced: 3,
      alerts: 1,
    });
    await expectJobAgrees(summary);
    const stored = await getDb().prisma.event.findFirstOrThrow({ where: { hostName: host, eventCode: "21" } });
    const user = (stored.doc as { winlog: { event_data: { User: string } } }).winlog.event_data.User;
    expect(user).toBe("a\ufffdb\ufffdc\u{1f600}d\ufffde");
  });

  it("keeps an XML event with &#xD800; and a NUL in the computer name, the binding alerting", async () => {
    const host = `XMLSUR-${unique}`;
    const xml = botConsumerXml
      .replaceAll("<Computer>IEWIN7</Computer>", `<Computer>${host}&#x0;</Computer>`)
      .replace('<Data Name="User">IEWIN7\\IEUser</Data>', '<Data Name="User">IEWIN7\\IE&#xD800;User</Data>')
      // the recording's relative consumer path is a blind spot of the rule; the full path alerts
      .replace(
        '<Data Name="Consumer"> "CommandLineEventConsumer',
        '<Data Name="Consumer"> "\\\\.\\ROOT\\subscription:CommandLineEventConsumer',
      );
    const summary = await ingestStream({ source: "api", fileName: "surrogates.xml", stream: fromText(xml) });
    expect(summary.status).toBe("succeeded");
    expect(summary.rejected).toBe(0);
    expect(summary.stored).toBe(17);
    expect(summary.alerts).toBe(1);
    expect(summary.replaced).toBeGreaterThanOrEqual(1);
    await expectJobAgrees(summary);
    expect(await getDb().prisma.event.count({ where: { hostName: `${host}\ufffd` } })).toBe(17);
  });
});

describe("a file that gives no events is a failed upload", () => {
  const cases: Array<[string, string, Buffer, (string | undefined)?, RegExp?]> = [
    ["0 bytes", "empty.ndjson", Buffer.alloc(0), undefined, /empty \(0 bytes\)/],
    ["blank lines", "blank.ndjson", Buffer.from("\n\n  \n"), undefined, /no events found/],
    [
      "NDJSON sent as XML",
      "events.xml",
      Buffer.from(`${JSON.stringify(noise(`as-xml-${unique}`, 1))}\n`),
      "windows-xml",
      /no events/,
    ],
    ["an unknown format", "notes.txt", Buffer.from("just some text\nand more\n"), undefined, /unknown format/],
    [
      "an .evtx with a broken header",
      "broken.evtx",
      Buffer.concat([Buffer.from("ElfFile\0"), Buffer.alloc(4088, 0x41)]),
      undefined,
      /.+/,
    ],
    [
      "an .evtx whose only chunk is broken",
      "broken-chunk.evtx",
      (() => {
        const file = readFileSync(evtxFile);
        const cut = Buffer.from(file.subarray(0, 4096 + 65536));
        cut.fill(0x5a, 4096 + 8, 4096 + 65536); // everything after the chunk's magic
        return cut;
      })(),
      undefined,
      /.+/,
    ],
    [
      "records that are all rejected",
      "bad.ndjson",
      Buffer.from('{"no": "timestamp"}\n{"broken":\n'),
      undefined,
      /all 2 records were rejected \(first: .*line 1/,
    ],
  ];
  it.each(cases)("%s: the job is failed and says why", async (_name, fileName, bytes, format, message) => {
    const summary = await ingestStream({
      source: "upload",
      fileName,
      format: format as never,
      stream: fromText(bytes),
    });
    expect(summary.status).toBe("failed");
    expect(summary.stored).toBe(0);
    expect(summary.message).toMatch(message!);
    await expectJobAgrees(summary);
  });

  it("a poll that finds nothing new is still a success (it is not a file)", async () => {
    const summary = await ingestStream({ source: "poll", fileName: "poll", format: "es-search", stream: fromText("") });
    expect(summary.status).toBe("succeeded");
  });
});

describe("detection after an ingest covers the whole file, duplicates included", () => {
  it("re-sending a file whose first ingest stored events without alerts gives each matching event one alert", async () => {
    const host = `resend-${unique}-${++counter}`;
    const docs = Array.from({ length: 40 }, (_, i) => (i % 4 === 0 ? binding(host, i) : noise(host, i)));
    const text = docs.map((d) => JSON.stringify(d)).join("\n");
    // the first half stored, and then the process died before the rule ran
    const half = text.split("\n").slice(0, 20).join("\n");
    const first = await ingestStream({
      source: "upload",
      fileName: "r.ndjson",
      stream: fromText(half),
      skipDetection: true,
    });
    expect(first).toMatchObject({ stored: 20, alerts: 0 });
    expect(await alertsPerEvent(host)).toEqual([0, 0, 0, 0, 0]);
    const again = await ingestStream({ source: "upload", fileName: "r.ndjson", stream: fromText(text) });
    expect(again).toMatchObject({ status: "succeeded", stored: 20, duplicates: 20, alerts: 10 });
    await expectJobAgrees(again);
    expect(await alertsPerEvent(host)).toEqual(Array(10).fill(1));
    // a third time: nothing new, and no second alert for anything
    const third = await ingestStream({ source: "upload", fileName: "r.ndjson", stream: fromText(text) });
    expect(third).toMatchObject({ status: "succeeded", stored: 0, duplicates: 40, alerts: 0 });
    expect(await alertsPerEvent(host)).toEqual(Array(10).fill(1));
  });
});

describe("ingests whose process died", () => {
  it("are marked failed by the sweep once their heartbeat is stale, and their stored events get their alerts", async () => {
    const host = `stale-${unique}`;
    const docs = [binding(host, 1), noise(host, 2), binding(host, 3)];
    const crashed = await ingestStream({
      source: "upload",
      fileName: "crashed.ndjson",
      stream: fromText(docs.map((d) => JSON.stringify(d)).join("\n")),
      skipDetection: true,
    });
    const { prisma } = getDb();
    // what a killed process leaves: the job still running, its heartbeat from when it died
    const diedAt = new Date(Date.now() - 60_000);
    await prisma.ingestJob.update({
      where: { id: crashed.jobId },
      data: { status: "running", finishedAt: null, heartbeatAt: diedAt },
    });
    // a live ingest (fresh heartbeat) is left alone
    const live = await prisma.ingestJob.create({
      data: { source: "cli", fileName: "live.ndjson" },
      select: { id: true },
    });

    // not yet stale
    expect((await sweepStaleIngestJobs()).map((j) => j.id)).not.toContain(crashed.jobId);
    expect((await prisma.ingestJob.findUniqueOrThrow({ where: { id: crashed.jobId } })).status).toBe("running");

    const later = new Date(diedAt.getTime() + STALE_INGEST_MS + 1000);
    const swept = await sweepStaleIngestJobs(later);
    expect(swept.find((j) => j.id === crashed.jobId)).toEqual({ id: crashed.jobId, stored: 3, alerts: 2 });
    expect(swept.map((j) => j.id)).not.toContain(live.id);
    const job = await prisma.ingestJob.findUniqueOrThrow({ where: { id: crashed.jobId } });
    expect(job).toMatchObject({ status: "failed", alerts: 2 });
    expect(job.message).toMatch(
      /interrupted: the process running this ingest stopped .* 3 events stored before are kept/,
    );
    expect(job.finishedAt).not.toBeNull();
    expect(await alertsPerEvent(host)).toEqual([1, 1]);
    // a second sweep finds nothing more of it
    expect((await sweepStaleIngestJobs(later)).map((j) => j.id)).not.toContain(crashed.jobId);
    await prisma.ingestJob.delete({ where: { id: live.id } });
  });
});
