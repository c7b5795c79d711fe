import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/permissions";
import { listAlerts, parseAlertFilter } from "@/lib/data/alert-list";
import { closeDb, getDb } from "@/lib/db/client";
import { ingestStream } from "@/lib/services/ingest/ingest-stream";

const run = `hist${process.pid}x${Date.now()}`;
const lead: Actor = { id: `${run}-lead`, role: "lead", name: "Lee Hist" };

function sysmon21(i: number, at: string) {
  return JSON.stringify({
    "@timestamp": at,
    event: { code: "21", dataset: "windows.sysmon_operational" },
    host: { name: `${run}-h${i}` },
    user: { name: "hist-user" },
    winlog: {
      computer_name: `${run}-h${i}`,
      event_data: {
        Operation: "Created",
        Consumer: ` "\\\\\\\\.\\\\ROOT\\\\subscription:CommandLineEventConsumer.Name=\\"${run}-c${i}\\""`,
      },
    },
  });
}

beforeAll(async () => {
  await getDb().prisma.user.create({
    data: { id: lead.id, name: lead.name!, email: `${lead.id}@test.local`, role: lead.role },
  });
  // 60 alerts over two days of June 2031, and one from two years before
  const lines = [sysmon21(0, "2029-06-01T00:00:00Z")];
  for (let i = 1; i <= 60; i++) lines.push(sysmon21(i, new Date(Date.UTC(2031, 5, 1, i % 48, i)).toISOString()));
  await ingestStream({
    source: "api",
    fileName: `${run}.ndjson`,
    stream: Readable.from([Buffer.from(lines.join("\n"))]),
  });
}, 60_000);

afterAll(async () => {
  await getDb().prisma.event.deleteMany({ where: { hostName: { startsWith: run } } });
  await closeDb();
});

describe("the histogram's auto interval", () => {
  it("follows the recent alerts, not one old outlier, and counts the outlier as older", async () => {
    const { histogram, total } = await listAlerts(lead, parseAlertFilter({ q: run }));
    expect(total).toBe(61);
    expect(histogram.unit).toBe("hour");
    expect(histogram.buckets.reduce((n, b) => n + b.count, 0)).toBe(60);
    expect(histogram.older).toBe(1);
    expect(histogram.oldest).toBe("2029-06-01T00:00:00.000Z");
  });

  it("uses the whole range once the user asks for it with from", async () => {
    const { histogram } = await listAlerts(lead, parseAlertFilter({ q: run, from: "2029-06-01T00:00:00.000Z" }));
    expect(histogram.unit).toBe("month");
    expect(histogram.older).toBe(0);
    expect(histogram.buckets.reduce((n, b) => n + b.count, 0)).toBe(61);
  });
});
