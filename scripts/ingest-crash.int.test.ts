import { spawn, spawnSync } from "node:child_process";
import { createWriteStream, mkdtempSync, rmSync } from "node:fs";
import { once } from "node:events";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { closeDb, getDb } from "@/lib/db/client";
import { STALE_INGEST_MS, sweepStaleIngestJobs } from "@/lib/services/ingest-sweep";
import { sysmonBinding } from "@/lib/services/testing/sysmon-binding";

// Issue 16: an ingest process killed (kill -9) midway, then the same file sent again: every
// matching event of the file ends with exactly one alert, and the killed job does not stay
// 'running'. The process is `npm run ingest`'s own script, as a user runs it.
const dir = mkdtempSync(path.join(tmpdir(), "ingest-crash-"));
const unique = `${process.pid}-${Date.now()}`;
const EVENTS = 60_000;
const MATCH_EVERY = 25;

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await closeDb();
});

const binding = (i: number) =>
  sysmonBinding(`crash-${unique}-${i % 7}`, i, new Date(Date.UTC(2024, 6, 1) + i * 1000).toISOString());

function noise(i: number) {
  return {
    "@timestamp": new Date(Date.UTC(2024, 6, 1) + i * 1000).toISOString(),
    event: { code: "1", dataset: "windows.sysmon_operational" },
    host: { name: `crash-${unique}-${i % 7}` },
    process: { command_line: `C:\\Windows\\System32\\svchost.exe -k netsvcs -p ${i} ${"x".repeat(200)}` },
  };
}

async function writeFile(file: string) {
  const out = createWriteStream(file);
  for (let i = 0; i < EVENTS; i++) {
    if (!out.write(`${JSON.stringify(i % MATCH_EVERY === 0 ? binding(i) : noise(i))}\n`)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
}

const cli = ["--conditions=react-server", "--import", "tsx", "scripts/ingest.ts", "--json"];

const onServer = process.env.WMI_EMBEDDED !== "1";

describe("an ingest killed midway", () => {
  it.runIf(onServer)(
    "leaves no matching event without exactly one alert once the file is sent again",
    async () => {
      const file = path.join(dir, `crash-${unique}.ndjson`);
      await writeFile(file);
      const { prisma } = getDb();
      const child = spawn(process.execPath, [...cli, file], { cwd: process.cwd(), env: process.env, stdio: "ignore" });
      const exited = once(child, "exit");
      // kill -9 as soon as some batches are committed (and before the file is through)
      let job: { id: string; stored: number; status: string } | null = null;
      for (let tries = 0; tries < 1200; tries++) {
        job = await prisma.ingestJob.findFirst({
          where: { fileName: file },
          select: { id: true, stored: true, status: true },
        });
        if (job && job.stored > 0) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      child.kill("SIGKILL");
      await exited;
      expect(job?.stored).toBeGreaterThan(0);
      const killed = await prisma.ingestJob.findUniqueOrThrow({ where: { id: job!.id } });
      expect(killed.status).toBe("running");
      expect(killed.stored).toBeLessThan(EVENTS);
      expect(await prisma.event.count({ where: { ingestJobId: killed.id } })).toBe(killed.stored);
      const matchingStored = await prisma.event.count({ where: { ingestJobId: killed.id, eventCode: "21" } });
      expect(matchingStored).toBeGreaterThan(0);
      // the killed process ran no rule: those events have no alert yet
      expect(await prisma.alert.count({ where: { event: { ingestJobId: killed.id } } })).toBe(0);

      const again = spawnSync(process.execPath, [...cli, file], {
        cwd: process.cwd(),
        env: process.env,
        encoding: "utf8",
        timeout: 300_000,
      });
      expect(again.stderr).toBe("");
      const out = JSON.parse(again.stdout) as { received: number; stored: number; duplicates: number; alerts: number };
      expect(out).toMatchObject({
        received: EVENTS,
        stored: EVENTS - killed.stored,
        duplicates: killed.stored,
        alerts: EVENTS / MATCH_EVERY,
      });

      const bindings = await prisma.event.findMany({
        where: { hostName: { startsWith: `crash-${unique}-` }, eventCode: "21" },
        select: { _count: { select: { alerts: true } } },
      });
      expect(bindings).toHaveLength(EVENTS / MATCH_EVERY);
      expect(bindings.every((b) => b._count.alerts === 1)).toBe(true);

      // the killed job is marked failed once its heartbeat is stale (at start-up or by the sweep)
      const later = new Date(killed.heartbeatAt.getTime() + STALE_INGEST_MS + 1000);
      expect((await sweepStaleIngestJobs(later)).map((j) => j.id)).toContain(killed.id);
      const swept = await prisma.ingestJob.findUniqueOrThrow({ where: { id: killed.id } });
      expect(swept.status).toBe("failed");
      expect(swept.message).toMatch(/^interrupted: /);
      // its rule run found every alert made already: still one per event
      expect(swept.alerts).toBe(0);
      const after = await prisma.alert.count({ where: { hostName: { startsWith: `crash-${unique}-` } } });
      expect(after).toBe(EVENTS / MATCH_EVERY);
    },
    600_000,
  );
});
