import { readFileSync } from "node:fs";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/permissions";
import {
  cancelHuntRun,
  createHuntRun,
  exportHuntRun,
  getHuntRun,
  HuntQueryError,
  huntInputSchema,
  listSavedHunts,
  saveHunt,
  savedHuntSchema,
} from "@/lib/data/hunts";
import { closeDb, getDb } from "@/lib/db/client";
import { executeHuntRun, queryWithinLimits } from "@/lib/services/hunt-service";
import { ingestStream } from "@/lib/services/ingest/ingest-stream";

// A real recording: winpwnage's WMI persistence on IEWIN7 (evtx-attack-samples, Sysmon 1/10/19/20/21).
const RECORDING =
  "/work/shared/datasets/evtx-attack-samples/derived-xml/sysmon_20_21_1_CommandLineEventConsumer.evtx.xml";
const run = `hunt-${process.pid}-${Date.now()}`;
const analyst: Actor = { id: `${run}-analyst`, role: "analyst", name: "Ana Hunt" };
const other: Actor = { id: `${run}-other`, role: "trainer", name: "Tom Hunt" };
// the recording's machine renamed per run, so this file's hunts see only their own copy of it
const HOST = `IEWIN7-${process.pid}${Date.now() % 1_000_000}`;
const range = { from: "2019-05-11T17:00:00Z", to: "2019-05-11T19:00:00Z", host: HOST };

async function hunt(query: string, extra: Partial<{ rowLimit: number; host: string }> = {}) {
  const { id } = await createHuntRun(analyst, huntInputSchema.parse({ query, ...range, ...extra }));
  await executeHuntRun(id);
  return getHuntRun(analyst, id, { page: 1 });
}

beforeAll(async () => {
  for (const u of [analyst, other])
    await getDb().prisma.user.create({ data: { id: u.id, name: u.name!, email: `${u.id}@test.local`, role: u.role } });
  const xml = readFileSync(RECORDING, "utf8").replaceAll("<Computer>IEWIN7</Computer>", `<Computer>${HOST}</Computer>`);
  await ingestStream({ source: "api", fileName: `${run}.xml`, stream: Readable.from([Buffer.from(xml)]) });
});

afterAll(async () => {
  await closeDb();
});

describe("hunt over the stored events", () => {
  it("finds the one process WmiPrvSE.exe started, with why it matched", async () => {
    const view = await hunt('process where process.parent.name == "WmiPrvSE.exe"');
    expect(view.status).toBe("succeeded");
    expect(view.kind).toBe("events");
    expect(view.hitCount).toBe(1);
    expect(view.rows[0].doc).toMatchObject({
      process: { executable: "c:\\Windows\\System32\\cmd.exe".replace("c:", "C:") },
    });
    const trace = view.rows[0].hit.trace;
    expect(trace.find((t) => t.field === "process.parent.name")).toMatchObject({
      held: true,
      values: ["WmiPrvSE.exe"],
    });
  });

  it("matches by host identity: the recording's host is found from its lower-cased FQDN, not from another host", async () => {
    expect((await hunt('any where event.code == "21"', { host: `${HOST.toLowerCase()}.corp.local` })).hitCount).toBe(2);
    expect((await hunt('any where event.code == "21"', { host: "pc04" })).hitCount).toBe(0);
  });

  it("stops at the row limit and says so", async () => {
    const view = await hunt('process where process.name == "WMIC.exe"', { rowLimit: 2 });
    expect(view.hitCount).toBe(2);
    expect(view.truncated).toBe(true);
  });

  it("runs sequences with by / maxspan as Elasticsearch's state machine does", async () => {
    const view = await hunt(
      'sequence by host.name with maxspan=5m [process where process.name == "WMIC.exe"] [any where event.code == "21"]',
    );
    expect(view.kind).toBe("sequence");
    // each binding completes the most recent pending WMIC start (@timestamp is Sysmon's UtcTime):
    // 23.200 is overwritten by 23.356 → 21 at 23.418; 23.450, 54.793, 54.918 by 54.996 → 21 at 55.090
    expect(view.sequences.map((s) => s.events.map((e) => e?.timestamp))).toEqual([
      ["2019-05-11T17:58:23.356Z", "2019-05-11T17:58:23.418Z"],
      ["2019-05-11T17:58:54.996Z", "2019-05-11T17:58:55.090Z"],
    ]);
    expect(view.sequences[0].keys).toEqual([HOST]);
  });

  it("missing events: the WMIC start no binding followed within 10 seconds", async () => {
    const view = await hunt(
      'sequence by host.name with maxspan=10s [process where process.name == "WMIC.exe"] ![any where event.code == "21"]',
    );
    // 23.450's next binding is 31.6 s later; every other WMIC start has one within 10 s
    expect(view.sequences.map((s) => s.events.map((e) => e?.timestamp ?? null))).toEqual([
      ["2019-05-11T17:58:23.450Z", null],
    ]);
    const minute = await hunt(
      'sequence by host.name with maxspan=1m [process where process.name == "WMIC.exe"] ![any where event.code == "21"]',
    );
    expect(minute.sequences).toEqual([]);
  });

  it("until expires the pending sequence: the consumer's cmd.exe ends both", async () => {
    const view = await hunt(
      'sequence by host.name [process where process.name == "WMIC.exe"] [any where event.code == "21"] until [process where process.parent.name == "WmiPrvSE.exe"]',
    );
    expect(view.sequences).toHaveLength(2);
    const expired = await hunt(
      'sequence by host.name [any where event.code == "19"] [any where event.code == "21"] until [process where process.parent.name == "WmiPrvSE.exe"]',
    );
    // 19 at 17:58:39 is expired by cmd.exe at 17:58:50; 19 at 54.981 → 21 at 55.090 survives
    expect(expired.sequences.map((s) => s.events[0]?.timestamp)).toEqual(["2019-05-11T17:58:54.981Z"]);
  });

  it("refuses a syntax error with its position before running anything", async () => {
    const count = await getDb().prisma.huntRun.count({ where: { ownerId: analyst.id } });
    const error = await createHuntRun(
      analyst,
      huntInputSchema.parse({ query: 'process where process.name = "x"', ...range }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HuntQueryError);
    expect((error as HuntQueryError).problem).toMatchObject({ line: 1, column: 28, offset: 27 });
    expect(await getDb().prisma.huntRun.count({ where: { ownerId: analyst.id } })).toBe(count);
  });

  it("stops at the time limit between batches and says so, keeping what it scanned", async () => {
    const { id } = await createHuntRun(analyst, huntInputSchema.parse({ query: "any where true", ...range }));
    await getDb().prisma.huntRun.update({ where: { id }, data: { timeLimitMs: 1 } });
    await executeHuntRun(id, 1);
    const view = await getHuntRun(analyst, id);
    expect(view.status).toBe("timed_out");
    expect(view.error).toMatch(
      /^stopped at the time limit \(1 ms\) after checking \d+ events; the hits so far are shown$/,
    );
    expect(view.scanned).toBeLessThan(17);
  });

  it("cancels a running hunt between batches", async () => {
    const { id } = await createHuntRun(analyst, huntInputSchema.parse({ query: "any where true", ...range }));
    const running = executeHuntRun(id, 1);
    const status = () => getDb().prisma.huntRun.findUniqueOrThrow({ where: { id }, select: { status: true } });
    while ((await status()).status === "queued") await new Promise((r) => setTimeout(r, 2));
    await cancelHuntRun(analyst, id);
    await running;
    const view = await getHuntRun(analyst, id);
    expect(view.status).toBe("cancelled");
    expect(view.scanned).toBeLessThan(17);
  });

  it("bounds one slow query by the time left and cancels it in PostgreSQL when the hunter cancels", async () => {
    const never = async () => false;
    let t = Date.now();
    expect(await queryWithinLimits("SELECT pg_sleep(10)", [], 300, never)).toEqual({ stopped: "timed_out" });
    expect(Date.now() - t).toBeLessThan(3000);
    t = Date.now();
    expect(await queryWithinLimits("SELECT pg_sleep(10)", [], 30_000, async () => true)).toEqual({
      stopped: "cancelled",
    });
    expect(Date.now() - t).toBeLessThan(3000);
    expect(await queryWithinLimits("SELECT 1 AS one", [], 1000, never)).toEqual({ rows: [{ one: 1 }] });
    expect(await queryWithinLimits("SELECT 1", [], 0, never)).toEqual({ stopped: "timed_out" });
  });

  it("cancels a queued hunt, keeps each hunt private to its owner, and exports CSV and NDJSON", async () => {
    const { id } = await createHuntRun(analyst, huntInputSchema.parse({ query: "any where true", ...range }));
    await cancelHuntRun(analyst, id);
    await executeHuntRun(id); // the worker picks it up after the cancel: nothing runs
    expect((await getHuntRun(analyst, id)).status).toBe("cancelled");
    await expect(getHuntRun(other, id)).rejects.toMatchObject({ code: "not_found" });

    const done = await hunt('process where process.parent.name == "WmiPrvSE.exe"');
    const csv = await exportHuntRun(analyst, done.id, "csv", ["process.executable", "process.parent.executable"]);
    expect(csv).toBe(
      "process.executable,process.parent.executable\r\nC:\\Windows\\System32\\cmd.exe,C:\\Windows\\System32\\wbem\\WmiPrvSE.exe\r\n",
    );
    const ndjson = await exportHuntRun(analyst, done.id, "ndjson", []);
    expect(JSON.parse(ndjson.trim())).toMatchObject({ event: { code: "1" }, host: { name: HOST } });
  });

  it("saves queries privately or shared", async () => {
    await saveHunt(
      analyst,
      savedHuntSchema.parse({ name: `${run} private`, query: "process where true", shared: false }),
    );
    await saveHunt(analyst, savedHuntSchema.parse({ name: `${run} shared`, query: "file where true", shared: true }));
    const mine = (await listSavedHunts(analyst)).filter((s) => s.name.startsWith(run));
    expect(mine.map((s) => s.name)).toEqual([`${run} private`, `${run} shared`]);
    const theirs = (await listSavedHunts(other)).filter((s) => s.name.startsWith(run));
    expect(theirs.map((s) => [s.name, s.ownerName, s.mine])).toEqual([[`${run} shared`, "Ana Hunt", false]]);
  });
});
