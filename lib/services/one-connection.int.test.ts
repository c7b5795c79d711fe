import { Readable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { closeDb, getDb } from "@/lib/db/client";
import { executeRun } from "@/lib/services/detection-service";
import { ingestStream } from "@/lib/services/ingest/ingest-stream";
import { sysmon20Doc, sysmon21Doc } from "@/lib/triage/testing/sysmon-docs";

// The embedded database (npm start without DATABASE_URL) serves one connection, so the app's pool
// has one. A rule run that held its cursor's connection and asked the pool for another waited
// forever: the demo seed hung and the app never started. Everything here runs on a pool of one.
process.env.DATABASE_POOL_MAX = "1";

const unique = `${process.pid}-${Date.now()}`;

afterAll(async () => {
  await closeDb();
});

describe("detection on a database with one connection (embedded mode)", () => {
  it("an upload's rule run and a Run now finish, each alert built from its host's subscription events", async () => {
    expect(getDb().pool.options.max).toBe(1);
    const hosts = [`ONE-${unique}-A`, `ONE-${unique}-B`];
    const lines = hosts.flatMap((host, h) =>
      [0, 1, 2].flatMap((i) => [
        sysmon20Doc({
          host,
          consumer: `c-${host}-${i}`,
          at: `2024-06-0${h + 1}T10:00:0${i}Z`,
          destination: `run-${i}.exe`,
        }),
        sysmon21Doc({ host, consumer: `c-${host}-${i}`, at: `2024-06-0${h + 1}T10:00:1${i}Z` }),
      ]),
    );
    const summary = await ingestStream({
      source: "api",
      fileName: `one-connection-${unique}.ndjson`,
      stream: Readable.from([Buffer.from(lines.map((l) => JSON.stringify(l)).join("\n"))]),
    });
    expect(summary).toMatchObject({ stored: 12, alerts: 6 });
    const { rows } = await getDb().pool.query<{ consumer_name: string; command: string }>(
      `SELECT "consumer_name", "command" FROM "alert" WHERE "host_name" = ANY($1) ORDER BY "consumer_name"`,
      [hosts],
    );
    expect(rows).toHaveLength(6);
    // the command comes from the consumer's Sysmon 20 event, read by the host subscription loader
    for (const row of rows) expect(row.command).toBe(`run-${row.consumer_name.at(-1)}.exe`);

    const run = await executeRun({
      kind: "manual",
      scope: { window: { start: new Date("2024-06-01T00:00:00Z"), end: new Date("2024-06-03T00:00:00Z") } },
      cap: null,
    });
    expect(run).toMatchObject({ status: "succeeded", error: null, alertsCreated: 0 });
    expect(run.matches).toBeGreaterThanOrEqual(6);
  });
});
